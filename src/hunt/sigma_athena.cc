#include "hunt/sigma_athena.h"

#include <algorithm>

#include "base/strings.h"
#include "hunt/emit.h"
#include "hunt/scanner.h"
#include "hunt/sigma/athena_table.h"
#include "hunt/sigma/athena_where.h"

namespace cordon::hunt {
namespace {

using sigma::AthenaColumn;

// A comment's text on one line.
std::string OneLine(std::string_view text) {
  std::string out(text);
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\r', ' ');
  return out;
}

// Every column, the structs and arrays as JSON (Trino casts a ROW with named fields to a JSON object
// keyed by the field names; json_format gives its text) so that the row can become the record again.
std::string SelectList() {
  std::vector<std::string> columns;
  for (const AthenaColumn& c : sigma::AthenaCloudTrailColumns()) {
    const std::string name = ToLower(c.field);
    if (c.kind == AthenaColumn::Kind::kStruct || c.kind == AthenaColumn::Kind::kArray) {
      columns.push_back("json_format(CAST(" + name + " AS JSON)) AS " + name);
    } else {
      columns.push_back(name);
    }
  }
  std::string out = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i)
    out += (i ? (i % 4 == 0 ? ",\n       " : ", ") : "") + columns[i];
  return out;
}

// Renames an object's keys (lower case from Athena) to CloudTrail's spelling; `path` is its lower-case path.
Json Respell(const Json& value, const std::string& path) {
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& e : value) out.push_back(Respell(e, path));
    return out;
  }
  if (!value.is_object()) return value;
  Json out = Json::object();
  for (const auto& [key, v] : value.items()) {
    if (v.is_null()) continue;
    const std::string child = path + "." + ToLower(key);
    const std::string_view spelled = sigma::AthenaFieldSpelling(child);
    const std::string name = spelled.empty() ? key : std::string(spelled.substr(spelled.rfind('.') + 1));
    out[name] = Respell(v, child);
  }
  return out;
}

}  // namespace

Result<std::string> EmitSigmaAthena(const std::vector<sigma::Rule>& rules,
                                    const std::vector<sigma::SkippedRule>& skipped,
                                    const Selectors& selectors) {
  if (rules.empty()) return MakeError(ErrorKind::kInvalidArgument, "no Sigma rule to translate");
  std::string out = "-- cordon hunt --sigma: " + std::to_string(rules.size()) +
                    " rule(s) as one query over " + std::string(kAthenaCloudTrailTable) +
                    " (see --emit athena-ddl).\n"
                    "-- The WHERE is a superset of what the rules match (Athena's = and LIKE are "
                    "case-sensitive, the nested\n"
                    "-- objects are JSON strings): cordon hunt --engine athena re-checks every row with the "
                    "rules themselves.\n"
                    "-- sigma_rules: the ids of the rules whose filter the row passed.\n";
  std::vector<std::string> cases;
  std::vector<std::string> wheres;
  for (const sigma::Rule& rule : rules) {
    const sigma::AthenaWhere where = sigma::RuleToAthenaWhere(rule);
    const std::string label =
        OneLine(rule.title) + " (" + OneLine(rule.id) + ", " + OneLine(rule.level) + ")";
    if (!where.narrows) out += "-- every row passes the filter of " + label + ": nothing in it can be SQL\n";
    cases.push_back("CASE WHEN " + where.sql + " THEN " + sigma::SqlQuote(rule.id) + " END");
    wheres.push_back("-- " + label + "\n    " + where.sql);
  }
  for (const sigma::SkippedRule& s : skipped) {
    out += "-- skipped: " + OneLine(s.file) + (s.title.empty() ? "" : " (" + OneLine(s.title) + ")") + ": " +
           OneLine(s.reason) + "\n";
  }
  out += SelectList() + ",\n       concat_ws(',',\n         " + Join(cases, ",\n         ") +
         ") AS sigma_rules\n";
  out +=
      "FROM " + std::string(kAthenaCloudTrailTable) + "\nWHERE (\n    " + Join(wheres, "\n    OR ") + "\n  )";
  out += AthenaCloudTrailSelection(selectors);
  out += "\nORDER BY eventtime, eventid;\n";
  return out;
}

Json RecordFromAthenaRow(const AthenaTable& table, size_t row) {
  Json record = Json::object();
  for (const AthenaColumn& c : sigma::AthenaCloudTrailColumns()) {
    const std::string name = ToLower(c.field);
    const auto at = std::find(table.columns.begin(), table.columns.end(), name);
    if (at == table.columns.end()) continue;
    const size_t i = static_cast<size_t>(at - table.columns.begin());
    if (row >= table.rows.size() || i >= table.rows[row].size() || !table.rows[row][i]) continue;
    const std::string& text = *table.rows[row][i];
    const std::string field(c.field);
    if (c.kind == AthenaColumn::Kind::kString) {
      // readOnly is a boolean in the records, a STRING column in the table.
      if (field == "readOnly" && (text == "true" || text == "false")) {
        record[field] = text == "true";
      } else {
        record[field] = text;
      }
      continue;
    }
    Json parsed = Json::parse(text, nullptr, false);
    if (parsed.is_discarded()) {
      if (c.kind == AthenaColumn::Kind::kJsonString) record[field] = text;  // kept as the table has it
      continue;
    }
    if (parsed.is_null()) continue;
    record[field] = c.kind == AthenaColumn::Kind::kJsonString ? parsed : Respell(parsed, name);
  }
  return record;
}

Status RunAthenaSigma(aws::Client* client, const sigma::RuleSet& rules,
                      const std::vector<sigma::SkippedRule>& skipped, const Selectors& selectors,
                      const AthenaOptions& options, HuntResults* results) {
  Result<std::string> sql = EmitSigmaAthena(rules.rules(), skipped, selectors);
  if (!sql) return MakeError(sql.error());
  const std::vector<std::string> statements = SplitStatements(*sql);
  if (statements.size() != 1) return MakeError(ErrorKind::kInternal, "the Sigma query is not one statement");
  Result<AthenaTable> table = RunAthenaQuery(client, statements[0], options);
  if (!table) return MakeError(table.error());
  Json records = Json::array();
  for (size_t i = 0; i < table->rows.size(); ++i) records.push_back(RecordFromAthenaRow(*table, i));
  Json delivery = Json::object();
  delivery["Records"] = std::move(records);
  std::string text = delivery.dump();
  ScanOptions scan;
  scan.threads = 1;
  scan.cloudtrail.sigma = &rules;
  HuntResults rechecked;
  ObjectScanner scanner(selectors, scan);
  scanner.Scan(LogKind::kCloudTrail, "athena:" + table->query_execution_id, &text, &rechecked);
  for (SigmaMatch& m : rechecked.sigma_matches) results->sigma_matches.push_back(std::move(m));
  for (Skipped& s : rechecked.skipped) results->skipped.push_back(std::move(s));
  return Ok();
}

}  // namespace cordon::hunt
