// The one table that maps AWS error codes onto ErrorKind, and the HTTP status fallbacks behind it.
#include "aws/errors/error_table.h"

#include "base/strings.h"

namespace cordon::aws {
namespace {

using enum ErrorKind;

constexpr AwsErrorEntry kAwsErrors[] = {
    // Throttling: the SDKs' standard mode list, retried with backoff.
    {"Throttling", kThrottled},
    {"ThrottlingException", kThrottled},
    {"ThrottledException", kThrottled},
    {"RequestThrottledException", kThrottled},
    {"TooManyRequestsException", kThrottled},
    {"ProvisionedThroughputExceededException", kThrottled},
    {"TransactionInProgressException", kThrottled},
    {"RequestLimitExceeded", kThrottled},  // EC2
    {"BandwidthLimitExceeded", kThrottled},
    {"LimitExceededException", kThrottled},
    {"RequestThrottled", kThrottled},
    {"SlowDown", kThrottled},  // S3
    // botocore lists this one as both throttling and transient; throttling is the stricter reading.
    {"PriorRequestNotComplete", kThrottled},
    {"EC2ThrottledException", kThrottled},

    // Transient: the service failed this time; the same request can succeed later.
    {"RequestTimeout", kTransient},
    {"RequestTimeoutException", kTransient},
    {"InternalError", kTransient},
    {"InternalFailure", kTransient},
    {"InternalServerError", kTransient},
    {"InternalServerException", kTransient},
    {"ServiceUnavailable", kTransient},
    {"ServiceUnavailableException", kTransient},
    {"Unavailable", kTransient},
    {"IDPCommunicationError", kTransient},  // STS: the identity provider did not answer
    // Auto Scaling: another change to the same group is in progress; it clears by itself.
    {"ResourceContention", kTransient},

    // Access denied. botocore retries clock-skew errors after correcting its clock; cordon reports
    // them (a responder's clock being off is worth knowing) and does not retry.
    {"AccessDenied", kAccessDenied},
    {"AccessDeniedException", kAccessDenied},
    {"UnauthorizedOperation", kAccessDenied},  // EC2
    {"UnrecognizedClientException", kAccessDenied},
    {"InvalidClientTokenId", kAccessDenied},
    {"InvalidAccessKeyId", kAccessDenied},  // S3
    {"AuthFailure", kAccessDenied},         // EC2
    {"AuthorizationError", kAccessDenied},
    {"NotAuthorized", kAccessDenied},
    {"OptInRequired", kAccessDenied},
    {"SignatureDoesNotMatch", kAccessDenied},
    {"InvalidSignatureException", kAccessDenied},
    {"IncompleteSignature", kAccessDenied},
    {"MissingAuthenticationToken", kAccessDenied},
    {"RequestTimeTooSkewed", kAccessDenied},
    {"RequestExpired", kAccessDenied},
    {"ExpiredToken", kAccessDenied},
    {"ExpiredTokenException", kAccessDenied},
    {"InvalidToken", kAccessDenied},

    // Not found. The name patterns in ClassifyAwsError catch the rest ("*NotFound", "NoSuch*").
    {"NoSuchEntity", kNotFound},  // IAM
    {"NoSuchBucket", kNotFound},  // S3
    {"NoSuchKey", kNotFound},     // S3
    {"ResourceNotFoundException", kNotFound},
    {"AWS.SimpleQueueService.NonExistentQueue", kNotFound},  // SQS (the query error code)
    {"QueueDoesNotExist", kNotFound},                        // SQS (the json protocol's __type)

    // The request itself is wrong; sending it again cannot help.
    {"ValidationError", kInvalidArgument},
    {"ValidationException", kInvalidArgument},
    {"InvalidParameter", kInvalidArgument},
    {"InvalidParameterValue", kInvalidArgument},
    {"InvalidParameterCombination", kInvalidArgument},
    {"InvalidParameterException", kInvalidArgument},
    {"MissingParameter", kInvalidArgument},
    {"InvalidInput", kInvalidArgument},

    // The resource is not in the state the request needs (cordon's plan may be stale).
    {"IncorrectState", kConflict},
    {"IncorrectInstanceState", kConflict},
    {"DependencyViolation", kConflict},
    {"ConflictException", kConflict},
    {"ResourceInUse", kConflict},
    {"ResourceInUseException", kConflict},
    {"OperationAborted", kConflict},  // S3: a conflicting operation on the same bucket
};

}  // namespace

std::span<const AwsErrorEntry> AwsErrorTable() { return kAwsErrors; }

bool IsCredentialRejection(std::string_view code) {
  static constexpr std::string_view kCodes[] = {"AuthFailure",
                                                "SignatureDoesNotMatch",
                                                "InvalidSignatureException",
                                                "IncompleteSignature",
                                                "InvalidClientTokenId",
                                                "UnrecognizedClientException",
                                                "InvalidAccessKeyId",
                                                "MissingAuthenticationToken",
                                                "RequestExpired",
                                                "RequestTimeTooSkewed",
                                                "ExpiredToken",
                                                "ExpiredTokenException",
                                                "InvalidToken",
                                                "NoCredentials"};  // cordon's own: the chain found none
  for (std::string_view c : kCodes)
    if (c == code) return true;
  return false;
}

ErrorKind ClassifyAwsError(std::string_view code, int http_status) {
  if (!code.empty()) {
    for (const AwsErrorEntry& e : kAwsErrors)
      if (e.code == code) return e.kind;
    if (EndsWith(code, "NotFound") || EndsWith(code, "NotFoundException") || StartsWith(code, "NoSuch"))
      return kNotFound;
    if (EndsWith(code, ".Malformed")) return kInvalidArgument;
  }
  switch (http_status) {
    case 500:
    case 502:
    case 503:
    case 504:
      return kTransient;
    case 429:
      return kThrottled;
    case 401:
    case 403:
      return kAccessDenied;
    case 404:
      return kNotFound;
    default:
      return kService;
  }
}

}  // namespace cordon::aws
