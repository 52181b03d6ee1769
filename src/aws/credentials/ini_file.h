// The INI dialect of ~/.aws/config and ~/.aws/credentials: Python's configparser as botocore uses it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace cordon::aws {

// One setting: a plain value, or a sub-section (a key with an empty value followed by indented
// "key = value" lines, as `s3 =` in a profile or each service in a [services x] section).
struct ConfigValue {
  std::string text;  // the value, surrounding whitespace removed; "" for a sub-section
  // The sub-section's settings. Their keys keep the case they were written in (botocore does not
  // lowercase them); top-level keys are lowercased.
  std::map<std::string, std::string, std::less<>> sub;
  bool is_sub_section = false;
  int line = 0;  // 1-based line of the key
};

using ConfigValues = std::map<std::string, ConfigValue, std::less<>>;

struct IniSection {
  std::string name;  // the text between the brackets, as written (section names are case-sensitive)
  ConfigValues values;
  int line = 0;
};

// Parses `text` as Python's configparser.RawConfigParser() reads it, then splits sub-sections as
// botocore's raw_config_parse() does. In short:
//   - lines whose first non-blank character is '#' or ';' are comments; there are no inline comments,
//     so "key = a # b" has the value "a # b";
//   - "key = value" or "key: value", split at the first '=' or ':', both sides trimmed, key lowercased;
//   - a line indented deeper than its key continues that key's value (joined with '\n');
//   - "[name]" starts a section; [DEFAULT] is not a section, its keys are inherited by every section.
// Sections come back in file order. Fails with kInvalidArgument, naming `path` and the line number but
// never the line's text (it may hold a secret), on: a setting before any section header, a line that
// is neither a header nor a setting, a section or key defined twice, a sub-section line without '='.
Result<std::vector<IniSection>> ParseIni(std::string_view text, std::string_view path);

}  // namespace cordon::aws
