#include "aws/jmespath/jmespath.h"

#include "aws/jmespath/interpreter.h"
#include "aws/jmespath/parser.h"

namespace cordon::jmespath {

Result<Expression> Compile(std::string_view text) {
  auto root = detail::Parse(text);
  if (!root) return tl::unexpected(root.error());
  return Expression(std::string(text), std::shared_ptr<const detail::Node>(std::move(*root)));
}

Result<Json> TryEvaluate(const Expression& expression, const Json& data) {
  if (expression.root_ == nullptr) return Json();
  detail::Interpreter interpreter;
  Json result = interpreter.Evaluate(*expression.root_, data);
  if (interpreter.failed()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "evaluating JMESPath expression '" + expression.text() + "': " + interpreter.error());
  }
  return result;
}

Json Evaluate(const Expression& expression, const Json& data) {
  auto result = TryEvaluate(expression, data);
  return result ? std::move(*result) : Json();
}

Result<Json> Search(std::string_view expression, const Json& data) {
  auto compiled = Compile(expression);
  if (!compiled) return tl::unexpected(compiled.error());
  return TryEvaluate(*compiled, data);
}

bool IsTruthy(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return false;
    case Json::value_t::boolean:
      return value.get<bool>();
    case Json::value_t::string:
      return !value.get_ref<const std::string&>().empty();  // Json::empty() is false for any string
    case Json::value_t::array:
    case Json::value_t::object:
      return !value.empty();
    default:
      return true;
  }
}

}  // namespace cordon::jmespath
