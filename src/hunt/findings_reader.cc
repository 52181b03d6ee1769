#include "hunt/findings_reader.h"

#include <simdjson.h>

#include <functional>
#include <string>
#include <vector>

#include "base/strings.h"
#include "hunt/byte_buffer.h"
#include "hunt/json_util.h"
#include "hunt/token_matcher.h"

namespace cordon::hunt {
namespace {

namespace sj = simdjson::ondemand;
using detail::GetString;
using detail::PaddedSpan;
using detail::RawJson;

constexpr int kMaxDepth = 8;

// A JSON text to parse: either a span of the input buffer (readable past its end) or an owned copy.
struct Text {
  std::string_view view;
  const char* buffer_end;
};

// Calls `each` with the text of every top-level JSON value in `text`: the single document, or each line of
// JSON Lines. Lines are recognized when the first line holds a complete object and more lines follow.
void ForEachDocument(std::string_view text, const std::function<void(std::string_view)>& each) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return;
  const size_t eol = text.find('\n', begin);
  std::string_view first =
      text.substr(begin, eol == std::string_view::npos ? std::string_view::npos : eol - begin);
  while (!first.empty() && (first.back() == '\r' || first.back() == ' ')) first.remove_suffix(1);
  const bool more_lines =
      eol != std::string_view::npos && text.find_first_not_of(" \t\r\n", eol) != std::string_view::npos;
  if (text[begin] == '{' && !first.empty() && first.back() == '}' && more_lines) {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos) nl = text.size();
      std::string_view line = text.substr(pos, nl - pos);
      pos = nl + 1;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
      if (line.find_first_not_of(" \t") != std::string_view::npos) each(line);
    }
    return;
  }
  const size_t end = text.find_last_not_of(" \t\r\n");
  each(text.substr(begin, end - begin + 1));
}

bool KeyIs(std::string_view key, std::string_view name) { return EqualsIgnoreCase(key, name); }

std::vector<std::string> MatchedSelectors(const TokenMatcher& matcher, std::string_view text) {
  std::vector<std::string> out;
  for (const std::string& token : matcher.tokens()) {
    if (TokenMatcher::ContainsToken(text, token)) out.push_back(token);
  }
  return out;
}

// Walks the values reachable through the given object keys (case-insensitive) and returns the string at
// the end of the path, or "".
std::string StringAtPath(sj::parser& parser, Text text, std::initializer_list<std::string_view> path) {
  sj::document doc;
  if (parser.iterate(PaddedSpan(text.view, text.buffer_end)).get(doc)) return {};
  sj::value current;
  if (doc.get_value().get(current)) return {};
  for (std::string_view name : path) {
    sj::object object;
    if (current.get_object().get(object)) return {};
    bool found = false;
    for (auto field : object) {
      std::string_view key;
      if (field.unescaped_key().get(key)) return {};
      if (KeyIs(key, name)) {
        if (field.value().get(current)) return {};
        found = true;
        break;
      }
    }
    if (!found) return {};
  }
  std::string out;
  GetString(current, &out);
  return out;
}

}  // namespace

// ---- GuardDuty ----

struct GuardDutyReader::Impl {
  explicit Impl(const Selectors& s) : matcher(s.AllTokens()) {}

  TokenMatcher matcher;
  sj::parser parsers[kMaxDepth + 1];
  std::string_view file;
  HuntResults* results = nullptr;

  void Skip(std::string reason) {
    results->skipped.push_back({std::string(file), "record", 1, std::move(reason)});
  }

