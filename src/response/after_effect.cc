#include "response/after_effect.h"

#include <algorithm>

namespace cordon::response {

bool FailedAsRepeat(const Result<Json>& r, std::initializer_list<std::string_view> codes) {
  // Not only when the client counted a retry (the aws.call record's attempts > 1): libcurl re-sends a request
  // unseen when a reused connection closes before any answer (aws/http/http.h, fresh_connection), so
  // a call of one attempt may have been sent twice. What makes the failure a success is the live
  // state the caller reads next, not the count.
  if (r) return false;
  return std::find(codes.begin(), codes.end(), r.error().code) != codes.end();
}

}  // namespace cordon::response
