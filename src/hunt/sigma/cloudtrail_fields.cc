#include "hunt/sigma/cloudtrail_fields.h"

#include <algorithm>
#include <string_view>

#include "base/strings.h"

namespace cordon::hunt::sigma {
namespace {

enum class Node { kScalar, kObject, kOpen };

struct Field {
  std::string_view path;
  Node node;
};

// The record's fields (see the header for the sources). `resources` is a list of objects; a Sigma path
// through it reaches every element's field.
constexpr Field kFields[] = {
    {"eventTime", Node::kScalar},
    {"eventVersion", Node::kScalar},
    {"userIdentity", Node::kObject},
    {"userIdentity.type", Node::kScalar},
    {"userIdentity.principalId", Node::kScalar},
    {"userIdentity.arn", Node::kScalar},
    {"userIdentity.accountId", Node::kScalar},
    {"userIdentity.accessKeyId", Node::kScalar},
    {"userIdentity.userName", Node::kScalar},
    {"userIdentity.invokedBy", Node::kScalar},
    {"userIdentity.identityProvider", Node::kScalar},
    {"userIdentity.credentialId", Node::kScalar},
    {"userIdentity.onBehalfOf", Node::kOpen},
    {"userIdentity.inScopeOf", Node::kOpen},
    {"userIdentity.sessionContext", Node::kObject},
    {"userIdentity.sessionContext.sessionIssuer", Node::kObject},
    {"userIdentity.sessionContext.sessionIssuer.type", Node::kScalar},
    {"userIdentity.sessionContext.sessionIssuer.principalId", Node::kScalar},
    {"userIdentity.sessionContext.sessionIssuer.arn", Node::kScalar},
    {"userIdentity.sessionContext.sessionIssuer.accountId", Node::kScalar},
    {"userIdentity.sessionContext.sessionIssuer.userName", Node::kScalar},
    {"userIdentity.sessionContext.webIdFederationData", Node::kOpen},
    {"userIdentity.sessionContext.attributes", Node::kObject},
    {"userIdentity.sessionContext.attributes.creationDate", Node::kScalar},
    {"userIdentity.sessionContext.attributes.mfaAuthenticated", Node::kScalar},
    {"userIdentity.sessionContext.sourceIdentity", Node::kScalar},
    {"userIdentity.sessionContext.ec2RoleDelivery", Node::kScalar},
    {"userIdentity.sessionContext.ec2IssuedInVPC", Node::kScalar},
    {"userIdentity.sessionContext.assumedRoot", Node::kScalar},
    {"eventSource", Node::kScalar},
    {"eventName", Node::kScalar},
    {"awsRegion", Node::kScalar},
    {"sourceIPAddress", Node::kScalar},
    {"userAgent", Node::kScalar},
    {"errorCode", Node::kScalar},
    {"errorMessage", Node::kScalar},
    {"requestParameters", Node::kOpen},
    {"responseElements", Node::kOpen},
    {"additionalEventData", Node::kOpen},
    {"requestID", Node::kScalar},
    {"eventID", Node::kScalar},
    {"eventType", Node::kScalar},
    {"apiVersion", Node::kScalar},
    {"managementEvent", Node::kScalar},
    {"readOnly", Node::kScalar},
    {"resources", Node::kObject},
    {"resources.ARN", Node::kScalar},
    {"resources.accountId", Node::kScalar},
    {"resources.type", Node::kScalar},
    {"recipientAccountId", Node::kScalar},
    {"serviceEventDetails", Node::kOpen},
    {"sharedEventID", Node::kScalar},
    {"vpcEndpointId", Node::kScalar},
    {"vpcEndpointAccountId", Node::kScalar},
    {"eventCategory", Node::kScalar},
    {"addendum", Node::kObject},
    {"addendum.reason", Node::kScalar},
    {"addendum.updatedFields", Node::kScalar},
    {"addendum.originalRequestID", Node::kScalar},
    {"addendum.originalEventID", Node::kScalar},
    {"sessionCredentialFromConsole", Node::kScalar},
    {"edgeDeviceDetails", Node::kOpen},
    {"tlsDetails", Node::kObject},
    {"tlsDetails.tlsVersion", Node::kScalar},
    {"tlsDetails.cipherSuite", Node::kScalar},
    {"tlsDetails.clientProvidedHostHeader", Node::kScalar},
    {"eventContext", Node::kOpen},
};

const Field* Find(std::string_view path) {
  for (const Field& f : kFields) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

std::vector<std::string> ChildrenOf(std::string_view parent) {
  std::vector<std::string> out;
  for (const Field& f : kFields) {
    std::string_view p = f.path;
    if (parent.empty()) {
      if (p.find('.') == std::string_view::npos) out.emplace_back(p);
    } else if (p.size() > parent.size() + 1 && p.substr(0, parent.size()) == parent &&
               p[parent.size()] == '.' && p.substr(parent.size() + 1).find('.') == std::string_view::npos) {
      out.emplace_back(p.substr(parent.size() + 1));
    }
  }
  return out;
}

bool OneOf(const std::string& value, std::initializer_list<std::string_view> allowed) {
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](std::string_view a) { return ToLower(a) == ToLower(value); });
}

constexpr std::string_view kServiceSuffix = ".amazonaws.com";

}  // namespace

