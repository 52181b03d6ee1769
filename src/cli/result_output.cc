#include "cli/result_output.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include "aws/jmespath/jmespath.h"
#include "base/terminal_print.h"
#include "base/terminal_text.h"
#include "cli/output.h"
#include "cli/result_line.h"

namespace cordon::cli {
namespace {

bool Scalar(const Json& v) { return !v.is_object() && !v.is_array(); }

// A scalar as the AWS CLI's text output writes it (Python's str(): None, True, False). Not
// base/json_fields.h's Str, which reads a member.
std::string PythonStr(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "None";
  if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
  return v.dump();
}

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

// awscli/text.py, function by function: _format_text, _format_dict, _format_list.
void Text(const Json& item, std::string* out, const std::string* identifier,
          const std::vector<std::string>* scalar_keys);

// The members by key, as awscli's sorted(item.items()): cordon's Json keeps insertion order.
std::vector<std::pair<std::string, const Json*>> SortedMembers(const Json& item) {
  std::vector<std::pair<std::string, const Json*>> members;
  for (const auto& [key, value] : item.items()) members.emplace_back(key, &value);
  std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return members;
}

void TextDict(const Json& item, std::string* out, const std::string* identifier,
              const std::vector<std::string>* scalar_keys) {
  std::vector<std::string> scalars;
  std::vector<std::pair<std::string, const Json*>> nested;
  if (scalar_keys == nullptr) {
    for (const auto& [key, value] : SortedMembers(item)) {
      if (Scalar(*value))
        scalars.push_back(PythonStr(*value));
      else
        nested.emplace_back(key, value);
    }
  } else {
    for (const std::string& key : *scalar_keys)
      scalars.push_back(item.contains(key) ? PythonStr(item[key]) : "");
    for (const auto& [key, value] : SortedMembers(item))
      if (std::find(scalar_keys->begin(), scalar_keys->end(), key) == scalar_keys->end())
        nested.emplace_back(key, value);
  }
  if (!scalars.empty()) {
    if (identifier != nullptr) scalars.insert(scalars.begin(), Upper(*identifier));
    for (size_t i = 0; i < scalars.size(); ++i) *out += (i ? "\t" : "") + scalars[i];
    *out += "\n";
  }
  for (const auto& [key, value] : nested) Text(*value, out, &key, nullptr);
}

void TextScalarList(const std::vector<const Json*>& items, std::string* out, const std::string* identifier) {
  if (identifier != nullptr) {
    for (const Json* v : items) *out += Upper(*identifier) + "\t" + PythonStr(*v) + "\n";
    return;
  }
  for (size_t i = 0; i < items.size(); ++i) *out += (i ? "\t" : "") + PythonStr(*items[i]);
  *out += "\n";
}

void TextList(const Json& item, std::string* out, const std::string* identifier) {
  if (item.empty()) return;
  if (std::any_of(item.begin(), item.end(), [](const Json& e) { return e.is_object(); })) {
    std::set<std::string> keys;
    for (const Json& e : item)
      if (e.is_object())
        for (const auto& [k, v] : e.items())
          if (Scalar(v)) keys.insert(k);
    const std::vector<std::string> all(keys.begin(), keys.end());
    for (const Json& e : item) Text(e, out, identifier, &all);
    return;
  }
  std::vector<const Json*> scalars, lists;
  for (const Json& e : item) (e.is_array() ? lists : scalars).push_back(&e);
  if (!scalars.empty()) TextScalarList(scalars, out, identifier);
  for (const Json* l : lists) Text(*l, out, identifier, nullptr);
}

void Text(const Json& item, std::string* out, const std::string* identifier,
          const std::vector<std::string>* scalar_keys) {
  if (item.is_object()) return TextDict(item, out, identifier, scalar_keys);
  if (item.is_array()) return TextList(item, out, identifier);
  *out += PythonStr(item) + "\n";
}

// The table: a title row, then for an object its scalars as key/value rows (or, for a list of
// objects, one column per scalar key), then each nested value as a table of its own, titled by its
// key, as the AWS CLI's table output nests them.
struct Rows {
  std::string title;
  std::vector<std::string> header;  // empty: key/value rows
  std::vector<std::vector<std::string>> rows;
};

void Collect(const Json& data, const std::string& title, std::vector<Rows>* out) {
  Rows t;
  t.title = title;
  std::vector<std::pair<std::string, const Json*>> nested;
  if (data.is_object()) {
    for (const auto& [k, v] : data.items()) {
      if (Scalar(v))
        t.rows.push_back({k, PythonStr(v)});
      else
        nested.emplace_back(k, &v);
    }
  } else if (data.is_array() &&
             std::all_of(data.begin(), data.end(), [](const Json& e) { return e.is_object(); })) {
    std::set<std::string> keys;
    for (const Json& e : data)
      for (const auto& [k, v] : e.items())
        if (Scalar(v)) keys.insert(k);
    t.header.assign(keys.begin(), keys.end());
    for (const Json& e : data) {
      std::vector<std::string> row;
      for (const std::string& k : t.header) row.push_back(e.contains(k) ? PythonStr(e[k]) : "");
      t.rows.push_back(std::move(row));
      for (const auto& [k, v] : e.items())
        if (!Scalar(v)) nested.emplace_back(k, &v);
    }
  } else if (data.is_array()) {
    for (const Json& e : data) {
      if (Scalar(e))
        t.rows.push_back({PythonStr(e)});
      else
        nested.emplace_back(title, &e);
    }
  } else {
    t.rows.push_back({PythonStr(data)});
  }
  if (!t.rows.empty() || !t.header.empty()) out->push_back(std::move(t));
  for (const auto& [k, v] : nested) Collect(*v, k, out);
}

std::string Render(const Rows& t) {
  size_t columns = t.header.size();
  for (const auto& r : t.rows) columns = std::max(columns, r.size());
  std::vector<size_t> width(columns, 0);
  auto measure = [&](const std::vector<std::string>& r) {
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  };
  measure(t.header);
  for (const auto& r : t.rows) measure(r);
  size_t inner = columns == 0 ? 0 : columns * 3 - 1;
  for (size_t w : width) inner += w;
  inner = std::max(inner, t.title.size() + 2);
  // The last column takes whatever the title needs beyond the cells.
  size_t cells = columns == 0 ? 0 : columns * 3 - 1;
  for (size_t w : width) cells += w;
  if (columns > 0 && inner > cells) width.back() += inner - cells;
  auto line = [&](char edge, char fill) {
    std::string s(1, edge);
    for (size_t i = 0; i < columns; ++i) s += std::string(width[i] + 2, fill) + (i + 1 < columns ? "+" : "");
    return s + edge + "\n";
  };
  auto row = [&](const std::vector<std::string>& r) {
    std::string s = "|";
    for (size_t i = 0; i < columns; ++i) {
      const std::string cell = i < r.size() ? r[i] : "";
      s += " " + cell + std::string(width[i] - cell.size(), ' ') + " |";
    }
    return s + "\n";
  };
  const size_t pad = inner - t.title.size();
  std::string out = std::string(inner + 2, '-') + "\n|" + std::string(pad / 2, ' ') + t.title +
                    std::string(pad - pad / 2, ' ') + "|\n";
  out += line('+', '-');
  if (!t.header.empty()) {
    out += row(t.header);
    out += line('+', '-');
  }
  for (const auto& r : t.rows) out += row(r);
  out += line('+', '-');
  return out;
}

}  // namespace

void AddResultFlags(CLI::App& app, ResultFlags* flags, const std::string& what,
                    const std::vector<std::string>& extra) {
  std::vector<std::string> choices = {"text", "json", "table"};
  choices.insert(choices.end(), extra.begin(), extra.end());
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  if (flags->output != "text") list += " (default " + flags->output + ")";
  app.add_option("--output", flags->output, "the format to print " + what + " in: " + list)
      ->check(CLI::IsMember(choices));
  app.add_option("--query", flags->query,
                 "JMESPath expression applied to the JSON of " + what + " (as the AWS CLI's --query)");
}

Status CheckResultFlags(const ResultFlags& flags) {
  if (flags.query.empty()) return Ok();
  auto compiled = jmespath::Compile(flags.query);
  if (!compiled) return MakeError(ErrorKind::kInvalidArgument, "--query: " + compiled.error().message);
  return Ok();
}

namespace {

// `indent` -1: the JSON on one line.
int Print(const Json& result, const ResultFlags& flags, int indent) {
  Json data = result;
  if (!flags.query.empty()) {
    auto compiled = jmespath::Compile(flags.query);
    if (!compiled) return ReportError(compiled.error());
    auto found = jmespath::TryEvaluate(*compiled, result);
    if (!found) return ReportError(found.error());
    data = std::move(*found);
  }
  if (flags.output == "json" || flags.output == "jsonl") {
    const std::string text = data.dump(indent, ' ', false, Json::error_handler_t::replace);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
    return 0;
  }
  // Text and table hold what AWS returned: neutralized for the terminal, as every text output.
  const std::string text = flags.output == "table" ? AwsTable(data, "cordon") : AwsText(data);
  SafePrintf(stdout, "%s", text.c_str());
  return 0;
}

}  // namespace

int PrintResult(const Json& result, const ResultFlags& flags) { return Print(result, flags, 2); }

int PrintResultLine(const Json& result, const ResultFlags& flags) {
  int code = Print(result, flags, -1);
  std::fflush(stdout);
  return code;
}

std::string AwsText(const Json& data) {
  std::string out;
  Text(data, &out, nullptr, nullptr);
  return out;
}

std::string AwsTable(const Json& data, const std::string& title) {
  std::vector<Rows> tables;
  Collect(data, title, &tables);
  std::string out;
  for (const Rows& t : tables) out += Render(t);
  return out;
}

}  // namespace cordon::cli
