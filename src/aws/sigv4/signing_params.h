// What a SigV4 signature covers besides the request: region, service, time, and per-service quirks.
#pragma once

#include <chrono>
#include <string>

#include "base/time.h"

namespace cordon::aws::sigv4 {

// The algorithm name that opens the string to sign and the Authorization header.
inline constexpr char kAlgorithm[] = "AWS4-HMAC-SHA256";
// The payload hash S3 accepts in place of a real one (presigned URLs, streamed uploads).
inline constexpr char kUnsignedPayload[] = "UNSIGNED-PAYLOAD";

// Everything but the request and the credentials. Defaults suit every AWS service but S3; for S3 set
// normalize_path = false, double_encode_path = false and sign_body = true.
struct SigningParams {
  std::string region;   // e.g. "us-east-1"
  std::string service;  // the signing name, e.g. "ec2", "s3", "sts"
  TimePoint time;       // X-Amz-Date; only whole seconds count
  // Remove "." and ".." segments and empty segments ("//") from the path before signing.
  bool normalize_path = true;
  // URI-encode the (already percent-encoded) path once more, segment by segment, as every service
  // but S3 expects.
  bool double_encode_path = true;
  // Add and sign the x-amz-content-sha256 header (header signing only; S3 requires it).
  bool sign_body = false;
  // Send X-Amz-Security-Token but leave it out of the signature: the token is still added to the
  // request (or URL), after everything that is signed. A few services (IoT) want this.
  bool omit_session_token = false;
  // The payload hash to sign: hex SHA-256 of the body, or kUnsignedPayload. Empty: computed from
  // the request body.
  std::string payload_hash;
  // Presigned URLs only: X-Amz-Expires, from 1 second to 7 days.
  std::chrono::seconds expires{3600};
};

}  // namespace cordon::aws::sigv4
