#include "aws/jmespath/interpreter.h"

#include "aws/jmespath/functions.h"
#include "aws/jmespath/jmespath.h"

namespace cordon::jmespath::detail {
namespace {

// -1, 0 or 1; both values must be numbers. long double holds every int64 and uint64 exactly.
int CompareNumbers(const Json& a, const Json& b) {
  auto as_long_double = [](const Json& v) -> long double {
    if (v.is_number_unsigned()) return static_cast<long double>(v.get<uint64_t>());
    if (v.is_number_integer()) return static_cast<long double>(v.get<int64_t>());
    return static_cast<long double>(v.get<double>());
  };
  long double x = as_long_double(a), y = as_long_double(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

// "a < b" and friends: two numbers or two strings (jmespath.py allows strings); else null.
Json Order(Comparator op, const Json& a, const Json& b) {
  int c;
  if (a.is_number() && b.is_number()) {
    c = CompareNumbers(a, b);
  } else if (a.is_string() && b.is_string()) {
    // Byte order of UTF-8 is code point order.
    c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
  } else {
    return nullptr;
  }
  switch (op) {
    case Comparator::kLt:
      return c < 0;
    case Comparator::kLe:
      return c <= 0;
    case Comparator::kGt:
      return c > 0;
    default:
      return c >= 0;
  }
}

// Python's slice.indices(): clamps start and stop for a list of `length` elements.
int64_t ClampSliceBound(std::optional<int64_t> bound, int64_t length, int64_t step, bool is_start) {
  if (!bound) {
    if (step > 0) return is_start ? 0 : length;
    return is_start ? length - 1 : -1;
  }
  int64_t v = *bound;
  if (v < 0) {
    v += length;
    if (v < 0) v = step < 0 ? -1 : 0;
  } else if (v >= length) {
    v = step < 0 ? length - 1 : length;
  }
  return v;
}

Json Slice(const Node& node, const Json& value) {
  if (!value.is_array()) return nullptr;
  int64_t length = static_cast<int64_t>(value.size());
  int64_t start = ClampSliceBound(node.start, length, node.step, true);
  int64_t stop = ClampSliceBound(node.stop, length, node.step, false);
  Json out = Json::array();
  // Steps are checked against the distance left so that a huge step cannot overflow.
  if (node.step > 0) {
    for (int64_t i = start; i < stop; i += node.step) {
      out.push_back(value[static_cast<size_t>(i)]);
      if (stop - i - node.step <= 0) break;
    }
  } else {
    for (int64_t i = start; i > stop; i += node.step) {
      out.push_back(value[static_cast<size_t>(i)]);
      if (i - stop + node.step <= 0) break;
    }
  }
  return out;
}

}  // namespace

bool JsonEquals(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return CompareNumbers(a, b) == 0;
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Json::value_t::array: {
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!JsonEquals(a[i], b[i])) return false;
      }
      return true;
    }
    case Json::value_t::object: {
      // Key order does not matter (ordered_json's own == would say it does).
      if (a.size() != b.size()) return false;
      for (const auto& item : a.items()) {
        auto it = b.find(item.key());
        if (it == b.end() || !JsonEquals(item.value(), *it)) return false;
      }
      return true;
    }
    default:
      return a == b;
  }
}

