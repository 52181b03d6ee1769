#include "aws/sigv4/string_to_sign.h"

#include "base/hash.h"

namespace cordon::aws::sigv4 {

std::string CredentialScope(const SigningParams& p) {
  // The date of the scope is the day part of X-Amz-Date, so the two always agree.
  return FormatAmzDate(p.time).substr(0, 8) + "/" + p.region + "/" + p.service + "/aws4_request";
}

std::string StringToSign(std::string_view canonical_request, const SigningParams& p) {
  std::string out = kAlgorithm;
  out += '\n';
  out += FormatAmzDate(p.time);
  out += '\n';
  out += CredentialScope(p);
  out += '\n';
  out += Sha256Hex(canonical_request);
  return out;
}

}  // namespace cordon::aws::sigv4
