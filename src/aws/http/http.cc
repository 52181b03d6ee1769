#include "aws/http/http.h"

#include "base/strings.h"

namespace cordon::aws {

void HttpHeaders::Set(const std::string& name, std::string value) {
  Remove(name);
  entries.emplace_back(name, std::move(value));
}

void HttpHeaders::Add(std::string name, std::string value) {
  entries.emplace_back(std::move(name), std::move(value));
}

const std::string* HttpHeaders::Find(const std::string& name) const {
  for (const auto& [k, v] : entries)
    if (EqualsIgnoreCase(k, name)) return &v;
  return nullptr;
}

void HttpHeaders::Remove(const std::string& name) {
  std::erase_if(entries, [&](const auto& e) { return EqualsIgnoreCase(e.first, name); });
}

}  // namespace cordon::aws