  void Visit(Text text, int depth) {
    if (depth > kMaxDepth) return;
    sj::parser& parser = parsers[depth];
    sj::document doc;
    sj::json_type type;
    if (auto error = parser.iterate(PaddedSpan(text.view, text.buffer_end)).get(doc)) {
      Skip(std::string("invalid JSON: ") + simdjson::error_message(error));
      return;
    }
    if (auto error = doc.type().get(type)) {
      Skip(std::string("invalid JSON: ") + simdjson::error_message(error));
      return;
    }
    std::vector<std::string_view> children;
    if (type == sj::json_type::array) {
      sj::array array;
      if (auto error = doc.get_array().get(array))
        return Skip(std::string("invalid JSON: ") + simdjson::error_message(error));
      for (auto element : array) {
        sj::object object;
        if (auto error = element.get_object().get(object)) {
          return Skip(std::string("invalid JSON or not a finding: ") + simdjson::error_message(error));
        }
        std::string_view raw;
        if (auto error = object.raw_json().get(raw))
          return Skip(std::string("invalid JSON: ") + simdjson::error_message(error));
        children.push_back(raw);
      }
      for (std::string_view child : children) {
        if (matcher.ContainsAny(child)) Visit({child, text.buffer_end}, depth + 1);
      }
      return;
    }
    if (type != sj::json_type::object) return;
    sj::object object;
    if (auto error = doc.get_object().get(object))
      return Skip(std::string("invalid JSON: ") + simdjson::error_message(error));
    Finding f;
    f.kind = "guardduty";
    std::string_view findings, detail, resource;
    bool is_finding = false;
    for (auto field : object) {
      std::string_view key;
      if (auto error = field.unescaped_key().get(key))
        return Skip(std::string("invalid JSON: ") + simdjson::error_message(error));
      sj::value value;
      if (auto error = field.value().get(value))
        return Skip(std::string("invalid JSON: ") + simdjson::error_message(error));
      if (KeyIs(key, "findings")) {
        if (RawJson(value).get(findings)) return Skip("invalid JSON in Findings");
      } else if (key == "detail") {
        if (RawJson(value).get(detail)) return Skip("invalid JSON in detail");
      } else if (KeyIs(key, "id")) {
        GetString(value, &f.id);
      } else if (KeyIs(key, "type")) {
        is_finding = GetString(value, &f.type) || is_finding;
      } else if (KeyIs(key, "title")) {
        GetString(value, &f.title);
      } else if (KeyIs(key, "severity")) {
        double severity = 0;
        if (value.get_double().get(severity) == simdjson::SUCCESS) f.severity = severity;
      } else if (KeyIs(key, "updatedAt")) {
        GetString(value, &f.time);
      } else if (KeyIs(key, "resource")) {
        if (RawJson(value).get(resource)) return Skip("invalid JSON in resource");
      }
    }
    if (!detail::AtEnd(doc)) return Skip("invalid JSON: content after the end of the document");
    if (!findings.empty()) return Visit({findings, text.buffer_end}, depth + 1);
    if (!detail.empty()) return Visit({detail, text.buffer_end}, depth + 1);
    if (!is_finding || f.id.empty()) return;
    f.selectors = MatchedSelectors(matcher, text.view);
    if (f.selectors.empty()) return;
    if (!resource.empty()) {
      f.resource =
          StringAtPath(parsers[kMaxDepth], {resource, text.buffer_end}, {"instanceDetails", "instanceId"});
      if (f.resource.empty()) {
        f.resource = StringAtPath(parsers[kMaxDepth], {resource, text.buffer_end},
                                  {"accessKeyDetails", "accessKeyId"});
      }
    }
    f.file = std::string(file);
    results->findings.push_back(std::move(f));
  }
};

GuardDutyReader::GuardDutyReader(const Selectors& selectors) : impl_(std::make_unique<Impl>(selectors)) {}
GuardDutyReader::~GuardDutyReader() = default;

void GuardDutyReader::Scan(std::string_view file, std::string_view text, HuntResults* results) {
  if (!impl_->matcher.ContainsAny(text)) return;
  impl_->file = file;
  impl_->results = results;
  const char* end = text.data() + text.size();
  ForEachDocument(text, [&](std::string_view doc) { impl_->Visit({doc, end}, 0); });
}

// ---- AWS Config ----

struct ConfigReader::Impl {
  explicit Impl(const Selectors& s) : matcher(s.AllTokens()) {}

  TokenMatcher matcher;
  sj::parser parsers[kMaxDepth + 1];
  std::string_view file;
  HuntResults* results = nullptr;

  void Skip(std::string reason) {
    results->skipped.push_back({std::string(file), "record", 1, std::move(reason)});
  }

