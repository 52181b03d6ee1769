#include "aws/sigv4/signing_key.h"

#include "base/hash.h"

namespace cordon::aws::sigv4 {

std::string SigningKey(std::string_view secret_access_key, const SigningParams& p) {
  std::string secret = "AWS4";
  secret += secret_access_key;
  std::string key = HmacSha256(secret, FormatAmzDate(p.time).substr(0, 8));
  key = HmacSha256(key, p.region);
  key = HmacSha256(key, p.service);
  return HmacSha256(key, "aws4_request");
}

std::string Signature(std::string_view signing_key, std::string_view string_to_sign) {
  return HexEncode(HmacSha256(signing_key, string_to_sign));
}

}  // namespace cordon::aws::sigv4
