#include "aws/paging/paginator.h"

#include <string>
#include <vector>

#include "aws/jmespath/jmespath.h"

namespace cordon::aws {
namespace {

// A config member that may be a string or a list of strings, as a list.
std::vector<std::string> StringOrList(const Json& config, const char* key) {
  std::vector<std::string> out;
  if (!config.is_object() || !config.contains(key)) return out;
  const Json& value = config[key];
  if (value.is_string()) out.push_back(value.get<std::string>());
  if (value.is_array()) {
    for (const Json& item : value) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

// Python truthiness, which botocore applies to tokens and to more_results (so 0 is false here,
// unlike in JMESPath).
bool PythonTruthy(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return false;
    case Json::value_t::boolean:
      return value.get<bool>();
    case Json::value_t::string:
      return !value.get_ref<const std::string&>().empty();
    case Json::value_t::array:
    case Json::value_t::object:
      return !value.empty();
    case Json::value_t::number_float:
      return value.get<double>() != 0;
    default:
      return value.get<int64_t>() != 0;
  }
}

// The segments of a botocore "dotted path" ("ResultSet.Rows"), or an empty list when `expression`
// is anything else (botocore's set_value_from_jmespath refuses those).
std::vector<std::string> DottedPath(const std::string& expression) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (true) {
    size_t dot = expression.find('.', start);
    std::string segment =
        expression.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (segment.empty()) return {};
    for (char c : segment) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      if (!ok) return {};
    }
    segments.push_back(std::move(segment));
    if (dot == std::string::npos) return segments;
    start = dot + 1;
  }
}

// The value at `path`, or nullptr when some segment is missing or not inside an object. Like a
// JMESPath field chain, but with the address, so it can be modified in place.
Json* Find(Json* root, const std::vector<std::string>& path) {
  Json* node = root;
  for (const std::string& key : path) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node;
}

const Json* Find(const Json& root, const std::vector<std::string>& path) {
  return Find(const_cast<Json*>(&root), path);
}

// botocore's set_value_from_jmespath: creates missing objects along the way. Gives up (as botocore
// would raise) when an existing step is not an object.
void Set(Json* root, const std::vector<std::string>& path, Json value) {
  Json* node = root;
  for (size_t i = 0; i < path.size(); ++i) {
    if (node->is_null()) *node = Json::object();
    if (!node->is_object()) return;
    if (i + 1 == path.size()) {
      (*node)[path[i]] = std::move(value);
      return;
    }
    node = &(*node)[path[i]];
  }
}

// Removes the value at `path` and then every object on the path left empty by that.
void Remove(Json* root, const std::vector<std::string>& path, size_t depth = 0) {
  if (!root->is_object()) return;
  auto it = root->find(path[depth]);
  if (it == root->end()) return;
  if (depth + 1 < path.size()) {
    Remove(&*it, path, depth + 1);
    if (!it->is_object() || !it->empty()) return;
  }
  root->erase(path[depth]);
}

// botocore's merge_dicts(dict1, dict2) without append_lists: objects merge recursively, anything
// else replaces.
void MergeDicts(Json* into, const Json& from) {
  for (const auto& item : from.items()) {
    auto it = into->find(item.key());
    if (item.value().is_object() && it != into->end()) {
      if (it->is_object()) MergeDicts(&*it, item.value());
      continue;
    }
    (*into)[item.key()] = item.value();
  }
}

bool IsNumeric(const Json& v) { return v.is_number() || v.is_boolean(); }

// Python's a + b for the numbers botocore sums (bools count as 0 and 1).
Json AddNumbers(const Json& a, const Json& b) {
  auto as_int = [](const Json& v) -> int64_t {
    return v.is_boolean() ? (v.get<bool>() ? 1 : 0) : v.get<int64_t>();
  };
  if (a.is_number_float() || b.is_number_float()) {
    auto as_double = [&](const Json& v) {
      return v.is_number_float() ? v.get<double>() : static_cast<double>(as_int(v));
    };
    return as_double(a) + as_double(b);
  }
  return as_int(a) + as_int(b);
}

}  // namespace

