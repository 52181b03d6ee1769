// boto3's request and response customizations that the service models cannot express (botocore's
// handlers.py), applied to every call so `cordon api` shapes inputs and outputs as boto3 does.
#pragma once

#include "aws/http/http.h"
#include "aws/protocol/protocol.h"
#include "base/json.h"

namespace cordon::aws {

// What CustomizeInput did that CustomizeOutput must know about.
struct Customization {
  bool encoding_type_auto_set = false;  // s3 List*: we asked for EncodingType=url, so decode the keys
};

// Before serialization, on validated input:
// - s3 ListObjects/ListObjectsV2/ListObjectVersions: EncodingType=url unless the caller chose one
//   (botocore set_list_objects_encoding_type_url), so any key survives the XML answer.
// - ec2 RunInstances: UserData is base64-encoded (botocore base64_encode_user_data).
Customization CustomizeInput(const OperationRef& op, Json* input);

// After a 2xx response was parsed:
// - s3 List*: URL-decodes the keys, prefixes and markers when EncodingType was set automatically.
// - s3 GetBucketLocation: LocationConstraint is the root element's text, or null (us-east-1).
// - cloudformation GetTemplate: a JSON TemplateBody becomes an object.
// (ec2 GetConsoleOutput's Output stays base64, unlike boto3: evidence needs the exact bytes.)
void CustomizeOutput(const OperationRef& op, const HttpResponse& response, const Customization& done,
                     Json* output);

}  // namespace cordon::aws
