#include "hunt/dump_writer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "base/json.h"

namespace cordon::hunt {
namespace {

// Writes `j` through the writer, the way the hunt's output writes its lists.
void Write(const Json& j, DumpWriter& w) {
  switch (j.type()) {
    case Json::value_t::object:
      w.BeginObject();
      for (const auto& [key, value] : j.items()) {
        w.Key(key);
        Write(value, w);
      }
      w.EndObject();
      return;
    case Json::value_t::array:
      w.BeginArray();
      for (const Json& item : j) Write(item, w);
      w.EndArray();
      return;
    case Json::value_t::string:
      w.String(j.get<std::string>());
      return;
    case Json::value_t::null:
      w.Null();
      return;
    case Json::value_t::boolean:
      w.Bool(j.get<bool>());
      return;
    case Json::value_t::number_unsigned:
      w.Number(j.get<uint64_t>());
      return;
    case Json::value_t::number_integer:
      w.Number(j.get<int64_t>());
      return;
    default:
      FAIL() << "type not written by the hunt: " << j.type_name();
  }
}

std::string Written(const Json& j, int indent) {
  fmt::memory_buffer out;
  DumpWriter w(&out, indent);
  Write(j, w);
  return fmt::to_string(out);
}

// dump(2)'s text moved right by `indent` spaces on every line but the first.
std::string DumpAt(const Json& j, int indent) {
  std::string text;
  for (char c : j.dump(2, ' ', false, Json::error_handler_t::replace)) {
    text += c;
    if (c == '\n') text.append(static_cast<size_t>(indent), ' ');
  }
  return text;
}

TEST(DumpWriter, WritesWhatDumpWrites) {
  const Json samples[] = {
      Json::array(),
      Json::object(),
      Json{{"a", Json::array()}, {"b", Json::object()}, {"c", nullptr}},
      Json{{"peer", "10.0.0.1"}, {"port", 443}, {"bytes", uint64_t{18446744073709551615u}}, {"n", -7}},
      Json::array({Json::array(), Json::array({1, 2}), Json::object(), true, false}),
      Json{{"identity", {{"type", "AssumedRole"}, {"arn", nullptr}}}, {"resources", Json::array({"arn:x"})}},
      // Strings that need escaping: quotes, backslashes, control characters, UTF-8, DEL.
      Json{{"we\"ird\\key", "tab\there\nnew line \x01\x1f\x7f"}, {"utf8", "caf\xc3\xa9 \xe2\x9c\x93"}},
      Json{{"invalid utf-8", "\xff\xfe cut \xc3"}, {"\xe9t\xe9", Json::array({"\x80"})}},
      Json("just a string"),
  };
  for (const Json& j : samples) {
    for (int indent : {0, 4, 6}) EXPECT_EQ(Written(j, indent), DumpAt(j, indent)) << DumpAt(j, 0);
  }
}

// Random documents of nested objects and arrays, with random strings and numbers.
Json RandomJson(std::mt19937& rng, int depth) {
  std::uniform_int_distribution<int> kind(0, depth > 3 ? 3 : 5);
  auto random_string = [&] {
    std::string s;
    const int n = std::uniform_int_distribution<int>(0, 8)(rng);
    for (int i = 0; i < n; ++i) s += static_cast<char>(std::uniform_int_distribution<int>(1, 127)(rng));
    return s;
  };
  switch (kind(rng)) {
    case 0:
      return Json(random_string());
    case 1:
      return Json(static_cast<int64_t>(rng()) - static_cast<int64_t>(rng()));
    case 2:
      return Json(nullptr);
    case 3:
      return Json(std::uniform_int_distribution<int>(0, 1)(rng) == 1);
    case 4: {
      Json a = Json::array();
      const int n = std::uniform_int_distribution<int>(0, 4)(rng);
      for (int i = 0; i < n; ++i) a.push_back(RandomJson(rng, depth + 1));
      return a;
    }
    default: {
      Json o = Json::object();
      const int n = std::uniform_int_distribution<int>(0, 4)(rng);
      for (int i = 0; i < n; ++i) o[random_string()] = RandomJson(rng, depth + 1);
      return o;
    }
  }
}

TEST(DumpWriter, RandomDocumentsMatchDump) {
  std::mt19937 rng(20261128);
  for (int i = 0; i < 2000; ++i) {
    const Json j = RandomJson(rng, 0);
    ASSERT_EQ(Written(j, 2), DumpAt(j, 2)) << DumpAt(j, 0);
  }
}

TEST(DumpWriter, ReplacesInvalidUtf8AsDumpWithReplaceDoes) {
  fmt::memory_buffer out;
  DumpWriter w(&out, 0);
  w.String("bad \xff byte");
  EXPECT_EQ(fmt::to_string(out), "\"bad \xef\xbf\xbd byte\"");
}

}  // namespace
}  // namespace cordon::hunt
