// Support for unit tests (included only by *_test.cc files): the parameters of a Query API request
// body (Action=...&Name=value, form-encoded), as a FakeTransport's handler reads them.
#pragma once

#include <map>
#include <string>

#include "base/encoding.h"
#include "base/strings.h"

namespace cordon::test {

inline std::map<std::string, std::string> FormParams(const std::string& body) {
  std::map<std::string, std::string> out;
  for (const std::string& pair : Split(body, '&')) {
    size_t eq = pair.find('=');
    if (eq != std::string::npos)
      out[UriDecode(pair.substr(0, eq), true)] = UriDecode(pair.substr(eq + 1), true);
  }
  return out;
}

}  // namespace cordon::test
