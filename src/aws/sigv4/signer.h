// SigV4 header signing: puts the four stages together and adds the Authorization header.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
#pragma once

#include <string>
#include <string_view>

#include "aws/credentials/credentials.h"
#include "aws/http/http.h"
#include "aws/sigv4/signing_params.h"
#include "base/error.h"

namespace cordon::aws::sigv4 {

// Adds the headers that header signing sends, in this order, replacing any left by an earlier
// signature: Host (only when missing, from the URL), X-Amz-Security-Token (when creds has a session
// token; removed otherwise), X-Amz-Date, and x-amz-content-sha256 (only with p.sign_body). Removes
// Authorization. The canonical request of the result is what SignRequest signs.
void AddSigningHeaders(HttpRequest* req, const Credentials& creds, const SigningParams& p);

// The Authorization header value:
// "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date,
// Signature=<hex>".
std::string AuthorizationValue(std::string_view access_key_id, const SigningParams& p,
                               std::string_view signed_headers, std::string_view signature);

// Signs `req` in place through the Authorization header (AddSigningHeaders, then the four stages).
// Signing an already signed request again, e.g. for a retry at a later time, replaces the earlier
// signature. The body is hashed unless p.payload_hash is set. Fails with kInvalidArgument, leaving
// `req` unchanged, when creds is empty, the region or service is empty, or req->url is not absolute.
// Error messages never contain key material.
Status SignRequest(HttpRequest* req, const Credentials& creds, const SigningParams& p);

namespace detail {
// The checks SignRequest and PresignUrl share; see SignRequest.
Status CheckSignable(const HttpRequest& req, const Credentials& creds, const SigningParams& p);
}  // namespace detail

}  // namespace cordon::aws::sigv4
