// Writes JSON text exactly as nlohmann's dump(2) writes it (invalid UTF-8 replaced), without building a
// document first.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace cordon::hunt {

// The hunt's result lists can hold hundreds of thousands of flow aggregates and thousands of events:
// building a Json per item and dumping it costs more than the scan's own work on them, and it is serial.
// This writer appends the same bytes as Json::dump(2) straight into a buffer, starting at a given
// indentation, so its output can stand in for a list inside a document dumped with dump(2).
//
//   DumpWriter w(&buffer, 4);
//   w.BeginArray().BeginObject();
//   w.Key("peer").String(peer);
//   w.EndObject().EndArray();
//
// The common calls are defined here, inline: they run a dozen times per aggregate. Not thread-safe.
// Strings that are not plain printable ASCII go through nlohmann's own escaping, with invalid UTF-8
// replaced by U+FFFD as dump(2, ' ', false, error_handler_t::replace) does: the hunt's strings come from
// logs and file names, which may hold any bytes, and the output must not abort on them.
class DumpWriter {
 public:
  // `indent`: the number of spaces before the line the first value starts on (its own first line is not
  // indented: it continues a key or an array's line).
  DumpWriter(fmt::memory_buffer* out, int indent) : out_(*out), base_indent_(static_cast<size_t>(indent)) {}

  // Each call returns the writer, so that a member reads as one line: w.Key("port").Number(443);
  DumpWriter& BeginObject() { return Begin('{'); }
  DumpWriter& EndObject() { return End('}'); }
  DumpWriter& BeginArray() { return Begin('['); }
  DumpWriter& EndArray() { return End(']'); }
  // An object member's key; the next call writes its value.
  DumpWriter& Key(std::string_view name) {
    Separate();
    AppendString(name);
    Append(": ");
    return *this;
  }

  DumpWriter& String(std::string_view s) {
    BeforeValue();
    AppendString(s);
    return *this;
  }
  DumpWriter& Null() { return Literal("null"); }
  DumpWriter& Bool(bool b) { return Literal(b ? "true" : "false"); }
  DumpWriter& Number(uint64_t n) { return Digits(fmt::format_int(n)); }
  DumpWriter& Number(int64_t n) { return Digits(fmt::format_int(n)); }
  DumpWriter& Number(int n) { return Number(static_cast<int64_t>(n)); }
  // A string, or null when it is empty.
  DumpWriter& StringOrNull(std::string_view s) { return s.empty() ? Null() : String(s); }

 private:
  struct Level {
    bool is_array;
    bool empty = true;
  };

  DumpWriter& Begin(char bracket) {
    BeforeValue();
    out_.push_back(bracket);
    levels_.push_back({bracket == '['});
    return *this;
  }
  DumpWriter& End(char bracket) {
    // dump writes an empty container as "[]" or "{}", on one line.
    const bool empty = levels_.back().empty;
    levels_.pop_back();
    if (!empty) NewLine();
    out_.push_back(bracket);
    return *this;
  }
  // What precedes a value: in an array, a separator and a new line; nothing after a key or at the top.
  void BeforeValue() {
    if (!levels_.empty() && levels_.back().is_array) Separate();
  }
  // A comma unless this is the container's first member or item, then a new line at the members' depth.
  void Separate() {
    Level& level = levels_.back();
    if (!level.empty) out_.push_back(',');
    level.empty = false;
    NewLine();
  }
  void NewLine() {
    out_.push_back('\n');
    size_t spaces = base_indent_ + 2 * levels_.size();
    constexpr std::string_view kSpaces = "                                ";
    for (; spaces > kSpaces.size(); spaces -= kSpaces.size()) Append(kSpaces);
    Append(kSpaces.substr(0, spaces));
  }
  DumpWriter& Literal(std::string_view literal) {
    BeforeValue();
    Append(literal);
    return *this;
  }
  DumpWriter& Digits(const fmt::format_int& digits) { return Literal({digits.data(), digits.size()}); }
  void AppendString(std::string_view s) {
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') return AppendEscaped(s);
    }
    out_.push_back('"');
    Append(s);
    out_.push_back('"');
  }
  // Through nlohmann's escaping, for strings with anything but plain printable ASCII.
  void AppendEscaped(std::string_view s);
  void Append(std::string_view s) { out_.append(s.data(), s.data() + s.size()); }

  fmt::memory_buffer& out_;
  size_t base_indent_;
  std::vector<Level> levels_;
};

}  // namespace cordon::hunt
