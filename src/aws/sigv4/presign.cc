#include "aws/sigv4/presign.h"

#include "aws/sigv4/request_url.h"
#include "aws/sigv4/signer.h"
#include "aws/sigv4/signing_key.h"
#include "aws/sigv4/string_to_sign.h"
#include "base/encoding.h"

namespace cordon::aws::sigv4 {
namespace {
constexpr char kSecurityTokenParam[] = "X-Amz-Security-Token";
constexpr char kSignatureParam[] = "X-Amz-Signature";
}  // namespace

QueryParams PresignQueryParams(const Credentials& creds, const SigningParams& p,
                               const std::string& signed_headers) {
  QueryParams params = {
      {"X-Amz-Algorithm", kAlgorithm},
      {"X-Amz-Credential", creds.access_key_id + "/" + CredentialScope(p)},
      {"X-Amz-Date", FormatAmzDate(p.time)},
      {"X-Amz-SignedHeaders", signed_headers},
      {"X-Amz-Expires", std::to_string(p.expires.count())},
  };
  if (!creds.session_token.empty()) params.emplace_back(kSecurityTokenParam, creds.session_token);
  return params;
}

std::string QueryCanonicalRequest(const HttpRequest& req, const Credentials& creds, const SigningParams& p) {
  std::string signed_headers;
  CanonicalHeaders(req, p, &signed_headers);
  QueryParams params = PresignQueryParams(creds, p, signed_headers);
  if (p.omit_session_token)
    std::erase_if(params, [](const auto& kv) { return kv.first == kSecurityTokenParam; });
  return CanonicalRequest(req, p, params, &signed_headers);
}

Result<std::string> PresignUrl(const HttpRequest& req, const Credentials& creds, const SigningParams& p) {
  if (Status s = detail::CheckSignable(req, creds, p); !s) return tl::unexpected(s.error());
  if (p.expires < std::chrono::seconds(1) || p.expires > kMaxPresignExpiry) {
    return MakeError(
        ErrorKind::kInvalidArgument,
        "a presigned URL must expire within 1 to 604800 seconds, not " + std::to_string(p.expires.count()));
  }
  detail::RequestUrl url = detail::SplitRequestUrl(req.url);
  for (const auto& [key, value] : ParseQuery(url.query)) {
    if (key == kSignatureParam) {
      return MakeError(ErrorKind::kInvalidArgument, "the URL to presign already carries X-Amz-Signature");
    }
  }

  std::string canonical = QueryCanonicalRequest(req, creds, p);
  std::string signature = Signature(SigningKey(creds.secret_access_key, p), StringToSign(canonical, p));

  std::string out = req.url.substr(0, req.url.find('#'));
  if (!url.has_query_mark) {
    out += '?';
  } else if (!url.query.empty()) {
    out += '&';
  }
  // Appended in the order of aws-c-auth's signed requests; AWS does not care, as the canonical query
  // is sorted.
  std::string signed_headers;
  CanonicalHeaders(req, p, &signed_headers);
  for (const auto& [key, value] : PresignQueryParams(creds, p, signed_headers)) {
    out += key;
    out += '=';
    out += UriEncode(value);
    out += '&';
  }
  out += kSignatureParam;
  out += '=';
  out += signature;
  return out;
}

}  // namespace cordon::aws::sigv4
