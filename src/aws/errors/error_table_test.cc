#include "aws/errors/error_table.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace cordon::aws {
namespace {

using enum ErrorKind;

TEST(ErrorTableTest, TableHasNoDuplicateOrEmptyCodes) {
  std::set<std::string_view> seen;
  for (const AwsErrorEntry& e : AwsErrorTable()) {
    EXPECT_FALSE(e.code.empty());
    EXPECT_TRUE(seen.insert(e.code).second) << "duplicate " << e.code;
  }
  EXPECT_GE(seen.size(), 50u);
}

TEST(ErrorTableTest, EveryTableEntryClassifiesAsListedWhateverTheStatus) {
  for (const AwsErrorEntry& e : AwsErrorTable()) {
    for (int status : {400, 403, 404, 429, 500, 503}) {
      EXPECT_EQ(ClassifyAwsError(e.code, status), e.kind) << e.code << " " << status;
    }
  }
}

TEST(ErrorTableTest, StandardModeThrottlingCodes) {
  for (const char* code :
       {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException"}) {
    EXPECT_EQ(ClassifyAwsError(code, 400), kThrottled) << code;
  }
}

TEST(ErrorTableTest, TransientCodes) {
  for (const char* code : {"RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
                           "ServiceUnavailable", "IDPCommunicationError"}) {
    EXPECT_EQ(ClassifyAwsError(code, 400), kTransient) << code;
  }
}

TEST(ErrorTableTest, AccessDeniedCodes) {
  for (const char* code : {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
                           "UnrecognizedClientException", "InvalidClientTokenId", "AuthFailure",
                           "SignatureDoesNotMatch", "RequestTimeTooSkewed", "ExpiredToken"}) {
    EXPECT_EQ(ClassifyAwsError(code, 400), kAccessDenied) << code;
  }
}

TEST(ErrorTableTest, NotFoundByNameAndPattern) {
  for (const char* code :
       {"InvalidInstanceID.NotFound", "InvalidGroup.NotFound", "InvalidVolume.NotFound",
        "InvalidAllocationID.NotFound", "NotFound", "NoSuchEntity", "NoSuchBucket", "NoSuchKey",
        "NoSuchBucketPolicy", "ResourceNotFoundException", "NotFoundException", "TargetGroupNotFound",
        "LoadBalancerNotFound", "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"}) {
    EXPECT_EQ(ClassifyAwsError(code, 400), kNotFound) << code;
  }
}

TEST(ErrorTableTest, InvalidArgumentAndConflict) {
  EXPECT_EQ(ClassifyAwsError("InvalidInstanceID.Malformed", 400), kInvalidArgument);
  EXPECT_EQ(ClassifyAwsError("ValidationError", 400), kInvalidArgument);
  EXPECT_EQ(ClassifyAwsError("InvalidParameterValue", 400), kInvalidArgument);
  EXPECT_EQ(ClassifyAwsError("IncorrectInstanceState", 400), kConflict);
  EXPECT_EQ(ClassifyAwsError("DependencyViolation", 400), kConflict);
}

TEST(ErrorTableTest, CodesMatchExactlyAndCaseSensitively) {
  EXPECT_EQ(ClassifyAwsError("throttling", 400), kService);
  EXPECT_EQ(ClassifyAwsError("ThrottlingX", 400), kService);
  EXPECT_EQ(ClassifyAwsError("Throttling ", 400), kService);
}

TEST(ErrorTableTest, StatusFallbacks) {
  for (int status : {500, 502, 503, 504}) {
    EXPECT_EQ(ClassifyAwsError("", status), kTransient) << status;
    EXPECT_EQ(ClassifyAwsError("SomeUnknownCode", status), kTransient) << status;
  }
  EXPECT_EQ(ClassifyAwsError("", 429), kThrottled);
  EXPECT_EQ(ClassifyAwsError("", 403), kAccessDenied);
  EXPECT_EQ(ClassifyAwsError("", 401), kAccessDenied);
  EXPECT_EQ(ClassifyAwsError("", 404), kNotFound);
  EXPECT_EQ(ClassifyAwsError("", 400), kService);
  EXPECT_EQ(ClassifyAwsError("", 501), kService);  // not implemented: retrying cannot help
  EXPECT_EQ(ClassifyAwsError("", 0), kService);
  EXPECT_EQ(ClassifyAwsError("InvalidBlockDeviceMapping", 400), kService);
}

TEST(ErrorTableTest, TheCodeWinsOverTheStatus) {
  EXPECT_EQ(ClassifyAwsError("SlowDown", 503), kThrottled);
  EXPECT_EQ(ClassifyAwsError("AccessDenied", 500), kAccessDenied);
  EXPECT_EQ(ClassifyAwsError("InvalidInstanceID.NotFound", 500), kNotFound);
}

}  // namespace
}  // namespace cordon::aws

namespace cordon::aws {
namespace {

TEST(ErrorTable, CredentialRejectionsAreAccessDeniedButNotPolicyDenials) {
  for (const char* code : {"AuthFailure", "ExpiredToken", "SignatureDoesNotMatch", "InvalidClientTokenId"}) {
    EXPECT_TRUE(IsCredentialRejection(code)) << code;
    EXPECT_EQ(ClassifyAwsError(code, 403), ErrorKind::kAccessDenied) << code;
  }
  for (const char* code : {"AccessDenied", "UnauthorizedOperation", "AccessDeniedException", ""})
    EXPECT_FALSE(IsCredentialRejection(code)) << code;
}

}  // namespace
}  // namespace cordon::aws
