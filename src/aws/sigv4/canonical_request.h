// SigV4 stage 1: the canonical request, the exact text whose hash the signature covers.
//
// Layout (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html):
//
//   HTTPMethod \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HashedPayload
//
// where CanonicalHeaders is one "name:value\n" line per signed header. Each piece is a function of its
// own so the test vectors can check them one by one. These functions sign the request exactly as it is:
// they add nothing but the Host header a request without one will be sent with (see signer.h for the
// headers header signing adds, presign.h for the query parameters of presigned URLs).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/http/http.h"
#include "aws/sigv4/signing_params.h"

namespace cordon::aws::sigv4 {

// Query parameters, decoded, in the order they appear.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// The path as signed. An empty path is "/". With p.normalize_path, "." and ".." segments and empty
// segments ("//") are removed; a trailing '/' is kept. With p.double_encode_path, the path is
// URI-encoded again (every byte outside A-Z a-z 0-9 - _ . ~ /), so "a%20b" is signed as "a%2520b"
// and a raw "a b" as "a%20b".
std::string CanonicalUri(std::string_view path, const SigningParams& p);

// Splits a query string ("a=1&b&c=") into decoded pairs; a key without '=' has an empty value.
// Empty pieces ("&&") are dropped. '+' is taken literally, not as a space.
QueryParams ParseQuery(std::string_view query);

// RFC 3986-encodes every key and value, sorts by encoded key then encoded value, and joins them as
// "k1=v1&k2=v2". Empty when there are no parameters.
std::string CanonicalQueryString(const QueryParams& params);

// The CanonicalHeaders block ("name:value\n" per header) and, in *signed_headers, the SignedHeaders
// list ("host;x-amz-date"). Names are lowercased and sorted; values are trimmed and each run of
// whitespace (folded lines included) becomes one space; headers of the same name are joined with ','
// in the order they appear. A request without a Host header is signed with the one its URL implies.
// Never signed: Authorization, User-Agent, X-Amzn-Trace-Id, Expect, Transfer-Encoding, Connection
// (proxies and HTTP libraries change them), nor X-Amz-Security-Token when p.omit_session_token.
std::string CanonicalHeaders(const HttpRequest& req, const SigningParams& p, std::string* signed_headers);

// p.payload_hash when set, otherwise the hex SHA-256 of req.body.
std::string PayloadHash(const HttpRequest& req, const SigningParams& p);

// The canonical request of `req` as it stands. *signed_headers receives the SignedHeaders list.
std::string CanonicalRequest(const HttpRequest& req, const SigningParams& p, std::string* signed_headers);

// As above, with `extra_query` (decoded) signed as if it were part of the URL's query: the
// X-Amz-* parameters of a presigned URL.
std::string CanonicalRequest(const HttpRequest& req, const SigningParams& p, const QueryParams& extra_query,
                             std::string* signed_headers);

}  // namespace cordon::aws::sigv4
