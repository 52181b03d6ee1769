#include "hunt/emit.h"

#include <chrono>
#include <cstdio>

#include "base/json.h"
#include "base/strings.h"
#include "hunt/date_layout.h"

namespace cordon::hunt {
namespace {

// Regex escaping for the token alternation (RE2/Java/PCRE agree on these).
std::string RegexEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view(".^$|()[]{}*+?\\-/").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// A regex that finds any of `tokens` delimited as TokenMatcher delimits them (a '.' next to a token counts
// as part of it here, which only matters for tokens followed by a sentence-ending dot).
std::string TokenRegex(const std::vector<std::string>& tokens) {
  std::string alternation;
  // Appended piece by piece, not as (cond ? "" : "|") + RegexEscape(t): GCC 12 at -O3 inlines that
  // operator+(const char*, string&&) into an insert() and warns -Wrestrict about an overlap that
  // cannot happen (GCC bugs 105329 and 105651), a 30-line template trace in a Release build.
  for (const std::string& t : tokens) {
    if (!alternation.empty()) alternation += '|';
    alternation += RegexEscape(t);
  }
  return "(^|[^0-9A-Za-z_.-])(" + alternation + ")($|[^0-9A-Za-z_.-])";
}

std::string SqlString(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string SqlList(const std::vector<std::string>& values) {
  std::string out = "(";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + SqlString(values[i]);
  return out + ")";
}

std::string QuotedList(const std::vector<std::string>& values, const char* quote = "\"") {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + std::string(quote) + values[i] + quote;
  return out;
}

std::vector<std::string> IdentityTokens(const Selectors& s) {
  std::vector<std::string> out;
  for (const auto* list : {&s.instances, &s.ips, &s.enis, &s.access_keys})
    out.insert(out.end(), list->begin(), list->end());
  return out;
}

std::string DayString(TimePoint t) {
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d/%02u/%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

int64_t Epoch(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// ---- Athena ----

std::string AthenaByCondition(const Selectors& s) {
  std::vector<std::string> parts;
  std::vector<std::string> tokens = IdentityTokens(s);
  if (!tokens.empty()) {
    const std::string re = SqlString(TokenRegex(tokens));
    parts.push_back("regexp_like(coalesce(useridentity.arn, ''), " + re + ")");
    parts.push_back("regexp_like(coalesce(useridentity.principalid, ''), " + re + ")");
    parts.push_back("regexp_like(coalesce(useridentity.accesskeyid, ''), " + re + ")");
  }
  if (!s.ips.empty()) parts.push_back("sourceipaddress IN " + SqlList(s.ips));
  for (const std::string& role : s.roles) {
    parts.push_back("useridentity.sessioncontext.sessionissuer.username = " + SqlString(role));
    parts.push_back("useridentity.arn LIKE " + SqlString("%:assumed-role/" + role + "/%"));
  }
  return Join(parts, "\n      OR ");
}

std::string AthenaOnCondition(const Selectors& s) {
  const std::string re = SqlString(TokenRegex(s.AllTokens()));
  return "regexp_like(coalesce(requestparameters, ''), " + re +
         ")\n      OR regexp_like(coalesce(responseelements, ''), " + re +
         ")\n      OR any_match(coalesce(resources, ARRAY[]), r -> regexp_like(coalesce(r.arn, ''), " + re +
         "))";
}

std::string AthenaTimeFilter(const Selectors& s, const char* day_column, const std::string& time_expr) {
  std::string out;
  if (s.since) {
    out += "\n  AND " + std::string(day_column) +
           " >= " + SqlString(DayString(*s.since - std::chrono::hours(24)));
  }
  if (s.until) {
    out += "\n  AND " + std::string(day_column) +
           " <= " + SqlString(DayString(*s.until + std::chrono::hours(24)));
  }
  if (s.since) out += "\n  AND " + time_expr + " >= " + SqlString(FormatIso8601(*s.since));
  if (s.until) out += "\n  AND " + time_expr + " <= " + SqlString(FormatIso8601(*s.until));
  return out;
}

std::string FlowMatchCondition(const Selectors& s) {
  std::vector<std::string> parts;
  if (!s.ips.empty()) {
    const std::string ips = SqlList(s.ips);
    for (const char* column : {"srcaddr", "dstaddr", "pkt_srcaddr", "pkt_dstaddr"}) {
      parts.push_back(std::string(column) + " IN " + ips);
    }
  }
  if (!s.enis.empty()) parts.push_back("interface_id IN " + SqlList(s.enis));
  if (!s.instances.empty()) parts.push_back("instance_id IN " + SqlList(s.instances));
  return Join(parts, "\n      OR ");
}

std::string Athena(const Selectors& s) {
  std::string out;
  out += "-- cordon hunt: CloudTrail events by and on the instance (table " +
         std::string(kAthenaCloudTrailTable) + ", see --emit athena-ddl)\n";
  const std::string by = AthenaByCondition(s);
  out +=
      "SELECT eventtime, eventid, eventsource, eventname, awsregion, sourceipaddress, useragent, errorcode,\n"
      "       useridentity.type AS identity_type, useridentity.arn AS identity_arn,\n"
      "       useridentity.accesskeyid AS access_key_id, useridentity.accountid AS identity_account,\n"
      "       useridentity.sessioncontext.ec2roledelivery AS ec2_role_delivery,\n"
      "       vpcendpointaccountid AS vpc_endpoint_account,\n"
      "       CASE WHEN " +
      (by.empty() ? std::string("false") : "(" + by + ")") + "\n       THEN 'by' ELSE 'on' END AS relation\n";
  out += "FROM " + std::string(kAthenaCloudTrailTable) + "\nWHERE (" +
         (by.empty() ? "" : by + "\n      OR ") + AthenaOnCondition(s) + ")";
  out += AthenaTimeFilter(s, "\"timestamp\"", "eventtime");
  out += "\nORDER BY eventtime, eventid;\n";

  const std::string flow_match = FlowMatchCondition(s);
  if (flow_match.empty()) return out;
  const std::string ips = s.ips.empty() ? "" : SqlList(s.ips);
  out += "\n-- cordon hunt: VPC flow log aggregates per peer, port, protocol, direction and action (table " +
         std::string(kAthenaFlowTable) + ")\n";
  out += "WITH matched AS (\n  SELECT *,\n    CASE\n";
  if (!ips.empty()) {
    out += "      WHEN srcaddr IN " + ips + " OR pkt_srcaddr IN " + ips + " THEN 'egress'\n";
    out += "      WHEN dstaddr IN " + ips + " OR pkt_dstaddr IN " + ips + " THEN 'ingress'\n";
  }
  out +=
      "      WHEN flow_direction IN ('ingress', 'egress') THEN flow_direction\n"
      "      ELSE 'unknown' END AS direction,\n"
      "    coalesce(nullif(pkt_srcaddr, '-'), srcaddr) AS src,\n"
      "    coalesce(nullif(pkt_dstaddr, '-'), dstaddr) AS dst\n";
  out +=
      "  FROM " + std::string(kAthenaFlowTable) + "\n  WHERE (" + flow_match + ")\n    AND log_status = 'OK'";
  if (s.since) {
    out += "\n    AND day >= " + SqlString(DayString(*s.since - std::chrono::hours(24))) +
           "\n    AND \"end\" >= " + std::to_string(Epoch(*s.since));
  }
  if (s.until) {
    out += "\n    AND day <= " + SqlString(DayString(*s.until + std::chrono::hours(24))) +
           "\n    AND start <= " + std::to_string(Epoch(*s.until));
  }
  out += "\n)\n";
  out +=
      "SELECT CASE direction WHEN 'egress' THEN dst WHEN 'ingress' THEN src ELSE src || '->' || dst END AS "
      "peer,\n"
      "       dstport AS port, protocol, direction, action,\n"
      "       sum(bytes) AS bytes, sum(packets) AS packets, count(*) AS flows,\n"
      "       from_unixtime(min(start)) AS first, from_unixtime(max(\"end\")) AS last\n"
      "FROM matched\nGROUP BY 1, 2, 3, 4, 5\nORDER BY bytes DESC;\n";
  return out;
}

std::string AthenaDdl() {
  std::string out;
  out +=
      "-- CloudTrail, as delivered to S3, with partition projection over region and day.\n"
      "-- Replace <bucket> and <account-id>; list your regions in projection.region.values.\n";
  out += "CREATE EXTERNAL TABLE IF NOT EXISTS " + std::string(kAthenaCloudTrailTable) +
         " (\n"
         "  eventversion STRING,\n"
         "  useridentity STRUCT<\n"
         "    type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING,\n"
         "    accesskeyid: STRING, username: STRING,\n"
         "    sessioncontext: STRUCT<\n"
         "      attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,\n"
         "      sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, "
         "username: STRING>,\n"
         "      ec2roledelivery: STRING, sourceidentity: STRING>>,\n"
         "  eventtime STRING,\n"
         "  eventsource STRING,\n"
         "  eventname STRING,\n"
         "  awsregion STRING,\n"
         "  sourceipaddress STRING,\n"
         "  useragent STRING,\n"
         "  errorcode STRING,\n"
         "  errormessage STRING,\n"
         "  requestparameters STRING,\n"
         "  responseelements STRING,\n"
         "  additionaleventdata STRING,\n"
         "  requestid STRING,\n"
         "  eventid STRING,\n"
         "  readonly STRING,\n"
         "  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,\n"
         "  eventtype STRING,\n"
         "  apiversion STRING,\n"
         "  recipientaccountid STRING,\n"
         "  serviceeventdetails STRING,\n"
         "  sharedeventid STRING,\n"
         "  vpcendpointid STRING,\n"
         "  vpcendpointaccountid STRING,\n"
         "  tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>\n"
         ")\n"
         "PARTITIONED BY (region STRING, `timestamp` STRING)\n"
         "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'\n"
         "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'\n"
         "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n"
         "LOCATION 's3://<bucket>/AWSLogs/<account-id>/CloudTrail/'\n"
         "TBLPROPERTIES (\n"
         "  'projection.enabled' = 'true',\n"
         "  'projection.region.type' = 'enum',\n"
         "  'projection.region.values' = "
         "'us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-central-1,ap-southeast-1,ap-northeast-1',\n"
         "  'projection.timestamp.type' = 'date',\n"
         "  'projection.timestamp.format' = 'yyyy/MM/dd',\n"
         "  'projection.timestamp.range' = '2015/01/01,NOW',\n"
         "  'projection.timestamp.interval' = '1',\n"
         "  'projection.timestamp.interval.unit' = 'DAYS',\n"
         "  'storage.location.template' = "
         "'s3://<bucket>/AWSLogs/<account-id>/CloudTrail/${region}/${timestamp}'\n"
         ");\n\n";
  out +=
      "-- VPC flow logs (text files in S3, custom format with every v2-v5 field in this order),\n"
      "-- with partition projection over region and day. A different field order needs the columns "
      "reordered.\n";
  out += "CREATE EXTERNAL TABLE IF NOT EXISTS " + std::string(kAthenaFlowTable) +
         " (\n"
         "  version INT,\n"
         "  account_id STRING,\n"
         "  interface_id STRING,\n"
         "  srcaddr STRING,\n"
         "  dstaddr STRING,\n"
         "  srcport INT,\n"
         "  dstport INT,\n"
         "  protocol BIGINT,\n"
         "  packets BIGINT,\n"
         "  bytes BIGINT,\n"
         "  start BIGINT,\n"
         "  `end` BIGINT,\n"
         "  action STRING,\n"
         "  log_status STRING,\n"
         "  vpc_id STRING,\n"
         "  subnet_id STRING,\n"
         "  instance_id STRING,\n"
         "  tcp_flags INT,\n"
         "  type STRING,\n"
         "  pkt_srcaddr STRING,\n"
         "  pkt_dstaddr STRING,\n"
         "  az_id STRING,\n"
         "  sublocation_type STRING,\n"
         "  sublocation_id STRING,\n"
         "  pkt_src_aws_service STRING,\n"
         "  pkt_dst_aws_service STRING,\n"
         "  flow_direction STRING,\n"
         "  traffic_path INT\n"
         ")\n"
         "PARTITIONED BY (region STRING, day STRING)\n"
         "ROW FORMAT DELIMITED FIELDS TERMINATED BY ' '\n"
         "LOCATION 's3://<bucket>/AWSLogs/<account-id>/vpcflowlogs/'\n"
         "TBLPROPERTIES (\n"
         "  'skip.header.line.count' = '1',\n"
         "  'projection.enabled' = 'true',\n"
         "  'projection.region.type' = 'enum',\n"
         "  'projection.region.values' = "
         "'us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-central-1,ap-southeast-1,ap-northeast-1',\n"
         "  'projection.day.type' = 'date',\n"
         "  'projection.day.format' = 'yyyy/MM/dd',\n"
         "  'projection.day.range' = '2015/01/01,NOW',\n"
         "  'projection.day.interval' = '1',\n"
         "  'projection.day.interval.unit' = 'DAYS',\n"
         "  'storage.location.template' = 's3://<bucket>/AWSLogs/<account-id>/vpcflowlogs/${region}/${day}'\n"
         ");\n";
  return out;
}

// ---- CloudWatch Logs Insights ----

std::string Insights(const Selectors& s) {
  std::string out = "# CloudWatch Logs Insights, on the CloudTrail log group\n";
  std::vector<std::string> by;
  std::vector<std::string> tokens = IdentityTokens(s);
  if (!tokens.empty()) {
    const std::string re = "/" + TokenRegex(tokens) + "/";
    by.push_back("userIdentity.arn like " + re);
    by.push_back("userIdentity.principalId like " + re);
    by.push_back("userIdentity.accessKeyId like " + re);
  }
  if (!s.ips.empty()) by.push_back("sourceIPAddress in [" + QuotedList(s.ips) + "]");
  for (const std::string& role : s.roles) {
    by.push_back("userIdentity.sessionContext.sessionIssuer.userName = \"" + role + "\"");
  }
  const std::string any = "@message like /" + TokenRegex(s.AllTokens()) + "/";
  out +=
      "fields @timestamp, eventID, eventSource, eventName, awsRegion, sourceIPAddress, userAgent, "
      "errorCode,\n"
      "       userIdentity.type, userIdentity.arn, userIdentity.accessKeyId\n";
  out += "| filter " + any + "\n";
  out += "| fields (" + (by.empty() ? std::string("0") : Join(by, " or ")) + ") as by_instance\n";
  out += "| sort @timestamp asc\n";
  out += "| limit 10000\n";
  const std::string flow_match = [&] {
    std::vector<std::string> parts;
    if (!s.ips.empty()) {
      const std::string ips = "[" + QuotedList(s.ips) + "]";
      parts.push_back("srcAddr in " + ips);
      parts.push_back("dstAddr in " + ips);
    }
    if (!s.enis.empty()) parts.push_back("interfaceId in [" + QuotedList(s.enis) + "]");
    return Join(parts, " or ");
  }();
  if (flow_match.empty()) return out;
  out += "\n# CloudWatch Logs Insights, on the VPC flow log group (default format)\n";
  out += "filter logStatus = \"OK\" and (" + flow_match + ")\n";
  out +=
      "| stats sum(bytes) as bytes, sum(packets) as packets, count(*) as flows, min(start) as first, "
      "max(end) as last by srcAddr, dstAddr, dstPort, protocol, action\n";
  out += "| sort bytes desc\n";
  return out;
}

// ---- Splunk ----

std::string SplunkTime(const Selectors& s) {
  std::string out;
  if (s.since) out += " earliest=" + std::to_string(Epoch(*s.since));
  if (s.until) out += " latest=" + std::to_string(Epoch(*s.until) + 1);
  return out;
}

std::string Spl(const Selectors& s) {
  std::string out = "``` cordon hunt: CloudTrail (Splunk Add-on for AWS, sourcetype aws:cloudtrail) ```\n";
  std::vector<std::string> terms;
  for (const std::string& t : s.AllTokens()) terms.push_back("\"" + t + "\"");
  out += "sourcetype=\"aws:cloudtrail\"" + SplunkTime(s) + " (" + Join(terms, " OR ") + ")\n";
  const std::string re = TokenRegex(s.AllTokens());
  std::vector<std::string> by;
  std::vector<std::string> tokens = IdentityTokens(s);
  if (!tokens.empty()) {
    const std::string id_re = TokenRegex(tokens);
    by.push_back("match('userIdentity.arn', \"" + id_re + "\")");
    by.push_back("match('userIdentity.principalId', \"" + id_re + "\")");
    by.push_back("match('userIdentity.accessKeyId', \"" + id_re + "\")");
  }
  for (const std::string& ip : s.ips) by.push_back("sourceIPAddress=\"" + ip + "\"");
  for (const std::string& role : s.roles)
    by.push_back("'userIdentity.sessionContext.sessionIssuer.userName'=\"" + role + "\"");
  out += "| eval relation=if(" + (by.empty() ? std::string("false()") : Join(by, " OR ")) +
         ", \"by\", \"on\")\n";
  out += "| where relation=\"by\" OR match(requestParameters, \"" + re + "\") OR match(responseElements, \"" +
         re + "\") OR match('resources{}.ARN', \"" + re + "\")\n";
  out += "| sort 0 _time\n";
  out +=
      "| table _time, relation, eventID, eventSource, eventName, awsRegion, sourceIPAddress, userAgent, "
      "errorCode, "
      "userIdentity.arn, userIdentity.accessKeyId\n";
  std::vector<std::string> flow;
  if (!s.ips.empty()) {
    flow.push_back("src_ip IN (" + QuotedList(s.ips) + ")");
    flow.push_back("dest_ip IN (" + QuotedList(s.ips) + ")");
  }
  if (!s.enis.empty()) flow.push_back("interface_id IN (" + QuotedList(s.enis) + ")");
  if (flow.empty()) return out;
  out += "\n``` cordon hunt: VPC flow logs (sourcetype aws:cloudwatchlogs:vpcflow) ```\n";
  out += "sourcetype=\"aws:cloudwatchlogs:vpcflow\"" + SplunkTime(s) + " (" + Join(flow, " OR ") + ")\n";
  if (!s.ips.empty()) {
    out += "| eval direction=case(in(src_ip, " + QuotedList(s.ips) + "), \"egress\", in(dest_ip, " +
           QuotedList(s.ips) + "), \"ingress\", true(), \"unknown\")\n";
    out +=
        "| eval peer=case(direction=\"egress\", dest_ip, direction=\"ingress\", src_ip, true(), "
        "src_ip.\"->\".dest_ip)\n";
  } else {
    out += "| eval direction=\"unknown\", peer=src_ip.\"->\".dest_ip\n";
  }
  out +=
      "| stats sum(bytes) as bytes, sum(packets) as packets, count as flows, min(start_time) as first, "
      "max(end_time) as last by peer, dest_port, protocol, direction, action\n";
  out += "| sort 0 -bytes\n";
  return out;
}

// ---- OpenSearch ----

std::string OpenSearch(const Selectors& s) {
  Json should = Json::array();
  std::vector<std::string> tokens = IdentityTokens(s);
  for (const std::string& t : tokens) {
    for (const char* field : {"userIdentity.arn", "userIdentity.principalId", "userIdentity.accessKeyId"}) {
      should.push_back({{"match_phrase", {{field, t}}}});
    }
  }
  if (!s.ips.empty()) should.push_back({{"terms", {{"sourceIPAddress", s.ips}}}});
  for (const std::string& role : s.roles) {
    should.push_back({{"term", {{"userIdentity.sessionContext.sessionIssuer.userName", role}}}});
  }
  for (const std::string& t : s.AllTokens()) {
    for (const char* field : {"requestParameters", "responseElements", "resources.ARN"}) {
      should.push_back({{"match_phrase", {{field, t}}}});
    }
  }
  Json filter = Json::array();
  if (s.since || s.until) {
    Json range = Json::object();
    if (s.since) range["gte"] = FormatIso8601(*s.since);
    if (s.until) range["lte"] = FormatIso8601(*s.until);
    filter.push_back({{"range", {{"eventTime", range}}}});
  }
  Json query{{"size", 10000},
             {"sort", Json::array({{{"eventTime", "asc"}}})},
             {"query", {{"bool", {{"filter", filter}, {"should", should}, {"minimum_should_match", 1}}}}}};
  std::string out =
      "// OpenSearch query DSL for a CloudTrail index (fields as in the records); POST <index>/_search\n";
  out += query.dump(2) + "\n";
  Json flow_should = Json::array();
  if (!s.ips.empty()) {
    for (const char* field : {"srcaddr", "dstaddr", "pkt_srcaddr", "pkt_dstaddr"}) {
      flow_should.push_back({{"terms", {{field, s.ips}}}});
    }
  }
  if (!s.enis.empty()) flow_should.push_back({{"terms", {{"interface_id", s.enis}}}});
  if (!s.instances.empty()) flow_should.push_back({{"terms", {{"instance_id", s.instances}}}});
  if (flow_should.empty()) return out;
  Json flow_filter = Json::array({{{"term", {{"log_status", "OK"}}}}});
  if (s.since) flow_filter.push_back({{"range", {{"end", {{"gte", Epoch(*s.since)}}}}}});
  if (s.until) flow_filter.push_back({{"range", {{"start", {{"lte", Epoch(*s.until)}}}}}});
  Json flow{
      {"size", 0},
      {"query", {{"bool", {{"filter", flow_filter}, {"should", flow_should}, {"minimum_should_match", 1}}}}},
      {"aggs",
       {{"flows",
         {{"multi_terms",
           {{"terms", Json::array({{{"field", "srcaddr"}},
                                   {{"field", "dstaddr"}},
                                   {{"field", "dstport"}},
                                   {{"field", "protocol"}},
                                   {{"field", "action"}}})},
            {"size", 10000},
            {"order", {{"bytes", "desc"}}}}},
          {"aggs",
           {{"bytes", {{"sum", {{"field", "bytes"}}}}},
            {"packets", {{"sum", {{"field", "packets"}}}}},
            {"first", {{"min", {{"field", "start"}}}}},
            {"last", {{"max", {{"field", "end"}}}}}}}}}}}};
  out +=
      "\n// OpenSearch query DSL for a VPC flow log index (fields named as in the flow log header, '-' -> "
      "'_')\n";
  out += flow.dump(2) + "\n";
  return out;
}

}  // namespace

std::string AthenaCloudTrailSelection(const Selectors& s) {
  std::string out;
  if (!s.empty()) {
    const std::string by = AthenaByCondition(s);
    out += "\n  AND (" + (by.empty() ? "" : by + "\n      OR ") + AthenaOnCondition(s) + ")";
  }
  return out + AthenaTimeFilter(s, "\"timestamp\"", "eventtime");
}

Result<std::string> EmitQueries(std::string_view target, const Selectors& selectors) {
  if (target == "athena-ddl") return AthenaDdl();
  if (selectors.empty()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "--emit " + std::string(target) + " needs at least one selector");
  }
  if (target == "athena") return Athena(selectors);
  if (target == "insights") return Insights(selectors);
  if (target == "spl") return Spl(selectors);
  if (target == "opensearch") return OpenSearch(selectors);
  return MakeError(ErrorKind::kInvalidArgument, "unknown --emit target '" + std::string(target) +
                                                    "' (athena, athena-ddl, insights, spl or opensearch)");
}

}  // namespace cordon::hunt