FieldCheck CheckCloudTrailField(const std::vector<std::string>& parts) {
  FieldCheck check;
  std::string prefix;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string path = prefix.empty() ? parts[i] : prefix + "." + parts[i];
    const Field* field = Find(path);
    if (field == nullptr) {
      check.unknown = path;
      check.known_here = ChildrenOf(prefix);
      return check;
    }
    if (field->node == Node::kOpen) {
      check.status = FieldCheck::Status::kOpen;
      return check;
    }
    if (field->node == Node::kScalar && i + 1 < parts.size()) {
      check.unknown = path + "." + parts[i + 1];  // below a string: nothing there
      return check;
    }
    prefix = path;
  }
  check.status = FieldCheck::Status::kKnown;
  return check;
}

std::string CloudTrailValueProblem(const std::string& field, const std::string& literal) {
  if (field == "eventSource" && !EndsWith(ToLower(literal), kServiceSuffix))
    return "eventSource is the service's endpoint name and ends in .amazonaws.com (ec2.amazonaws.com)";
  if (field == "eventName" && (literal.empty() || !std::all_of(literal.begin(), literal.end(), [](char c) {
                                 return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                        (c >= '0' && c <= '9');
                               })))
    return "eventName is the API action's name, letters and digits only (ModifyInstanceAttribute)";
  if (field == "errorCode" && ToLower(literal) == "success")
    return "CloudTrail writes errorCode only for a request that failed, as the service's error code: a "
           "successful request has no errorCode (match it with null)";
  if (field == "userIdentity.type" &&
      !OneOf(literal, {"Root", "IAMUser", "AssumedRole", "Role", "FederatedUser", "Directory", "AWSAccount",
                       "AWSService", "IdentityCenterUser", "Unknown"}))
    return "userIdentity.type is one of Root, IAMUser, AssumedRole, Role, FederatedUser, Directory, "
           "AWSAccount, AWSService, IdentityCenterUser, Unknown";
  if ((field == "readOnly" || field == "managementEvent" || field == "sessionCredentialFromConsole") &&
      !OneOf(literal, {"true", "false"}))
    return field + " is true or false";
  return "";
}

std::string CloudTrailEndingProblem(const std::string& field, const std::string& ending) {
  if (field != "eventSource") return "";
  const std::string e = ToLower(ending);
  if (EndsWith(e, kServiceSuffix) || EndsWith(kServiceSuffix, e)) return "";
  return "eventSource is the service's endpoint name and ends in .amazonaws.com (ec2.amazonaws.com)";
}

}  // namespace cordon::hunt::sigma
