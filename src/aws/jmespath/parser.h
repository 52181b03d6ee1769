// Parses a JMESPath expression into a syntax tree (internal to the jmespath module).
#pragma once

#include <string_view>

#include "aws/jmespath/ast.h"
#include "base/error.h"

namespace cordon::jmespath::detail {

// The tree of `text`. Fails with kInvalidArgument, naming the column, on any syntax error, an
// unknown function or a wrong number of arguments.
Result<NodePtr> Parse(std::string_view text);

}  // namespace cordon::jmespath::detail