  // `diff` is the configurationItemDiff that came with the item in a change notification, if any.
  void Visit(Text text, int depth, std::string_view diff = {}) {
    if (depth > kMaxDepth) return;
    sj::parser& parser = parsers[depth];
    sj::document doc;
    sj::json_type type;
    auto invalid = [&](simdjson::error_code error) {
      Skip(std::string("invalid JSON: ") + simdjson::error_message(error));
    };
    if (auto error = parser.iterate(PaddedSpan(text.view, text.buffer_end)).get(doc)) return invalid(error);
    if (auto error = doc.type().get(type)) return invalid(error);
    if (type == sj::json_type::array) {
      std::vector<std::string_view> children;
      sj::array array;
      if (auto error = doc.get_array().get(array)) return invalid(error);
      for (auto element : array) {
        sj::object object;
        if (auto error = element.get_object().get(object)) return invalid(error);
        std::string_view raw;
        if (auto error = object.raw_json().get(raw)) return invalid(error);
        children.push_back(raw);
      }
      for (std::string_view child : children) {
        if (matcher.ContainsAny(child)) Visit({child, text.buffer_end}, depth + 1);
      }
      return;
    }
    if (type != sj::json_type::object) return;
    sj::object object;
    if (auto error = doc.get_object().get(object)) return invalid(error);
    std::string message;
    bool has_message = false;
    std::string_view item, items, item_diff;
    Finding f;
    f.kind = "config";
    bool is_item = false;
    std::string state_id;
    for (auto field : object) {
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return invalid(error);
      sj::value value;
      if (auto error = field.value().get(value)) return invalid(error);
      if (key == "Message") {
        has_message = GetString(value, &message);
      } else if (key == "configurationItem") {
        if (auto error = RawJson(value).get(item)) return invalid(error);
      } else if (key == "configurationItems") {
        if (auto error = RawJson(value).get(items)) return invalid(error);
      } else if (key == "configurationItemDiff") {
        if (auto error = RawJson(value).get(item_diff)) return invalid(error);
      } else if (key == "resourceType") {
        is_item = GetString(value, &f.type);
      } else if (key == "resourceId") {
        GetString(value, &f.resource);
      } else if (key == "configurationItemCaptureTime") {
        GetString(value, &f.time);
      } else if (key == "configurationItemStatus") {
        GetString(value, &f.title);
      } else if (key == "configurationStateId") {
        if (!GetString(value, &state_id)) {
          int64_t n = 0;
          if (value.get_int64().get(n) == simdjson::SUCCESS) state_id = std::to_string(n);
        }
      }
    }
    if (!detail::AtEnd(doc)) return Skip("invalid JSON: content after the end of the document");
    if (has_message) {
      // The SNS envelope: the notification is a JSON document inside a string.
      simdjson::padded_string inner(message);
      std::string_view view(inner.data(), inner.size());
      if (!matcher.ContainsAny(view)) return;
      const size_t before = results->skipped.size();
      Visit({view, inner.data() + inner.size()}, depth + 1);
      for (size_t i = before; i < results->skipped.size(); ++i)
        results->skipped[i].reason += " (in the SNS Message)";
      return;
    }
    if (!items.empty()) return Visit({items, text.buffer_end}, depth + 1);
    if (!item.empty()) return Visit({item, text.buffer_end}, depth + 1, item_diff);
    if (!is_item) return;
    f.selectors = MatchedSelectors(matcher, text.view);
    if (f.selectors.empty()) return;
    f.id = state_id.empty() ? f.resource : f.resource + "@" + state_id;
    if (!diff.empty()) {
      std::string change = StringAtPath(parsers[kMaxDepth], {diff, text.buffer_end}, {"changeType"});
      if (!change.empty()) f.title += f.title.empty() ? change : " (" + change + ")";
      ChangedProperties(diff, text.buffer_end, &f.details);
    }
    f.file = std::string(file);
    results->findings.push_back(std::move(f));
  }

  void ChangedProperties(std::string_view diff, const char* buffer_end, std::vector<std::string>* out) {
    sj::parser& parser = parsers[kMaxDepth];
    sj::document doc;
    sj::object object;
    if (parser.iterate(PaddedSpan(diff, buffer_end)).get(doc) || doc.get_object().get(object)) return;
    for (auto field : object) {
      std::string_view key;
      if (field.unescaped_key().get(key) || key != "changedProperties") continue;
      sj::object properties;
      if (field.value().get_object().get(properties)) return;
      for (auto property : properties) {
        std::string_view name;
        if (property.unescaped_key().get(name)) return;
        out->emplace_back(name);
      }
      return;
    }
  }
};

ConfigReader::ConfigReader(const Selectors& selectors) : impl_(std::make_unique<Impl>(selectors)) {}
ConfigReader::~ConfigReader() = default;

void ConfigReader::Scan(std::string_view file, std::string_view text, HuntResults* results) {
  if (!impl_->matcher.ContainsAny(text)) return;
  impl_->file = file;
  impl_->results = results;
  const char* end = text.data() + text.size();
  ForEachDocument(text, [&](std::string_view doc) { impl_->Visit({doc, end}, 0); });
}

}  // namespace cordon::hunt
