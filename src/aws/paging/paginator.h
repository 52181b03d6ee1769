// botocore paginators (paginators-1.json) without the HTTP: the next page's input, and the merged
// result of all pages.
//
// A config is one value of paginators-1.json's "pagination" (with paginators-1.sdk-extras.json merged
// in, as botocore's loader and our embedded models do):
//   input_token         request member(s) that carry the token: a string or a list
//   output_token        JMESPath expression(s) giving each token from a page: a string or a list
//   result_key          JMESPath expression(s) for the lists (or counts) to aggregate
//   more_results        optional JMESPath expression; when falsy, there are no more pages
//   non_aggregate_keys  expressions whose values are kept from the first page only
//   limit_key           the page-size request member (PageSize is not supported here)
// Semantics follow botocore/paginate.py (PageIterator.__iter__ and build_full_result). MaxItems and
// StartingToken are not supported, so a full result never carries a "NextToken".
#pragma once

#include "base/error.h"
#include "base/json.h"

namespace cordon::aws {

// The input for the request after the one that sent `input` and received `page_output`, or null
// when that was the last page: `more_results` is falsy, or every output token is null or "" (a
// falsy token counts as none, as in botocore). The next input is `input` with each input_token
// member set to its token, or removed when that token is absent or the string "None".
// Fails with kInvalidArgument when an expression in `config` does not compile, and with kService
// when the page hands back the very tokens `input` sent (botocore: "The same next token was
// received twice"), which would otherwise loop for ever.
[[nodiscard]] Result<Json> NextPageInput(const Json& config, const Json& input, const Json& page_output);

// Adds one page to `*full_result`, which must start as null (or an empty object) before the first
// page. After each call, *full_result is exactly what boto3's
// paginator.paginate(...).build_full_result() returns for the pages so far:
//   - each result_key value is appended (lists) or summed/concatenated (numbers, strings) across
//     pages; a result key no page had is absent; non-list values of other types keep the first;
//   - each non_aggregate_key takes its value from the first page, null when that page lacked it,
//     and follows the result keys (keys botocore sets through set_value_from_jmespath);
// Result keys and non-aggregate keys must be dotted paths ("ResultSet.Rows"), as botocore requires;
// other expressions are skipped. Expressions that fail to compile are skipped too (check configs with
// NextPageInput, or once at start-up).
void MergePage(const Json& config, Json* full_result, const Json& page_output);

}  // namespace cordon::aws
