#include "hunt/dump_writer.h"

#include <algorithm>
#include <string>

#include "base/json.h"

namespace cordon::hunt {

void DumpWriter::NewLine(size_t depth) {
  out_.push_back('\n');
  const size_t spaces = static_cast<size_t>(base_indent_) + 2 * depth;
  for (size_t i = 0; i < spaces; ++i) out_.push_back(' ');
}

void DumpWriter::BeforeValue() {
  if (levels_.empty() || !levels_.back().is_array) return;  // the document's value, or after Key()
  Level& level = levels_.back();
  if (!level.empty) out_.push_back(',');
  level.empty = false;
  NewLine(levels_.size());
}

DumpWriter& DumpWriter::Begin(char bracket) {
  BeforeValue();
  out_.push_back(bracket);
  levels_.push_back({bracket == '['});
  return *this;
}

DumpWriter& DumpWriter::End(char bracket) {
  // dump writes an empty container as "[]" or "{}", on one line.
  const bool empty = levels_.back().empty;
  levels_.pop_back();
  if (!empty) NewLine(levels_.size());
  out_.push_back(bracket);
  return *this;
}

DumpWriter& DumpWriter::Key(std::string_view name) {
  Level& level = levels_.back();
  if (!level.empty) out_.push_back(',');
  level.empty = false;
  NewLine(levels_.size());
  String(name);
  Append(": ");
  return *this;
}

DumpWriter& DumpWriter::String(std::string_view s) {
  BeforeValue();
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f && c != '"' && c != '\\';
  });
  if (!plain) {
    Append(Json(std::string(s)).dump());
    return *this;
  }
  out_.push_back('"');
  Append(s);
  out_.push_back('"');
  return *this;
}

DumpWriter& DumpWriter::Number(uint64_t n) {
  BeforeValue();
  const fmt::format_int digits(n);
  out_.append(digits.data(), digits.data() + digits.size());
  return *this;
}

DumpWriter& DumpWriter::Number(int64_t n) {
  BeforeValue();
  const fmt::format_int digits(n);
  out_.append(digits.data(), digits.data() + digits.size());
  return *this;
}

}  // namespace cordon::hunt
