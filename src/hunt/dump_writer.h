// Writes JSON text exactly as nlohmann's dump(2) writes it, without building a document first.
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
// Not thread-safe. Strings that are not plain printable ASCII go through nlohmann's own escaping (and
// its UTF-8 check, which throws on invalid UTF-8, as dump does).
class DumpWriter {
 public:
  // `indent`: the number of spaces before the line the first value starts on (its own first line is not
  // indented: it continues a key or an array's line).
  DumpWriter(fmt::memory_buffer* out, int indent) : out_(*out), base_indent_(indent) {}

  // Each call returns the writer, so that a member reads as one line: w.Key("port").Number(443);
  DumpWriter& BeginObject() { return Begin('{'); }
  DumpWriter& EndObject() { return End('}'); }
  DumpWriter& BeginArray() { return Begin('['); }
  DumpWriter& EndArray() { return End(']'); }
  // An object member's key; the next call writes its value.
  DumpWriter& Key(std::string_view name);

  DumpWriter& String(std::string_view s);
  DumpWriter& Null() { return Literal("null"); }
  DumpWriter& Bool(bool b) { return Literal(b ? "true" : "false"); }
  DumpWriter& Number(uint64_t n);
  DumpWriter& Number(int64_t n);
  DumpWriter& Number(int n) { return Number(static_cast<int64_t>(n)); }
  // A string, or null when it is empty.
  DumpWriter& StringOrNull(std::string_view s) { return s.empty() ? Null() : String(s); }

 private:
  struct Level {
    bool is_array;
    bool empty = true;
  };

  DumpWriter& Begin(char bracket);
  DumpWriter& End(char bracket);
  // Writes what precedes a value: a separator and new line in an array, nothing after a key.
  void BeforeValue();
  DumpWriter& Literal(std::string_view literal) {
    BeforeValue();
    Append(literal);
    return *this;
  }
  void NewLine(size_t depth);
  void Append(std::string_view s) { out_.append(s.data(), s.data() + s.size()); }

  fmt::memory_buffer& out_;
  int base_indent_;
  std::vector<Level> levels_;
};

}  // namespace cordon::hunt