Result<Json> NextPageInput(const Json& config, const Json& input, const Json& page_output) {
  if (config.is_object() && config.contains("more_results") && config["more_results"].is_string()) {
    auto more = jmespath::Search(config["more_results"].get<std::string>(), page_output);
    if (!more) return tl::unexpected(more.error());
    if (!PythonTruthy(*more)) return Json();
  }
  std::vector<std::string> input_tokens = StringOrList(config, "input_token");
  std::vector<std::string> output_tokens = StringOrList(config, "output_token");
  if (input_tokens.empty() || output_tokens.empty()) {
    return MakeError(ErrorKind::kInvalidArgument, "paginator config needs input_token and output_token");
  }
  // botocore zips the two lists, so the shorter decides.
  size_t n = std::min(input_tokens.size(), output_tokens.size());
  std::vector<Json> tokens;
  bool any = false;
  for (size_t i = 0; i < n; ++i) {
    auto token = jmespath::Search(output_tokens[i], page_output);
    if (!token) return tl::unexpected(token.error());
    tokens.push_back(PythonTruthy(*token) ? std::move(*token) : Json());
    any = any || !tokens.back().is_null();
  }
  if (!any) return Json();

  // The request that produced this page sent `input`; the same tokens again would repeat it for ever.
  // A token the input lacks counts as null, and so does "None", which is never sent (see below).
  bool same = true;
  for (size_t i = 0; i < n && same; ++i) {
    Json sent = input.is_object() && input.contains(input_tokens[i]) ? input[input_tokens[i]] : Json();
    Json got = tokens[i] == Json("None") ? Json() : tokens[i];
    same = sent == got;
  }
  if (same) {
    std::string shown;
    for (size_t i = 0; i < n; ++i) {
      shown += (i ? ", " : "") + input_tokens[i] + "=" +
               tokens[i].dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    return MakeError(ErrorKind::kService, "the same next token was received twice: " + shown);
  }

  Json next = input.is_object() ? input : Json::object();
  for (size_t i = 0; i < n; ++i) {
    // botocore drops a token that is null or the string "None" from the next request.
    if (!tokens[i].is_null() && tokens[i] != Json("None")) {
      next[input_tokens[i]] = std::move(tokens[i]);
    } else {
      next.erase(input_tokens[i]);
    }
  }
  return next;
}

void MergePage(const Json& config, Json* full_result, const Json& page_output) {
  std::vector<std::vector<std::string>> result_keys, non_aggregate_keys;
  for (const std::string& key : StringOrList(config, "result_key")) {
    if (auto path = DottedPath(key); !path.empty()) result_keys.push_back(std::move(path));
  }
  for (const std::string& key : StringOrList(config, "non_aggregate_keys")) {
    if (auto path = DottedPath(key); !path.empty()) non_aggregate_keys.push_back(std::move(path));
  }

  // botocore keeps the aggregated result and the first page's non-aggregate part apart and merges
  // them only when returning. *full_result holds the merged form, so split it back: the
  // non-aggregate values sit at their own paths, which never overlap the result keys'.
  const bool first_page = full_result->is_null() || (full_result->is_object() && full_result->empty());
  Json aggregate = Json::object();
  Json non_aggregate = Json::object();
  if (first_page) {
    for (const auto& path : non_aggregate_keys) {
      const Json* value = Find(page_output, path);
      Set(&non_aggregate, path, value != nullptr ? *value : Json());
    }
  } else {
    aggregate = std::move(*full_result);
    for (const auto& path : non_aggregate_keys) {
      if (const Json* value = Find(aggregate, path); value != nullptr) {
        Set(&non_aggregate, path, *value);
        Remove(&aggregate, path);
      }
    }
  }

  // build_full_result's loop body for one page.
  for (const auto& path : result_keys) {
    const Json* value = Find(page_output, path);
    if (value == nullptr || value->is_null()) continue;
    Json* existing = Find(&aggregate, path);
    if (existing == nullptr || existing->is_null()) {
      Set(&aggregate, path, *value);
    } else if (value->is_array()) {
      if (existing->is_array()) existing->insert(existing->end(), value->begin(), value->end());
    } else if (value->is_string() && existing->is_string()) {
      *existing = existing->get<std::string>() + value->get<std::string>();
    } else if (IsNumeric(*value) && IsNumeric(*existing)) {
      *existing = AddNumbers(*existing, *value);
    }
    // Objects (and mismatched types, where Python would raise) keep the first page's value.
  }

  MergeDicts(&aggregate, non_aggregate);
  *full_result = std::move(aggregate);
}

}  // namespace cordon::aws
