// SigV4 query signing: presigned URLs, which carry the signature in X-Amz-* query parameters instead
// of the Authorization header.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
#pragma once

#include <chrono>
#include <string>

#include "aws/credentials/credentials.h"
#include "aws/http/http.h"
#include "aws/sigv4/canonical_request.h"
#include "aws/sigv4/signing_params.h"
#include "base/error.h"

namespace cordon::aws::sigv4 {

// Longest X-Amz-Expires AWS accepts: 7 days.
inline constexpr std::chrono::seconds kMaxPresignExpiry{7 * 24 * 3600};

// The parameters a presigned URL adds before X-Amz-Signature, decoded, in the order they are
// appended: X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders, X-Amz-Expires and,
// when creds has a session token, X-Amz-Security-Token. `signed_headers` is the SignedHeaders list of
// the request (see CanonicalHeaders).
QueryParams PresignQueryParams(const Credentials& creds, const SigningParams& p,
                               const std::string& signed_headers);

// Stage 1 for query signing: the canonical request of `req` with the PresignQueryParams added to its
// query (X-Amz-Security-Token left out with p.omit_session_token). Only the headers `req` already
// has are signed (and Host); nothing is added to them. The payload hash is p.payload_hash or the hash
// of the body; S3 wants kUnsignedPayload here.
std::string QueryCanonicalRequest(const HttpRequest& req, const Credentials& creds, const SigningParams& p);

// The presigned URL: req.url with the PresignQueryParams and X-Amz-Signature appended, every value
// RFC 3986-encoded. Whoever holds the URL can make the request until it expires, so treat it as a
// secret. Fails with kInvalidArgument as SignRequest does, when p.expires is not within 1 second to
// 7 days, or when the URL already carries X-Amz-Signature.
Result<std::string> PresignUrl(const HttpRequest& req, const Credentials& creds, const SigningParams& p);

}  // namespace cordon::aws::sigv4