Value Interpreter::Visit(const Node& node, const Json& current) {
  static const Json kNull;
  switch (node.kind) {
    case NodeKind::kCurrent:
      return Value::Borrow(current);
    case NodeKind::kField: {
      if (!current.is_object()) return Value::Borrow(kNull);
      auto it = current.find(node.name);
      return Value::Borrow(it == current.end() ? kNull : *it);
    }
    case NodeKind::kLiteral:
      return Value::Borrow(node.value);
    case NodeKind::kIndex: {
      if (!current.is_array()) return Value::Borrow(kNull);
      int64_t size = static_cast<int64_t>(current.size());
      int64_t i = node.index < 0 ? node.index + size : node.index;
      if (i < 0 || i >= size) return Value::Borrow(kNull);
      return Value::Borrow(current[static_cast<size_t>(i)]);
    }
    case NodeKind::kSlice:
      return Value::Own(Slice(node, current));
    case NodeKind::kSubexpression:
    case NodeKind::kIndexExpression:
    case NodeKind::kPipe:
      return VisitChain(*node.children[0], *node.children[1], current);
    case NodeKind::kListProjection:
    case NodeKind::kValueProjection:
    case NodeKind::kFilterProjection:
      return VisitProjection(node, current);
    case NodeKind::kFlatten: {
      Value base = Visit(*node.children[0], current);
      if (!base.get().is_array()) return Value::Borrow(kNull);
      Json out = Json::array();
      for (const Json& element : base.get()) {
        if (element.is_array()) {
          for (const Json& inner : element) out.push_back(inner);
        } else {
          out.push_back(element);
        }
      }
      return Value::Own(std::move(out));
    }
    case NodeKind::kComparator: {
      Value left = Visit(*node.children[0], current);
      Value right = Visit(*node.children[1], current);
      switch (node.op) {
        case Comparator::kEq:
          return Value::Own(JsonEquals(left.get(), right.get()));
        case Comparator::kNe:
          return Value::Own(!JsonEquals(left.get(), right.get()));
        default:
          return Value::Own(Order(node.op, left.get(), right.get()));
      }
    }
    case NodeKind::kOr: {
      Value left = Visit(*node.children[0], current);
      return IsTruthy(left.get()) ? std::move(left) : Visit(*node.children[1], current);
    }
    case NodeKind::kAnd: {
      Value left = Visit(*node.children[0], current);
      return IsTruthy(left.get()) ? Visit(*node.children[1], current) : std::move(left);
    }
    case NodeKind::kNot:
      return Value::Own(!IsTruthy(Visit(*node.children[0], current).get()));
    case NodeKind::kMultiSelectList: {
      if (current.is_null()) return Value::Borrow(kNull);
      Json out = Json::array();
      for (const NodePtr& child : node.children) out.push_back(Visit(*child, current).Take());
      return Value::Own(std::move(out));
    }
    case NodeKind::kMultiSelectHash: {
      if (current.is_null()) return Value::Borrow(kNull);
      Json out = Json::object();
      for (size_t i = 0; i < node.children.size(); ++i) {
        out[node.keys[i]] = Visit(*node.children[i], current).Take();
      }
      return Value::Own(std::move(out));
    }
    case NodeKind::kFunction:
      return VisitFunction(node, current);
    case NodeKind::kExpref:
      // An expression reference is only meaningful as a function argument (see VisitFunction).
      return Value::Borrow(kNull);
  }
  return Value::Borrow(kNull);
}

Value Interpreter::VisitChain(const Node& left, const Node& right, const Json& current) {
  Value base = Visit(left, current);
  Value result = Visit(right, base.get());
  // The result may borrow from `base`, which dies here when it owns its value: copy it out.
  if (base.owned() && !result.owned()) return Value::Own(std::move(result).Take());
  return result;
}

// The three projections: evaluate the left side, apply the right side to each element (of the
// array, or each value of the object), and drop null results.
Value Interpreter::VisitProjection(const Node& node, const Json& current) {
  static const Json kNull;
  Value base = Visit(*node.children[0], current);
  Json out = Json::array();
  if (node.kind == NodeKind::kValueProjection) {
    if (!base.get().is_object()) return Value::Borrow(kNull);
    for (const auto& item : base.get().items()) {
      Json mapped = Visit(*node.children[1], item.value()).Take();
      if (!mapped.is_null()) out.push_back(std::move(mapped));
    }
    return Value::Own(std::move(out));
  }
  if (!base.get().is_array()) return Value::Borrow(kNull);
  for (const Json& element : base.get()) {
    if (node.kind == NodeKind::kFilterProjection && !IsTruthy(Visit(*node.children[2], element).get())) {
      continue;
    }
    Json mapped = Visit(*node.children[1], element).Take();
    if (!mapped.is_null()) out.push_back(std::move(mapped));
  }
  return Value::Own(std::move(out));
}

Value Interpreter::VisitFunction(const Node& node, const Json& current) {
  std::vector<Argument> args;
  args.reserve(node.children.size());
  for (const NodePtr& child : node.children) {
    if (child->kind == NodeKind::kExpref) {
      args.push_back(Argument{Value::Own(Json()), child->children[0].get()});
    } else {
      args.push_back(Argument{Visit(*child, current), nullptr});
    }
  }
  std::string error;
  Json result = node.function->call(*this, args, &error);
  if (!error.empty() && error_.empty()) error_ = std::move(error);
  return Value::Own(std::move(result));
}

}  // namespace cordon::jmespath::detail
