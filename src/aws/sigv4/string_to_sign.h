// SigV4 stage 2: the string to sign, which binds the canonical request to a time, region and service.
//
//   AWS4-HMAC-SHA256 \n
//   20150830T123600Z \n                      (X-Amz-Date)
//   20150830/us-east-1/iam/aws4_request \n   (credential scope)
//   hex(sha256(canonical request))
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-string-to-sign
#pragma once

#include <string>
#include <string_view>

#include "aws/sigv4/signing_params.h"

namespace cordon::aws::sigv4 {

// "20150830/us-east-1/service/aws4_request".
std::string CredentialScope(const SigningParams& p);

std::string StringToSign(std::string_view canonical_request, const SigningParams& p);

}  // namespace cordon::aws::sigv4
