// Support for unit tests (included only by *_test.cc files): the example credentials of the S3
// documentation's SigV4 examples, against whose published signatures the signer is checked.
#pragma once

#include "aws/credentials/credentials.h"

namespace cordon::test {

inline aws::Credentials S3DocCredentials() {
  aws::Credentials creds;
  creds.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  creds.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  return creds;
}

}  // namespace cordon::test
