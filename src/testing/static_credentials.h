// Support for unit tests (included only by *_test.cc files): credentials that never change, for
// clients that talk to a fake transport.
#pragma once

#include <optional>
#include <string>

#include "aws/credentials/credentials.h"

namespace cordon::test {

class StaticCredentials : public aws::CredentialsProvider {
 public:
  Result<aws::Credentials> Get() override {
    return aws::Credentials{"AKIDEXAMPLE", "secret", "", std::nullopt, "test"};
  }
  std::string Name() const override { return "static"; }
};

}  // namespace cordon::test
