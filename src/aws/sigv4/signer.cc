#include "aws/sigv4/signer.h"

#include "aws/sigv4/canonical_request.h"
#include "aws/sigv4/request_url.h"
#include "aws/sigv4/signing_key.h"
#include "aws/sigv4/string_to_sign.h"

namespace cordon::aws::sigv4 {

void AddSigningHeaders(HttpRequest* req, const Credentials& creds, const SigningParams& p) {
  req->headers.Remove("Authorization");
  if (req->headers.Find("Host") == nullptr) {
    req->headers.Add("Host", detail::SplitRequestUrl(req->url).host_header);
  }
  req->headers.Remove("X-Amz-Security-Token");
  if (!creds.session_token.empty()) req->headers.Add("X-Amz-Security-Token", creds.session_token);
  req->headers.Set("X-Amz-Date", FormatAmzDate(p.time));
  if (p.sign_body) req->headers.Set("x-amz-content-sha256", PayloadHash(*req, p));
}

std::string AuthorizationValue(std::string_view access_key_id, const SigningParams& p,
                               std::string_view signed_headers, std::string_view signature) {
  std::string out = kAlgorithm;
  out += " Credential=";
  out += access_key_id;
  out += '/';
  out += CredentialScope(p);
  out += ", SignedHeaders=";
  out += signed_headers;
  out += ", Signature=";
  out += signature;
  return out;
}

Status SignRequest(HttpRequest* req, const Credentials& creds, const SigningParams& p) {
  if (Status s = detail::CheckSignable(*req, creds, p); !s) return s;
  AddSigningHeaders(req, creds, p);
  std::string signed_headers;
  std::string canonical = CanonicalRequest(*req, p, &signed_headers);
  std::string signature = Signature(SigningKey(creds.secret_access_key, p), StringToSign(canonical, p));
  req->headers.Add("Authorization", AuthorizationValue(creds.access_key_id, p, signed_headers, signature));
  return Ok();
}

namespace detail {

Status CheckSignable(const HttpRequest& req, const Credentials& creds, const SigningParams& p) {
  if (creds.empty()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "cannot sign a request without credentials (access key id and secret key are required)");
  }
  if (p.region.empty() || p.service.empty()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "cannot sign a request without a region and a service name");
  }
  if (!SplitRequestUrl(req.url).valid()) {
    // Only up to the query: a query may carry a session token.
    std::string shown = req.url.substr(0, req.url.find('?'));
    return MakeError(ErrorKind::kInvalidArgument,
                     "cannot sign a request whose URL is not absolute: '" + shown + "'");
  }
  return Ok();
}

}  // namespace detail
}  // namespace cordon::aws::sigv4
