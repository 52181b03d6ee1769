// A Sigma rule as the WHERE of an Athena query over the standard CloudTrail table (athena_table.h): a
// SUPERSET filter. Every record the rule matches passes it; records it lets through that the rule does
// not match are dropped afterwards by the exact matcher (`cordon hunt --engine athena` re-checks every row).
//
// Why a superset and not the rule itself: Athena's `=` and LIKE are case-sensitive while Sigma's values are
// not; requestParameters and the other nested objects are JSON strings in the table; and regular
// expressions, CIDR, numbers and field references have no exact equivalent over those columns. So:
//   - a field that is a column (or a struct field) is compared as lower(column) = / IN / LIKE with the
//     rule's lower-cased values (exactly, without lower(), for `cased`); `*` and `?` become `%` and `_`,
//     with the literal `%`, `_` and `\` escaped;
//   - a field under a JSON-string column (requestParameters.attribute) becomes a LIKE on the column's
//     lower-cased text that the value's literal pieces appear in, in order: the value is in that text
//     wherever in the JSON it sits. A piece JSON could have escaped (a quote, a backslash, a slash, a
//     control or non-ASCII character, `<`, `>`, `&`, `'`) leaves nothing to filter on;
//   - `null` and `exists` on a column are IS NULL / IS NOT NULL;
//   - `re` on a column is regexp_like in (?s) mode when the expression uses only characters whose meaning
//     RE2 and Trino's Java syntax share (letters, digits, `.+*?^$|()` and a few plain punctuation marks);
//   - everything else (keywords, `neq`, `cidr`, comparisons, `fieldref`, `resources`, a field the table
//     has no column for, a non-ASCII literal Athena's Unicode lower() could fold, `not`) is TRUE: it
//     filters nothing, so it can never drop a true match.
// `and`/`or` combine the parts; TRUE folds away.
#pragma once

#include <string>

#include "hunt/sigma/rule.h"

namespace cordon::hunt::sigma {

struct AthenaWhere {
  std::string sql;       // "TRUE" when nothing narrows the rule
  bool narrows = false;  // false: every row of the table passes
};

AthenaWhere RuleToAthenaWhere(const Rule& rule);

// A SQL string literal: 'text' with each ' doubled.
std::string SqlQuote(std::string_view text);

}  // namespace cordon::hunt::sigma
