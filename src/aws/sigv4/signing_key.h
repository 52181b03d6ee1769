// SigV4 stages 3 and 4: the signing key derived from the secret, and the signature it makes.
//
//   kDate    = HMAC("AWS4" + secret, "20150830")
//   kRegion  = HMAC(kDate, region)
//   kService = HMAC(kRegion, service)
//   kSigning = HMAC(kService, "aws4_request")
//   signature = hex(HMAC(kSigning, string to sign))
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#derive-signing-key
#pragma once

#include <string>
#include <string_view>

#include "aws/sigv4/signing_params.h"

namespace cordon::aws::sigv4 {

// The 32 raw bytes of kSigning for p's date, region and service. As secret as the secret key itself:
// never print, log or store it.
std::string SigningKey(std::string_view secret_access_key, const SigningParams& p);

// The signature, 64 lowercase hex characters.
std::string Signature(std::string_view signing_key, std::string_view string_to_sign);

}  // namespace cordon::aws::sigv4
