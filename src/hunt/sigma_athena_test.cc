// The Sigma rules as Athena SQL (golden files for a few SigmaHQ rules, and the shape of the query for all
// 57), and the rows of that query made back into records: the exact matcher must decide on them as it
// decides on the records they came from.
#include "hunt/sigma_athena.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "base/strings.h"
#include "hunt/sigma/athena_table.h"
#include "hunt/sigma/athena_where.h"
#include "hunt/sigma/test_samples.h"
#include "hunt/test_util.h"
#include "testing/test_paths.h"

namespace cordon::hunt {
namespace {

// The test data is built with fmt, not "o" + std::to_string(i) + ...: GCC 12 at -O3 flags that
// operator+(const char*, string&&) with a -Wrestrict false positive (GCC bug 105329) in a Release build.

std::string RulesDir() {
  return std::string(::cordon::test::TestDataDir()) + "/sigma/rules/cloud/aws/cloudtrail/";
}

// Golden files live in src/hunt/testdata/emit_sigma_<name>.golden. Do not edit them by hand: run the test
// with CORDON_UPDATE_GOLDEN=1 and review the diff.
void ExpectGolden(const std::string& name, const std::string& text) {
  const std::string path =
      std::string(::cordon::test::SourceDir()) + "/src/hunt/testdata/emit_sigma_" + name + ".golden";
  if (std::getenv("CORDON_UPDATE_GOLDEN")) std::ofstream(path, std::ios::binary) << text;
  EXPECT_EQ(text, testing::ReadFile(path));
}

sigma::LoadedRules Load(const std::vector<std::string>& names) {
  std::vector<std::string> paths;
  for (const std::string& n : names) paths.push_back(RulesDir() + n + ".yml");
  Result<sigma::LoadedRules> loaded = sigma::LoadRules(paths);
  EXPECT_TRUE(loaded);
  return std::move(*loaded);
}

// Rules chosen for what their translation shows: a list as IN (disable_logging), a nested
// requestParameters field as a LIKE on the JSON text (startup_script_change), `contains` on the whole
// object (bucket_versioning), `null` as IS NULL (bucket_deleted), `re` as regexp_like and `not` as TRUE
// (imds_malicious_usage), `contains` with characters JSON may escape (s3browser policy), `fieldref`
// (update_login_profile).
TEST(SigmaAthena, RulesMatchGoldenFile) {
  sigma::LoadedRules loaded = Load(
      {"aws_cloudtrail_disable_logging", "aws_ec2_startup_script_change", "aws_disable_bucket_versioning",
       "aws_cloudtrail_bucket_deleted", "aws_cloudtrail_imds_malicious_usage",
       "aws_iam_s3browser_templated_s3_bucket_policy_creation", "aws_update_login_profile"});
  ASSERT_EQ(loaded.rules.size(), 7u);
  loaded.skipped.push_back({"rules/other.yml", "Other", "logsource is not AWS CloudTrail"});
  Result<std::string> text = EmitSigmaAthena(loaded.rules, loaded.skipped, Selectors{});
  ASSERT_TRUE(text) << text.error().message;
  ExpectGolden("athena", *text);
}

TEST(SigmaAthena, SelectorsAndWindowAreAndedOn) {
  sigma::LoadedRules loaded = Load({"aws_cloudtrail_pua_trufflehog"});
  Selectors s;
  s.instances = {"i-0abc"};
  s.ips = {"203.0.113.7"};
  s.since = ParseTimestamp("2024-01-05T00:00:00Z");
  Result<std::string> text = EmitSigmaAthena(loaded.rules, {}, s);
  ASSERT_TRUE(text);
  ExpectGolden("athena_selectors", *text);
}

TEST(SigmaAthena, NoRuleIsAnError) { EXPECT_FALSE(EmitSigmaAthena({}, {}, Selectors{})); }

// Whether `sql` has balanced parentheses outside its string literals, and closes every literal.
bool WellFormed(const std::string& sql) {
  int depth = 0;
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (quoted) continue;
    if (c == '(') ++depth;
    if (c == ')' && --depth < 0) return false;
  }
  return depth == 0 && !quoted;
}

// For every SigmaHQ rule: a well-formed WHERE that narrows the table (none of the 57 needs every row),
// holding each eventName and eventSource value the rule pins (lower-cased), and never an empty IN ().
TEST(SigmaAthena, EverySigmaHqRuleNarrowsOnWhatItPins) {
  const sigma::RuleSet set = sigma::test::SigmaHqRules();
  for (const sigma::Rule& rule : set.rules()) {
    SCOPED_TRACE(rule.file);
    const sigma::AthenaWhere where = sigma::RuleToAthenaWhere(rule);
    EXPECT_TRUE(where.narrows) << where.sql;
    EXPECT_TRUE(WellFormed(where.sql)) << where.sql;
    EXPECT_EQ(where.sql.find("IN ()"), std::string::npos);
    for (const sigma::SearchIdentifier& search : rule.searches) {
      if (search.name.starts_with("filter")) continue;  // under `not`: TRUE
      for (const auto& items : search.alternatives) {
        for (const sigma::DetectionItem& item : items) {
          if (!item.field || (item.field->name != "eventName" && item.field->name != "eventSource")) continue;
          for (const sigma::ValueMatcher& v : item.values) {
            if (!v.pattern.IsLiteral()) continue;
            EXPECT_NE(where.sql.find(fmt::format("'{}'", v.pattern.LiteralText())), std::string::npos)
                << item.field->name << " " << v.pattern.LiteralText() << " in " << where.sql;
          }
        }
      }
    }
  }
}

// The row the standard table holds for `record`, as Athena returns it for the emitted SELECT: each
// column's text, the JSON-string columns as JSON text, the structs as json_format(CAST(... AS JSON)) with
// their declared fields only, under lower-case keys.
Json StructCell(const Json& value, const std::string& path) {
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& e : value) out.push_back(StructCell(e, path));
    return out;
  }
  if (!value.is_object()) return value;
  Json out = Json::object();
  for (const auto& [key, v] : value.items()) {
    const std::string child = path + "." + key;
    if (sigma::AthenaFieldSpelling(ToLower(child)) != child) continue;  // not declared: not in the table
    out[ToLower(key)] = StructCell(v, path + "." + key);
  }
  return out;
}

