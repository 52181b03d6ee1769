#include "aws/protocol/customizations.h"

#include <pugixml.hpp>

#include "base/encoding.h"

namespace cordon::aws {
namespace {

bool Is(const OperationRef& op, std::string_view service, std::string_view operation) {
  return op.service->name() == service && op.name == operation;
}

void DecodeMember(Json* parent, const char* key) {
  if (parent->is_object() && parent->contains(key) && (*parent)[key].is_string())
    (*parent)[key] = UriDecode((*parent)[key].get<std::string>(), /*plus_as_space=*/true);
}

// botocore handlers.py decode_list_object*: which fields S3 encodes when EncodingType=url.
void DecodeListing(const std::string& operation, Json* out) {
  struct Nested {
    const char* list;
    const char* key;
  };
  std::vector<const char*> top;
  std::vector<Nested> nested;
  if (operation == "ListObjects") {
    top = {"Delimiter", "Marker", "NextMarker"};
    nested = {{"Contents", "Key"}, {"CommonPrefixes", "Prefix"}};
  } else if (operation == "ListObjectsV2") {
    top = {"Delimiter", "Prefix", "StartAfter"};
    nested = {{"Contents", "Key"}, {"CommonPrefixes", "Prefix"}};
  } else {
    top = {"KeyMarker", "NextKeyMarker", "Prefix", "Delimiter"};
    nested = {{"Versions", "Key"}, {"DeleteMarkers", "Key"}, {"CommonPrefixes", "Prefix"}};
  }
  for (const char* key : top) DecodeMember(out, key);
  for (const auto& n : nested) {
    if (!out->contains(n.list) || !(*out)[n.list].is_array()) continue;
    for (Json& member : (*out)[n.list]) DecodeMember(&member, n.key);
  }
}

bool IsListing(const OperationRef& op) {
  return op.service->name() == "s3" &&
         (op.name == "ListObjects" || op.name == "ListObjectsV2" || op.name == "ListObjectVersions");
}

}  // namespace

Customization CustomizeInput(const OperationRef& op, Json* input) {
  Customization done;
  if (IsListing(op) && !input->contains("EncodingType")) {
    (*input)["EncodingType"] = "url";
    done.encoding_type_auto_set = true;
  }
  if (Is(op, "ec2", "RunInstances") && input->contains("UserData") && (*input)["UserData"].is_string())
    (*input)["UserData"] = Base64Encode((*input)["UserData"].get<std::string>());
  return done;
}

void CustomizeOutput(const OperationRef& op, const HttpResponse& response, const Customization& done,
                     Json* output) {
  if (!output->is_object()) return;
  if (IsListing(op) && done.encoding_type_auto_set && output->value("EncodingType", "") == "url") {
    DecodeListing(op.name, output);
  } else if (Is(op, "s3", "GetBucketLocation")) {
    // The answer is <LocationConstraint>region</LocationConstraint>, empty for us-east-1; the model
    // cannot say that the root element is the member.
    pugi::xml_document doc;
    Json region = nullptr;
    if (doc.load_buffer(response.body.data(), response.body.size())) {
      std::string text = doc.document_element().child_value();
      if (!text.empty()) region = text;
    }
    (*output)["LocationConstraint"] = region;
  } else if (Is(op, "cloudformation", "GetTemplate") && output->contains("TemplateBody") &&
             (*output)["TemplateBody"].is_string()) {
    // boto3 json.loads() the body and keeps the string when it is YAML (or anything else).
    Json parsed =
        Json::parse((*output)["TemplateBody"].get<std::string>(), nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_discarded()) (*output)["TemplateBody"] = std::move(parsed);
  }
  // Not done on purpose: boto3 base64-decodes ec2 GetConsoleOutput's Output with errors='replace',
  // which loses bytes; the console-output evidence step hashes the exact bytes, so Output stays base64.
}

}  // namespace cordon::aws
