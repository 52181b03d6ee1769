#include "cloud/tags.h"

#include <algorithm>

#include "base/strings.h"

namespace cordon::cloud {

Tags TagsFromList(const Json& tag_list) {
  Tags tags;
  if (!tag_list.is_array()) return tags;
  for (const Json& t : tag_list) tags.emplace_back(t.value("Key", ""), t.value("Value", ""));
  std::sort(tags.begin(), tags.end());
  return tags;
}

std::string FirstTagMatch(const Tags& tags, const std::vector<std::string>& keys) {
  for (const std::string& key : keys)
    for (const auto& [k, v] : tags)
      if (EqualsIgnoreCase(k, key)) return k + "=" + v;
  return "";
}

std::vector<std::string> ParseKeyList(const std::string& text) {
  std::vector<std::string> keys;
  for (const std::string& item : Split(text, ',')) {
    std::string_view t = Trim(item);
    if (!t.empty()) keys.emplace_back(t);
  }
  return keys;
}

}  // namespace cordon::cloud
