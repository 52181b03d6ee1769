#include "aws/jmespath/functions.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "aws/jmespath/interpreter.h"

namespace cordon::jmespath::detail {
namespace {

// The JMESPath type names, as the specification and error messages spell them.
std::string_view TypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return "string";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::array:
      return "array";
    case Json::value_t::object:
      return "object";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "number";
    default:
      return "null";
  }
}

enum TypeBit : unsigned {
  kString = 1,
  kNumber = 2,
  kBoolean = 4,
  kNull = 8,
  kArray = 16,
  kObject = 32,
  kExpref = 64,
  kAny = kString | kNumber | kBoolean | kNull | kArray | kObject,
};

unsigned TypeBitOf(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return kString;
    case Json::value_t::boolean:
      return kBoolean;
    case Json::value_t::array:
      return kArray;
    case Json::value_t::object:
      return kObject;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return kNumber;
    default:
      return kNull;
  }
}

unsigned TypeBitOf(const Argument& arg) { return arg.expref != nullptr ? kExpref : TypeBitOf(arg.value()); }

std::string Describe(unsigned mask) {
  static constexpr struct {
    unsigned bit;
    std::string_view name;
  } kNames[] = {{kString, "string"}, {kNumber, "number"}, {kBoolean, "boolean"},  {kNull, "null"},
                {kArray, "array"},   {kObject, "object"}, {kExpref, "expression"}};
  std::vector<std::string_view> names;
  for (const auto& n : kNames) {
    if ((mask & n.bit) != 0) names.push_back(n.name);
  }
  // "string", "string or array", "string, array or object".
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

// Checks that args[i] has one of the types in `mask`; on failure fills *error.
bool Check(std::string_view function, const std::vector<Argument>& args, size_t i, unsigned mask,
           std::string* error) {
  unsigned actual = TypeBitOf(args[i]);
  if ((actual & mask) != 0) return true;
  *error = std::string(function) + "() expects " + Describe(mask) + " for argument " + std::to_string(i + 1) +
           ", got " + (actual == kExpref ? "expression" : std::string(TypeName(args[i].value())));
  return false;
}

// For "array[number]" / "array[string]" parameters: every element must have the type `mask`
// (a single bit), or with kNumber | kString, the type of the first element.
bool CheckElements(std::string_view function, const Json& array, unsigned mask, std::string* error) {
  if (array.empty()) return true;
  if (mask == (kNumber | kString)) {
    mask = array.front().is_string() ? kString : kNumber;
  }
  for (const Json& element : array) {
    if ((TypeBitOf(element) & mask) == 0) {
      *error = std::string(function) + "() expects an array of " + Describe(mask) +
               ", found an element of type " + std::string(TypeName(element));
      return false;
    }
  }
  return true;
}

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Orders two numbers or two strings (callers have checked the types match).
bool Less(const Json& a, const Json& b) {
  if (a.is_string()) return a.get_ref<const std::string&>() < b.get_ref<const std::string&>();
  if (a.is_number_float() || b.is_number_float()) return a.get<double>() < b.get<double>();
  if (a.is_number_unsigned() || b.is_number_unsigned()) {
    // Mixed signs: a negative signed value is below every unsigned one.
    if (a.is_number_integer() && a.get<int64_t>() < 0) return true;
    if (b.is_number_integer() && b.get<int64_t>() < 0) return false;
    return a.get<uint64_t>() < b.get<uint64_t>();
  }
  return a.get<int64_t>() < b.get<int64_t>();
}

// Sums numbers the way Python does: integers stay integers, a float anywhere makes a float.
Json Add(const Json& a, const Json& b) {
  if (a.is_number_float() || b.is_number_float()) return a.get<double>() + b.get<double>();
  return a.get<int64_t>() + b.get<int64_t>();
}

Json ToInteger(double d) {
  if (d >= -9.2e18 && d <= 9.2e18) return static_cast<int64_t>(d);
  return d;
}

using Args = std::vector<Argument>;

Json Abs(Interpreter&, Args& args, std::string* error) {
  if (!Check("abs", args, 0, kNumber, error)) return nullptr;
  const Json& v = args[0].value();
  if (v.is_number_float()) return std::fabs(v.get<double>());
  if (v.is_number_unsigned()) return v;
  int64_t n = v.get<int64_t>();
  return n < 0 ? Json(-n) : v;
}

Json Avg(Interpreter&, Args& args, std::string* error) {
  if (!Check("avg", args, 0, kArray, error) || !CheckElements("avg", args[0].value(), kNumber, error)) {
    return nullptr;
  }
  const Json& array = args[0].value();
  if (array.empty()) return nullptr;
  double sum = 0;
  for (const Json& v : array) sum += v.get<double>();
  return sum / static_cast<double>(array.size());
}

Json Ceil(Interpreter&, Args& args, std::string* error) {
  if (!Check("ceil", args, 0, kNumber, error)) return nullptr;
  if (!args[0].value().is_number_float()) return args[0].value();
  return ToInteger(std::ceil(args[0].value().get<double>()));
}

Json Floor(Interpreter&, Args& args, std::string* error) {
  if (!Check("floor", args, 0, kNumber, error)) return nullptr;
  if (!args[0].value().is_number_float()) return args[0].value();
  return ToInteger(std::floor(args[0].value().get<double>()));
}

Json Contains(Interpreter&, Args& args, std::string* error) {
  if (!Check("contains", args, 0, kArray | kString, error) || !Check("contains", args, 1, kAny, error)) {
    return nullptr;
  }
  const Json& subject = args[0].value();
  const Json& search = args[1].value();
  if (subject.is_string()) {
    return search.is_string() && subject.get_ref<const std::string&>().find(
                                     search.get_ref<const std::string&>()) != std::string::npos;
  }
  for (const Json& element : subject) {
    if (JsonEquals(element, search)) return true;
  }
  return false;
}

Json EndsWith(Interpreter&, Args& args, std::string* error) {
  if (!Check("ends_with", args, 0, kString, error) || !Check("ends_with", args, 1, kString, error)) {
    return nullptr;
  }
  const auto& s = args[0].value().get_ref<const std::string&>();
  const auto& suffix = args[1].value().get_ref<const std::string&>();
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Json StartsWith(Interpreter&, Args& args, std::string* error) {
  if (!Check("starts_with", args, 0, kString, error) || !Check("starts_with", args, 1, kString, error)) {
    return nullptr;
  }
  const auto& s = args[0].value().get_ref<const std::string&>();
  const auto& prefix = args[1].value().get_ref<const std::string&>();
  return s.compare(0, prefix.size(), prefix) == 0;
}

Json Join(Interpreter&, Args& args, std::string* error) {
  if (!Check("join", args, 0, kString, error) || !Check("join", args, 1, kArray, error) ||
      !CheckElements("join", args[1].value(), kString, error)) {
    return nullptr;
  }
  std::string out;
  bool first = true;
  for (const Json& part : args[1].value()) {
    if (!first) out += args[0].value().get_ref<const std::string&>();
    out += part.get_ref<const std::string&>();
    first = false;
  }
  return out;
}

Json Keys(Interpreter&, Args& args, std::string* error) {
  if (!Check("keys", args, 0, kObject, error)) return nullptr;
  Json out = Json::array();
  for (const auto& item : args[0].value().items()) out.push_back(item.key());
  return out;
}

Json Values(Interpreter&, Args& args, std::string* error) {
  if (!Check("values", args, 0, kObject, error)) return nullptr;
  Json out = Json::array();
  for (const auto& item : args[0].value().items()) out.push_back(item.value());
  return out;
}

Json Length(Interpreter&, Args& args, std::string* error) {
  if (!Check("length", args, 0, kString | kArray | kObject, error)) return nullptr;
  const Json& v = args[0].value();
  if (v.is_string()) return CodePoints(v.get_ref<const std::string&>());
  return v.size();
}

Json Map(Interpreter& interpreter, Args& args, std::string* error) {
  if (!Check("map", args, 0, kExpref, error) || !Check("map", args, 1, kArray, error)) return nullptr;
  Json out = Json::array();
  for (const Json& element : args[1].value()) out.push_back(interpreter.Evaluate(*args[0].expref, element));
  return out;
}

Json MaxOrMin(std::string_view name, bool max, Args& args, std::string* error) {
  if (!Check(name, args, 0, kArray, error) ||
      !CheckElements(name, args[0].value(), kNumber | kString, error)) {
    return nullptr;
  }
  const Json& array = args[0].value();
  if (array.empty()) return nullptr;
  const Json* best = &array.front();
  for (const Json& v : array) {
    if (max ? Less(*best, v) : Less(v, *best)) best = &v;
  }
  return *best;
}

Json Max(Interpreter&, Args& args, std::string* error) { return MaxOrMin("max", true, args, error); }
Json Min(Interpreter&, Args& args, std::string* error) { return MaxOrMin("min", false, args, error); }

// The keys of sort_by/max_by/min_by: each element mapped through the expression. All keys must be
// numbers or all strings. Returns nullopt with *error set otherwise.
std::optional<std::vector<Json>> SortKeys(std::string_view name, Interpreter& interpreter, const Args& args,
                                          std::string* error) {
  std::vector<Json> keys;
  unsigned kind = 0;
  for (const Json& element : args[0].value()) {
    Json key = interpreter.Evaluate(*args[1].expref, element);
    unsigned bit = TypeBitOf(key);
    if (kind == 0 && (bit == kNumber || bit == kString)) kind = bit;
    if (bit != kind) {
      *error = std::string(name) + "() expects the expression to give " +
               (kind == 0 ? "numbers or strings" : Describe(kind) + "s like the first element") + ", got " +
               std::string(TypeName(key));
      return std::nullopt;
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

Json ByKey(std::string_view name, bool max, Interpreter& interpreter, Args& args, std::string* error) {
  if (!Check(name, args, 0, kArray, error) || !Check(name, args, 1, kExpref, error)) return nullptr;
  auto keys = SortKeys(name, interpreter, args, error);
  if (!keys) return nullptr;
  if (keys->empty()) return nullptr;
  size_t best = 0;
  for (size_t i = 1; i < keys->size(); ++i) {
    if (max ? Less((*keys)[best], (*keys)[i]) : Less((*keys)[i], (*keys)[best])) best = i;
  }
  return args[0].value()[best];
}

Json MaxBy(Interpreter& interpreter, Args& args, std::string* error) {
  return ByKey("max_by", true, interpreter, args, error);
}
Json MinBy(Interpreter& interpreter, Args& args, std::string* error) {
  return ByKey("min_by", false, interpreter, args, error);
}

Json Merge(Interpreter&, Args& args, std::string* error) {
  Json out = Json::object();
  for (size_t i = 0; i < args.size(); ++i) {
    if (!Check("merge", args, i, kObject, error)) return nullptr;
    for (const auto& item : args[i].value().items()) out[item.key()] = item.value();
  }
  return out;
}

Json NotNull(Interpreter&, Args& args, std::string* error) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (!Check("not_null", args, i, kAny, error)) return nullptr;
  }
  for (const Argument& arg : args) {
    if (!arg.value().is_null()) return arg.value();
  }
  return nullptr;
}

Json Reverse(Interpreter&, Args& args, std::string* error) {
  if (!Check("reverse", args, 0, kString | kArray, error)) return nullptr;
  const Json& v = args[0].value();
  if (v.is_array()) {
    Json out = v;
    std::reverse(out.begin(), out.end());
    return out;
  }
  // Reverse code points, not bytes, so UTF-8 stays valid.
  const auto& s = v.get_ref<const std::string&>();
  std::string out;
  out.reserve(s.size());
  size_t end = s.size();
  while (end > 0) {
    size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    out.append(s, start, end - start);
    end = start;
  }
  return out;
}

Json Sort(Interpreter&, Args& args, std::string* error) {
  if (!Check("sort", args, 0, kArray, error) ||
      !CheckElements("sort", args[0].value(), kNumber | kString, error)) {
    return nullptr;
  }
  Json out = args[0].value();
  std::stable_sort(out.begin(), out.end(), Less);
  return out;
}

Json SortBy(Interpreter& interpreter, Args& args, std::string* error) {
  if (!Check("sort_by", args, 0, kArray, error) || !Check("sort_by", args, 1, kExpref, error)) return nullptr;
  auto keys = SortKeys("sort_by", interpreter, args, error);
  if (!keys) return nullptr;
  std::vector<size_t> order(keys->size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return Less((*keys)[a], (*keys)[b]); });
  Json out = Json::array();
  for (size_t i : order) out.push_back(args[0].value()[i]);
  return out;
}

Json Sum(Interpreter&, Args& args, std::string* error) {
  if (!Check("sum", args, 0, kArray, error) || !CheckElements("sum", args[0].value(), kNumber, error)) {
    return nullptr;
  }
  Json total = 0;
  for (const Json& v : args[0].value()) total = Add(total, v);
  return total;
}

Json ToArray(Interpreter&, Args& args, std::string* error) {
  if (!Check("to_array", args, 0, kAny, error)) return nullptr;
  if (args[0].value().is_array()) return args[0].value();
  return Json::array({args[0].value()});
}

Json ToString(Interpreter&, Args& args, std::string* error) {
  if (!Check("to_string", args, 0, kAny, error)) return nullptr;
  if (args[0].value().is_string()) return args[0].value();
  // Compact and ASCII-only, as Python's json.dumps(separators=(',', ':')).
  // Invalid UTF-8 (possible in data from elsewhere) becomes U+FFFD rather than an exception.
  return args[0].value().dump(-1, ' ', /*ensure_ascii=*/true, Json::error_handler_t::replace);
}

// Python's int() then float() on a string: surrounding whitespace allowed, nothing else.
Json ParseNumber(const std::string& text) {
  size_t first = text.find_first_not_of(" \t\n\r\f\v");
  if (first == std::string::npos) return nullptr;
  size_t last = text.find_last_not_of(" \t\n\r\f\v");
  std::string s = text.substr(first, last - first + 1);
  size_t digits = (s[0] == '+' || s[0] == '-') ? 1 : 0;
  if (digits < s.size() && s.find_first_not_of("0123456789", digits) == std::string::npos) {
    errno = 0;
    long long n = std::strtoll(s.c_str(), nullptr, 10);
    if (errno != ERANGE) return static_cast<int64_t>(n);
  }
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(d)) return nullptr;
  // strtod also reads hex floats, which Python's float() does not.
  if (s.find_first_of("xX") != std::string::npos) return nullptr;
  return d;
}

Json ToNumber(Interpreter&, Args& args, std::string* error) {
  if (!Check("to_number", args, 0, kAny, error)) return nullptr;
  const Json& v = args[0].value();
  if (v.is_number()) return v;
  if (v.is_string()) return ParseNumber(v.get_ref<const std::string&>());
  return nullptr;
}

Json Type(Interpreter&, Args& args, std::string* error) {
  if (!Check("type", args, 0, kAny, error)) return nullptr;
  return std::string(TypeName(args[0].value()));
}

constexpr Function kFunctions[] = {
    {"abs", 1, 1, Abs},
    {"avg", 1, 1, Avg},
    {"ceil", 1, 1, Ceil},
    {"contains", 2, 2, Contains},
    {"ends_with", 2, 2, EndsWith},
    {"floor", 1, 1, Floor},
    {"join", 2, 2, Join},
    {"keys", 1, 1, Keys},
    {"length", 1, 1, Length},
    {"map", 2, 2, Map},
    {"max", 1, 1, Max},
    {"max_by", 2, 2, MaxBy},
    {"merge", 1, -1, Merge},
    {"min", 1, 1, Min},
    {"min_by", 2, 2, MinBy},
    {"not_null", 1, -1, NotNull},
    {"reverse", 1, 1, Reverse},
    {"sort", 1, 1, Sort},
    {"sort_by", 2, 2, SortBy},
    {"starts_with", 2, 2, StartsWith},
    {"sum", 1, 1, Sum},
    {"to_array", 1, 1, ToArray},
    {"to_number", 1, 1, ToNumber},
    {"to_string", 1, 1, ToString},
    {"type", 1, 1, Type},
    {"values", 1, 1, Values},
};

}  // namespace

const Function* FindFunction(std::string_view name) {
  for (const Function& f : kFunctions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace cordon::jmespath::detail
