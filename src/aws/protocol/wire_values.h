// Scalar conversions shared by every protocol: timestamps, blobs, booleans, numbers.
#pragma once

#include <string>

#include "aws/model/service_model.h"
#include "base/error.h"
#include "base/json.h"

namespace cordon::aws::detail {

// Timestamp input (ISO 8601 string or epoch number) in the wire format: "iso8601",
// "unixTimestamp" or "rfc822".
Result<std::string> TimestampToWire(const Json& value, const std::string& format);
// Any wire timestamp (ISO 8601, epoch seconds, RFC 822) as boto3 prints it.
Json TimestampFromWire(const std::string& text);
// A blob input: base64 text, or "fileb://PATH" to read a file's raw bytes. Returns raw bytes.
Result<std::string> BlobToBytes(const Json& value);
// A scalar input value as text for query strings, headers and XML.
Result<std::string> ScalarToText(const ServiceModel& service, const Json& shape, const Json& value,
                                 const std::string& default_timestamp_format);
// Text from XML, headers or query strings, converted to the shape's JSON type.
Json ScalarFromText(const Json& shape, const std::string& text);

// The timestamp format for a member, taking the member reference, then the shape, then the default.
std::string TimestampFormat(const Json& member_ref, const Json& shape, const std::string& fallback);

// boto3 decodes URL-encoded IAM policy documents into objects (botocore's json_decode_policies).
// Walks `output` with its shape and does the same.
void DecodePolicyDocuments(const ServiceModel& service, const Json& shape, Json* output);

}  // namespace cordon::aws::detail
