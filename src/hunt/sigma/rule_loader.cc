#include "hunt/sigma/rule_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "base/read_file.h"
#include "base/strings.h"
#include "hunt/sigma/yaml_event_budget.h"

namespace cordon::hunt::sigma {
namespace {

namespace fs = std::filesystem;

Status Invalid(std::string message) { return MakeError(ErrorKind::kInvalidArgument, std::move(message)); }

std::string ScalarOr(const YAML::Node& node, const std::string& fallback = {}) {
  return node && node.IsScalar() ? node.Scalar() : fallback;
}

// A list of strings, or one string as a list of one.
std::vector<std::string> Strings(const YAML::Node& node) {
  std::vector<std::string> out;
  if (!node) return out;
  if (node.IsScalar()) out.push_back(node.Scalar());
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (item.IsScalar()) out.push_back(item.Scalar());
    }
  }
  return out;
}

// The value's YAML type: a plain (unquoted) scalar can be null, a boolean or a number; a quoted one is
// always a string (yaml-cpp tags quoted scalars "!").
RawValue ToRawValue(const YAML::Node& node) {
  if (node.IsNull()) return {RawValue::Type::kNull, ""};
  const std::string& s = node.Scalar();
  if (node.Tag() == "?") {
    if (s == "true" || s == "false" || s == "True" || s == "False")
      return {RawValue::Type::kBool, ToLower(s)};
    char* end = nullptr;
    if (!s.empty() && (std::strtod(s.c_str(), &end), *end == '\0')) return {RawValue::Type::kNumber, s};
  }
  return {RawValue::Type::kString, s};
}

Status ScalarValues(const YAML::Node& node, std::string_view key, std::vector<RawValue>* out) {
  if (node.IsNull() || node.IsScalar()) {
    out->push_back(ToRawValue(node));
    return Ok();
  }
  if (!node.IsSequence()) return Invalid("'" + std::string(key) + "' has a map where values were expected");
  for (const YAML::Node& item : node) {
    if (!(item.IsNull() || item.IsScalar()))
      return Invalid("'" + std::string(key) + "' has a nested list or map");
    out->push_back(ToRawValue(item));
  }
  return Ok();
}

Result<std::vector<DetectionItem>> MapItems(const YAML::Node& map) {
  std::vector<DetectionItem> items;
  for (const auto& entry : map) {
    const std::string key = entry.first.Scalar();
    std::vector<RawValue> values;
    if (Status s = ScalarValues(entry.second, key, &values); !s) return MakeError(s.error());
    Result<DetectionItem> item = CompileItem(key, values);
    if (!item) return MakeError(item.error());
    items.push_back(std::move(*item));
  }
  if (items.empty()) return MakeError(ErrorKind::kInvalidArgument, "an empty map");
  return items;
}

Result<SearchIdentifier> ParseSearch(const std::string& name, const YAML::Node& node) {
  SearchIdentifier search;
  search.name = name;
  auto fail = [&](const Error& e) { return WithContext(e, "search identifier '" + name + "'"); };
  if (node.IsMap()) {
    Result<std::vector<DetectionItem>> items = MapItems(node);
    if (!items) return fail(items.error());
    search.alternatives.push_back(std::move(*items));
  } else if (node.IsSequence() && node.size() > 0 && node[0].IsMap()) {
    for (const YAML::Node& alternative : node) {
      if (!alternative.IsMap())
        return fail(Error{ErrorKind::kInvalidArgument, "a list mixing maps and values"});
      Result<std::vector<DetectionItem>> items = MapItems(alternative);
      if (!items) return fail(items.error());
      search.alternatives.push_back(std::move(*items));
    }
  } else {
    std::vector<RawValue> values;  // keywords
    if (Status s = ScalarValues(node, name, &values); !s) return fail(s.error());
    Result<DetectionItem> item = CompileItem("", values);
    if (!item) return fail(item.error());
    search.alternatives.push_back({std::move(*item)});
  }
  return search;
}

Status CheckLogsource(const YAML::Node& logsource) {
  const std::string product = ToLower(ScalarOr(logsource["product"]));
  const std::string service = ToLower(ScalarOr(logsource["service"]));
  if (product == "aws" && service == "cloudtrail") return Ok();
  return Invalid("logsource product '" + product + "' service '" + service + "' category '" +
                 ScalarOr(logsource["category"]) + "' is not AWS CloudTrail");
}

Status ParseDetection(const YAML::Node& detection, Rule* rule) {
  if (!detection || !detection.IsMap()) return Invalid("no detection map");
  std::vector<std::string> conditions;
  for (const auto& entry : detection) {
    const std::string key = entry.first.Scalar();
    if (key == "condition") {
      conditions = Strings(entry.second);
    } else if (key == "timeframe") {
      return Invalid("'timeframe' belongs to the legacy aggregation form: rewrite it as a correlation rule");
    } else {
      Result<SearchIdentifier> search = ParseSearch(key, entry.second);
      if (!search) return MakeError(search.error());
      rule->searches.push_back(std::move(*search));
    }
  }
  if (conditions.empty()) return Invalid("no condition");
  std::vector<std::string> names;
  for (const SearchIdentifier& s : rule->searches) names.push_back(s.name);
  for (const std::string& text : conditions) {
    if (text.find('|') != std::string::npos) {
      return Invalid(
          "condition '" + text +
          "' uses the legacy aggregation form ('| count() ...'): rewrite it as a correlation rule");
    }
    Result<Condition> condition = ParseCondition(text, names);
    if (!condition) return MakeError(condition.error());
    rule->conditions.push_back(std::move(*condition));
  }
  return Ok();
}

