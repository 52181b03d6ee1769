// A line-by-line port of the behaviour of CPython's configparser._read() with the defaults
// RawConfigParser() uses (delimiters '=' and ':', full-line comments '#' and ';', no inline comments,
// strict duplicates, empty lines allowed in values), plus botocore's _parse_nested() for sub-sections.
#include "aws/credentials/ini_file.h"

#include <fmt/format.h>

#include <cctype>
#include <optional>
#include <set>
#include <utility>

#include "base/strings.h"

namespace cordon::aws {
namespace {

constexpr std::string_view kDefaultSection = "DEFAULT";

// A value as configparser collects it before joining: one piece per physical line.
struct RawValue {
  int line = 0;
  std::vector<std::pair<std::string, int>> pieces;  // (text, line)
};

struct RawSection {
  std::string name;
  int line = 0;
  std::vector<std::pair<std::string, RawValue>> values;  // in file order
  RawValue* Find(std::string_view key) {
    for (auto& [k, v] : values)
      if (k == key) return &v;
    return nullptr;
  }
};

tl::unexpected<Error> LineError(std::string_view path, int line, std::string_view what) {
  return MakeError(ErrorKind::kInvalidArgument, fmt::format("{} line {}: {}", path, line, what));
}

// configparser's SECTCRE, r"\[(?P<header>.+)\]" used with match(): anchored at the start only, and
// greedy, so the header runs to the last ']'.
std::optional<std::string> SectionHeader(std::string_view value) {
  if (value.empty() || value.front() != '[') return std::nullopt;
  size_t close = value.rfind(']');
  if (close == std::string_view::npos || close < 2) return std::nullopt;
  return std::string(value.substr(1, close - 1));
}

size_t IndentOf(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
  return i;
}

// Joins the pieces as configparser does ('\n', then rstrip) and, when the result starts with a
// newline, parses it as a sub-section as botocore does.
Result<ConfigValue> Finish(const RawValue& raw, std::string_view path) {
  std::string joined;
  for (size_t i = 0; i < raw.pieces.size(); ++i) {
    if (i > 0) joined += '\n';
    joined += raw.pieces[i].first;
  }
  while (!joined.empty() && std::isspace(static_cast<unsigned char>(joined.back()))) joined.pop_back();

  ConfigValue value;
  value.line = raw.line;
  if (joined.empty() || joined.front() != '\n') {
    value.text = std::move(joined);
    return value;
  }
  value.is_sub_section = true;
  for (const auto& [piece, line] : raw.pieces) {
    std::string_view text = Trim(piece);
    if (text.empty()) continue;
    size_t eq = text.find('=');
    if (eq == std::string_view::npos) return LineError(path, line, "expected 'key = value' in a sub-section");
    value.sub[std::string(Trim(text.substr(0, eq)))] = std::string(Trim(text.substr(eq + 1)));
  }
  return value;
}

}  // namespace

Result<std::vector<IniSection>> ParseIni(std::string_view text, std::string_view path) {
  std::vector<RawSection> sections;
  RawSection defaults{std::string(kDefaultSection), 0, {}};
  RawSection* current = nullptr;
  RawValue* option = nullptr;  // the value continuation lines go to
  size_t indent_level = 0;
  std::set<std::string, std::less<>> seen_sections;

  int line_number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    std::string_view value = Trim(line);
    bool comment = !value.empty() && (value.front() == '#' || value.front() == ';');
    if (value.empty() || comment) {
      // A blank line may be part of a multi-line value; a comment line never is.
      if (!comment && option != nullptr) option->pieces.emplace_back("", line_number);
      continue;
    }

    size_t indent = IndentOf(line);
    if (option != nullptr && indent > indent_level) {
      option->pieces.emplace_back(std::string(value), line_number);
      continue;
    }
    indent_level = indent;

    if (std::optional<std::string> header = SectionHeader(value)) {
      option = nullptr;
      if (*header == kDefaultSection) {
        current = &defaults;
        continue;
      }
      if (!seen_sections.insert(*header).second)
        return LineError(path, line_number, fmt::format("section [{}] is defined twice", *header));
      sections.push_back(RawSection{*header, line_number, {}});
      current = &sections.back();
      continue;
    }
    if (current == nullptr) return LineError(path, line_number, "a setting before any [section] header");

    size_t delimiter = value.find_first_of("=:");
    if (delimiter == std::string_view::npos || delimiter == 0 || Trim(value.substr(0, delimiter)).empty()) {
      return LineError(path, line_number, "expected 'key = value', a [section] header or a comment");
    }
    std::string key = ToLower(Trim(value.substr(0, delimiter)));
    if (current->Find(key) != nullptr) {
      return LineError(path, line_number,
                       fmt::format("'{}' is set twice in section [{}]", key, current->name));
    }
    current->values.emplace_back(key, RawValue{line_number, {}});
    option = &current->values.back().second;
    option->pieces.emplace_back(std::string(Trim(value.substr(delimiter + 1))), line_number);
    // `sections` may reallocate on the next header, but `option` is reset there before it is used.
  }

  std::vector<IniSection> out;
  out.reserve(sections.size());
  for (const RawSection& raw : sections) {
    IniSection section{raw.name, {}, raw.line};
    for (const auto& [key, raw_value] : raw.values) {
      Result<ConfigValue> value = Finish(raw_value, path);
      if (!value) return tl::unexpected(value.error());
      section.values.emplace(key, std::move(*value));
    }
    for (const auto& [key, raw_value] : defaults.values) {
      if (section.values.contains(key)) continue;
      Result<ConfigValue> value = Finish(raw_value, path);
      if (!value) return tl::unexpected(value.error());
      section.values.emplace(key, std::move(*value));
    }
    out.push_back(std::move(section));
  }
  return out;
}

}  // namespace cordon::aws
