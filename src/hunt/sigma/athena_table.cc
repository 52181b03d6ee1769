#include "hunt/sigma/athena_table.h"

#include <unordered_map>

#include "base/strings.h"

namespace cordon::hunt::sigma {

const std::vector<AthenaColumn>& AthenaCloudTrailColumns() {
  using K = AthenaColumn::Kind;
  static const std::vector<AthenaColumn> kColumns = {
      {"eventVersion", K::kString},
      {"userIdentity", K::kStruct},
      {"eventTime", K::kString},
      {"eventSource", K::kString},
      {"eventName", K::kString},
      {"awsRegion", K::kString},
      {"sourceIPAddress", K::kString},
      {"userAgent", K::kString},
      {"errorCode", K::kString},
      {"errorMessage", K::kString},
      {"requestParameters", K::kJsonString},
      {"responseElements", K::kJsonString},
      {"additionalEventData", K::kJsonString},
      {"requestID", K::kString},
      {"eventID", K::kString},
      {"readOnly", K::kString},
      {"resources", K::kArray},
      {"eventType", K::kString},
      {"apiVersion", K::kString},
      {"recipientAccountId", K::kString},
      {"serviceEventDetails", K::kJsonString},
      {"sharedEventID", K::kString},
      {"vpcEndpointId", K::kString},
      {"vpcEndpointAccountId", K::kString},
      {"tlsDetails", K::kStruct},
  };
  return kColumns;
}

const std::vector<std::string_view>& AthenaStructFields() {
  static const std::vector<std::string_view> kFields = {
      "userIdentity.type",
      "userIdentity.principalId",
      "userIdentity.arn",
      "userIdentity.accountId",
      "userIdentity.invokedBy",
      "userIdentity.accessKeyId",
      "userIdentity.userName",
      "userIdentity.sessionContext",
      "userIdentity.sessionContext.attributes",
      "userIdentity.sessionContext.attributes.mfaAuthenticated",
      "userIdentity.sessionContext.attributes.creationDate",
      "userIdentity.sessionContext.sessionIssuer",
      "userIdentity.sessionContext.sessionIssuer.type",
      "userIdentity.sessionContext.sessionIssuer.principalId",
      "userIdentity.sessionContext.sessionIssuer.arn",
      "userIdentity.sessionContext.sessionIssuer.accountId",
      "userIdentity.sessionContext.sessionIssuer.userName",
      "userIdentity.sessionContext.ec2RoleDelivery",
      "userIdentity.sessionContext.sourceIdentity",
      "resources.ARN",
      "resources.accountId",
      "resources.type",
      "tlsDetails.tlsVersion",
      "tlsDetails.cipherSuite",
      "tlsDetails.clientProvidedHostHeader",
  };
  return kFields;
}

std::string_view AthenaFieldSpelling(std::string_view lower) {
  static const std::unordered_map<std::string, std::string_view> kByLower = [] {
    std::unordered_map<std::string, std::string_view> out;
    for (const AthenaColumn& c : AthenaCloudTrailColumns()) out.emplace(ToLower(c.field), c.field);
    for (std::string_view f : AthenaStructFields()) out.emplace(ToLower(f), f);
    return out;
  }();
  const auto it = kByLower.find(std::string(lower));
  return it == kByLower.end() ? std::string_view() : it->second;
}

}  // namespace cordon::hunt::sigma
