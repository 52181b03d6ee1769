#include "hunt/athena_engine.h"

#include <algorithm>
#include <charconv>

#include "aws/client.h"
#include "base/json.h"
#include "base/strings.h"
#include "base/time.h"
#include "hunt/emit.h"
#include "hunt/token_matcher.h"

namespace cordon::hunt {
namespace {

// GetQueryResults' largest page (the API's maximum): fewest calls for a large result.
constexpr int kResultRowsPerPage = 1000;

std::string Trim(std::string_view s) {
  const size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  const size_t end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

int64_t ToInt(const std::string& text, int64_t fallback) {
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && end == text.data() + text.size() ? v : fallback;
}

// Athena prints timestamps as "2023-07-10 12:00:05.000" (sometimes with " UTC"); also takes ISO 8601
// and epoch seconds. INT64_MIN when unreadable.
int64_t EpochOf(const std::string& text) {
  std::string iso = text;
  if (EndsWith(iso, " UTC")) iso.resize(iso.size() - 4);
  if (iso.size() > 10 && iso[10] == ' ') iso[10] = 'T';
  if (iso.size() >= 19 && iso.find('Z') == std::string::npos && iso.find('+') == std::string::npos)
    iso += 'Z';
  std::optional<TimePoint> t = ParseTimestamp(iso);
  if (!t) t = ParseTimestamp(text);
  if (!t) return INT64_MIN;
  return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
}

bool SplitAssumedRole(std::string_view arn, std::string* role, std::string* session) {
  const std::string_view marker = ":assumed-role/";
  const size_t at = arn.find(marker);
  if (at == std::string_view::npos) return false;
  const std::string_view rest = arn.substr(at + marker.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return false;
  role->assign(rest.substr(0, slash));
  session->assign(rest.substr(slash + 1));
  return true;
}

bool HasColumn(const AthenaTable& table, std::string_view column) {
  return std::find(table.columns.begin(), table.columns.end(), column) != table.columns.end();
}

// Waits until the query leaves QUEUED/RUNNING; fails unless it SUCCEEDED.
Status WaitForQuery(aws::Client* client, const std::string& id, const AthenaOptions& options) {
  Clock* clock = client->clock();
  const TimePoint deadline = clock->Now() + options.timeout;
  std::chrono::milliseconds delay = options.poll_first;
  for (;;) {
    Result<Json> out = client->Call("athena", "GetQueryExecution", {{"QueryExecutionId", id}});
    if (!out) return WithContext(out.error(), "athena query " + id);
    const Json status = (*out)["QueryExecution"].value("Status", Json::object());
    const std::string state = status.value("State", "");
    if (state == "SUCCEEDED") return Ok();
    if (state == "FAILED" || state == "CANCELLED") {
      std::string reason = status.value("StateChangeReason", "");
      if (status.contains("AthenaError")) {
        const std::string type = status["AthenaError"].value("ErrorType", "");
        if (reason.empty()) reason = status["AthenaError"].value("ErrorMessage", "");
        if (!type.empty()) reason += " (" + type + ")";
      }
      return MakeError(ErrorKind::kService,
                       "athena query " + id + " " + state + (reason.empty() ? "" : ": " + reason));
    }
    if (clock->Now() + delay > deadline) {
      // Best effort: a query left running keeps scanning (and costing) after we give up on it.
      (void)client->Call("athena", "StopQueryExecution", {{"QueryExecutionId", id}});
      return MakeError(ErrorKind::kTransient, "athena query " + id + " still " + state + " after " +
                                                  std::to_string(options.timeout.count() / 1000) +
                                                  " s; stopped it");
    }
    clock->SleepFor(delay);
    delay = std::min(delay * 2, options.poll_max);
  }
}

}  // namespace

std::string AthenaTable::Cell(size_t row, std::string_view column) const {
  const auto it = std::find(columns.begin(), columns.end(), column);
  if (it == columns.end() || row >= rows.size()) return "";
  const size_t i = static_cast<size_t>(it - columns.begin());
  if (i >= rows[row].size() || !rows[row][i]) return "";
  return *rows[row][i];
}

std::vector<std::string> SplitStatements(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (const std::string& line : Split(text, '\n')) {
    std::string trimmed = Trim(line);
    if (!trimmed.empty() && trimmed.back() == ';' && !trimmed.starts_with("--")) {
      current += line.substr(0, line.rfind(';'));
      if (std::string statement = Trim(current); !statement.empty()) out.push_back(std::move(statement));
      current.clear();
      continue;
    }
    current += line + "\n";
  }
  // A last statement without ";" still runs, unless it is nothing but comments.
  bool only_comments = true;
  for (const std::string& line : Split(current, '\n')) {
    const std::string trimmed = Trim(line);
    if (!trimmed.empty() && !trimmed.starts_with("--")) only_comments = false;
  }
  if (!only_comments) out.push_back(Trim(current));
  return out;
}

Result<AthenaTable> RunAthenaQuery(aws::Client* client, const std::string& sql,
                                   const AthenaOptions& options) {
  Json input = {{"QueryString", sql}};
  if (!options.output_location.empty()) {
    input["ResultConfiguration"] = {{"OutputLocation", options.output_location}};
  }
  Json context = Json::object();
  if (!options.database.empty()) context["Database"] = options.database;
  if (!options.catalog.empty()) context["Catalog"] = options.catalog;
  if (!context.empty()) input["QueryExecutionContext"] = context;
  if (!options.workgroup.empty()) input["WorkGroup"] = options.workgroup;
  Result<Json> started = client->Call("athena", "StartQueryExecution", input);
  if (!started) return WithContext(started.error(), "starting the athena query");
  AthenaTable table;
  table.query_execution_id = started->value("QueryExecutionId", "");
  if (table.query_execution_id.empty()) {
    return MakeError(ErrorKind::kInternal, "StartQueryExecution returned no QueryExecutionId");
  }
  if (Status s = WaitForQuery(client, table.query_execution_id, options); !s) return MakeError(s.error());

  // Paged by hand rather than with CallAll: merging pages would repeat ColumnInfo once per page.
  std::string token;
  bool first_page = true;
  do {
    Json request = {{"QueryExecutionId", table.query_execution_id}, {"MaxResults", kResultRowsPerPage}};
    if (!token.empty()) request["NextToken"] = token;
    Result<Json> page = client->Call("athena", "GetQueryResults", request);
    if (!page) return WithContext(page.error(), "reading athena query " + table.query_execution_id);
    const Json result_set = page->value("ResultSet", Json::object());
    if (first_page) {
      for (const Json& column : result_set["ResultSetMetadata"].value("ColumnInfo", Json::array())) {
        table.columns.push_back(ToLower(column.value("Name", "")));
      }
    }
    for (const Json& row : result_set.value("Rows", Json::array())) {
      std::vector<std::optional<std::string>> cells;
      for (const Json& cell : row.value("Data", Json::array())) {
        if (cell.contains("VarCharValue")) {
          cells.emplace_back(cell["VarCharValue"].get<std::string>());
        } else {
          cells.emplace_back(std::nullopt);
        }
      }
      // A SELECT's first row repeats the column names.
      if (first_page && table.rows.empty() && cells.size() == table.columns.size()) {
        bool header = !cells.empty();
        for (size_t i = 0; i < cells.size() && header; ++i)
          header = cells[i] && ToLower(*cells[i]) == table.columns[i];
        if (header) continue;
      }
      table.rows.push_back(std::move(cells));
    }
    first_page = false;
    token = page->value("NextToken", "");
  } while (!token.empty());
  return table;
}

CloudTrailEvent EventFromAthenaRow(const AthenaTable& table, size_t row, const Selectors& selectors) {
  CloudTrailEvent e;
  e.event_time = table.Cell(row, "eventtime");
  if (std::optional<TimePoint> t = ParseTimestamp(e.event_time)) e.time = *t;
  e.event_id = table.Cell(row, "eventid");
  e.event_source = table.Cell(row, "eventsource");
  e.event_name = table.Cell(row, "eventname");
  e.aws_region = table.Cell(row, "awsregion");
  e.source_ip = table.Cell(row, "sourceipaddress");
  e.user_agent = table.Cell(row, "useragent");
  e.error_code = table.Cell(row, "errorcode");
  e.identity_type = table.Cell(row, "identity_type");
  e.identity_arn = table.Cell(row, "identity_arn");
  e.access_key_id = table.Cell(row, "access_key_id");
  // What attribution needs (sessions.h): EC2 delivered the credentials, through whose VPC endpoint.
  e.identity_account = table.Cell(row, "identity_account");
  e.ec2_role_delivery = table.Cell(row, "ec2_role_delivery");
  e.vpc_endpoint_account = table.Cell(row, "vpc_endpoint_account");
  SplitAssumedRole(e.identity_arn, &e.role_name, &e.session_name);
  e.by = table.Cell(row, "relation") == "by";
  e.file = "athena:" + table.query_execution_id;
  if (!e.by) return e;
  // The same "by" hits the local reader reports, from the columns the SQL selects.
  for (const auto* list : {&selectors.instances, &selectors.ips, &selectors.enis, &selectors.access_keys}) {
    for (const std::string& token : *list) {
      if (TokenMatcher::ContainsToken(e.identity_arn, token)) e.hits.push_back({token, "userIdentity.arn"});
      if (TokenMatcher::ContainsToken(e.access_key_id, token)) {
        e.hits.push_back({token, "userIdentity.accessKeyId"});
      }
    }
  }
  for (const std::string& role : selectors.roles) {
    if (e.role_name == role) e.hits.push_back({role, "userIdentity.sessionIssuer"});
  }
  for (const std::string& ip : selectors.ips) {
    if (e.source_ip == ip) e.hits.push_back({ip, "sourceIPAddress"});
  }
  return e;
}

void AddFlowAthenaRow(const AthenaTable& table, size_t row, HuntResults* results) {
  FlowKey key;
  key.peer = table.Cell(row, "peer");
  key.port = static_cast<int>(ToInt(table.Cell(row, "port"), -1));
  key.protocol = static_cast<int>(ToInt(table.Cell(row, "protocol"), -1));
  key.direction = table.Cell(row, "direction");
  key.action = table.Cell(row, "action");
  FlowAggregate& agg = results->flows[key];
  agg.bytes += static_cast<uint64_t>(ToInt(table.Cell(row, "bytes"), 0));
  agg.packets += static_cast<uint64_t>(ToInt(table.Cell(row, "packets"), 0));
  const uint64_t flows = static_cast<uint64_t>(ToInt(table.Cell(row, "flows"), 0));
  agg.flows += flows;
  results->flow_matched_records += flows;
  if (const int64_t first = EpochOf(table.Cell(row, "first")); first != INT64_MIN) {
    agg.first = std::min(agg.first, first);
  }
  if (const int64_t last = EpochOf(table.Cell(row, "last")); last != INT64_MIN)
    agg.last = std::max(agg.last, last);
}

Result<HuntResults> RunAthenaHunt(aws::Client* client, const Selectors& selectors,
                                  const AthenaOptions& options) {
  Result<std::string> sql = EmitQueries("athena", selectors);
  if (!sql) return MakeError(sql.error());
  HuntResults results;
  for (const std::string& statement : SplitStatements(*sql)) {
    Result<AthenaTable> table = RunAthenaQuery(client, statement, options);
    if (!table) return MakeError(table.error());
    // Which statement it was, by its columns: the CloudTrail query selects "relation", the flow one "peer".
    if (HasColumn(*table, "relation")) {
      for (size_t i = 0; i < table->rows.size(); ++i) {
        results.events.push_back(EventFromAthenaRow(*table, i, selectors));
      }
    } else if (HasColumn(*table, "peer")) {
      for (size_t i = 0; i < table->rows.size(); ++i) AddFlowAthenaRow(*table, i, &results);
    } else if (!table->rows.empty()) {
      results.warnings.push_back(
          {"athena:" + table->query_execution_id, "results with unknown columns were ignored"});
    }
  }
  results.Finalize();
  return results;
}

}  // namespace cordon::hunt