Status ParseRule(const YAML::Node& doc, Rule* rule) {
  if (!doc.IsMap()) return Invalid("not a YAML map");
  rule->title = ScalarOr(doc["title"]);
  rule->id = ScalarOr(doc["id"]);
  rule->name = ScalarOr(doc["name"]);
  rule->level = ScalarOr(doc["level"]);
  rule->status = ScalarOr(doc["status"]);
  rule->author = ScalarOr(doc["author"]);
  rule->description = ScalarOr(doc["description"]);
  rule->falsepositives = Strings(doc["falsepositives"]);
  rule->tags = Strings(doc["tags"]);
  if (doc["filter"]) return Invalid("a Sigma filter document: filters are not applied yet");
  if (doc["action"])
    return Invalid("action '" + ScalarOr(doc["action"]) + "' (legacy collection) is not supported");
  if (Status s = CheckLogsource(doc["logsource"]); !s) return s;
  return ParseDetection(doc["detection"], rule);
}

void LoadCorrelation(std::string_view file, const YAML::Node& doc, LoadedRules* out) {
  Correlation c;
  c.file = std::string(file);
  Status s;
  try {
    s = ParseCorrelation(doc, &c);
  } catch (const YAML::Exception& e) {
    s = Invalid(std::string("unexpected YAML shape: ") + e.what());
  }
  if (s) {
    out->correlations.push_back(std::move(c));
  } else {
    out->skipped.push_back({std::string(file), c.title, s.error().message});
  }
}

}  // namespace

void LoadRuleText(std::string_view file, std::string_view text, LoadedRules* out) {
  ++out->files;
  if (Status ends = CheckYamlParseEnds(text); !ends) {
    out->skipped.push_back({std::string(file), "", ends.error().message});
    return;
  }
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {  // yaml-cpp reports bad input only by throwing
    out->skipped.push_back({std::string(file), "", std::string("invalid YAML: ") + e.what()});
    return;
  }
  for (const YAML::Node& doc : docs) {
    if (!doc || doc.IsNull()) continue;
    if (doc.IsMap() && doc["correlation"]) {
      LoadCorrelation(file, doc, out);
      continue;
    }
    Rule rule;
    rule.file = std::string(file);
    Status s;
    try {
      s = ParseRule(doc, &rule);
    } catch (const YAML::Exception& e) {
      s = Invalid(std::string("unexpected YAML shape: ") + e.what());
    }
    if (s) {
      if (rule.title.empty()) rule.title = fs::path(file).filename().string();
      out->rules.push_back(std::move(rule));
    } else {
      out->skipped.push_back({std::string(file), rule.title, s.error().message});
    }
  }
}

namespace {

// A rule file is a few KB; SigmaHQ's largest is under 20 KB. The cap keeps a wrong path (a log, an
// image) from being read whole.
constexpr size_t kMaxRuleFileBytes = 4 << 20;

// The *.yml and *.yaml files under `folder`, in name order. An entry with such a name that is not a
// regular file (a FIFO, a device, a link to a folder, which is not followed: it could loop) is listed in
// *skipped, never read and never dropped silently.
Result<std::vector<std::string>> RuleFilesIn(const std::string& folder, std::vector<SkippedRule>* skipped) {
  std::vector<std::string> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string ext = it->path().extension().string();
    if (ext != ".yml" && ext != ".yaml") continue;
    std::error_code type_ec;
    if (it->is_regular_file(type_ec))
      found.push_back(it->path().string());
    else
      skipped->push_back(
          {it->path().string(), "", "not a regular file (a folder, a FIFO, a device or a broken link)"});
  }
  if (ec) return MakeError(ErrorKind::kIo, "reading " + folder + ": " + ec.message());
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

Result<LoadedRules> LoadRules(const std::vector<std::string>& paths) {
  LoadedRules loaded;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      Result<std::vector<std::string>> found = RuleFilesIn(path, &loaded.skipped);
      if (!found) return MakeError(found.error());
      files.insert(files.end(), found->begin(), found->end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      return MakeError(ErrorKind::kNotFound, "--sigma " + path + ": no such file or folder");
    }
  }
  for (const std::string& file : files) {
    Result<std::string> text = ReadSmallFile(file, kMaxRuleFileBytes);
    if (!text) return MakeError(ErrorKind::kIo, "--sigma: " + text.error().message);
    LoadRuleText(file, *text, &loaded);
  }
  ResolveCorrelations(&loaded);
  return loaded;
}

}  // namespace cordon::hunt::sigma