AthenaTable TableOf(const std::vector<Json>& records) {
  AthenaTable table;
  for (const sigma::AthenaColumn& c : sigma::AthenaCloudTrailColumns())
    table.columns.push_back(ToLower(c.field));
  for (const Json& r : records) {
    std::vector<std::optional<std::string>> row;
    for (const sigma::AthenaColumn& c : sigma::AthenaCloudTrailColumns()) {
      const std::string field(c.field);
      if (!r.contains(field) || r[field].is_null()) {
        row.emplace_back(std::nullopt);
      } else if (c.kind == sigma::AthenaColumn::Kind::kStruct ||
                 c.kind == sigma::AthenaColumn::Kind::kArray) {
        row.emplace_back(StructCell(r[field], field).dump());
      } else {
        row.emplace_back(r[field].is_string() ? r[field].get<std::string>() : r[field].dump());
      }
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

std::vector<size_t> Matches(sigma::RuleMatcher& matcher, const Json& record) {
  std::vector<size_t> out;
  EXPECT_TRUE(matcher.Match(record.dump(), &out));
  return out;
}

// Every sample record and every rule case's two events, through the table and back: the same rules
// match. (The samples' fields outside the table, userIdentity.onBehalfOf and the like, are pinned by no
// SigmaHQ rule.)
TEST(SigmaAthena, RowsBecomeRecordsTheRulesJudgeAsTheOriginals) {
  const sigma::RuleSet set = sigma::test::SigmaHqRules();
  sigma::RuleMatcher matcher(set);
  std::vector<Json> records;
  for (const nlohmann::json& r : sigma::test::SampleRecords()) records.push_back(Json::parse(r.dump()));
  std::ifstream in(std::string(::cordon::test::SourceDir()) + "/src/hunt/sigma/testdata/rule_cases.json");
  const Json cases = Json::parse(in);
  for (const auto& [name, c] : cases.items()) {
    records.push_back(c["match"]);
    records.push_back(c["no_match"]);
  }
  ASSERT_GT(records.size(), 200u);
  const AthenaTable table = TableOf(records);
  size_t matched = 0;
  size_t without_status = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    // aws_delete_saml_provider pins `status`, a field no CloudTrail record has (`cordon sigma lint` says
    // so): its hand-made case holds one, which no table over a trail can.
    if (records[i].contains("status")) continue;
    ++without_status;
    const Json back = RecordFromAthenaRow(table, i);
    const std::vector<size_t> want = Matches(matcher, records[i]);
    EXPECT_EQ(Matches(matcher, back), want) << records[i].dump() << "\nback: " << back.dump();
    matched += want.empty() ? 0 : 1;
  }
  EXPECT_EQ(without_status, records.size() - 2);
  EXPECT_GE(matched, 56u);
}

TEST(SigmaAthena, RowKeepsCloudTrailSpellingAndTypes) {
  AthenaTable table;
  table.columns = {"eventname", "useridentity", "readonly", "requestparameters", "errorcode"};
  table.rows.push_back(
      {"ConsoleLogin",
       R"({"type":"AssumedRole","sessioncontext":{"sessionissuer":{"type":"Role","arn":null}}})", "false",
       R"({"userName":"bob"})", std::nullopt});
  const Json r = RecordFromAthenaRow(table, 0);
  EXPECT_EQ(r.dump(),
            R"({"userIdentity":{"type":"AssumedRole","sessionContext":{"sessionIssuer":)"
            R"({"type":"Role"}}},"eventName":"ConsoleLogin","requestParameters":{"userName":"bob"},)"
            R"("readOnly":false})");
}

}  // namespace
}  // namespace cordon::hunt
