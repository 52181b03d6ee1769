#include "hunt/output.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <ostream>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "base/terminal_text.h"
#include "hunt/dump_writer.h"
#include "hunt/sessions.h"
#include "hunt/sigma_output.h"

namespace cordon::hunt {
namespace {

constexpr size_t kTopTalkers = 10;

std::string EpochToIso(int64_t seconds) { return FormatIso8601(TimePoint(std::chrono::seconds(seconds))); }

Json OrNull(int value) { return value < 0 ? Json(nullptr) : Json(value); }
Json TimeOrNull(int64_t seconds, bool valid) { return valid ? Json(EpochToIso(seconds)) : Json(nullptr); }
Json StringOrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json SessionToJson(const SessionUse& s) {
  return Json{{"session", s.session_arn},
              {"instance", s.instance},
              {"sourceIPAddress", s.source_ip},
              {"first", s.first},
              {"last", s.last},
              {"events", s.events},
              {"own_ip", s.own_ip},
              {"issued_by_ec2", s.issued_by_ec2},
              {"vpcEndpointAccountId", StringOrNull(s.vpc_endpoint_account)},
              {"assumed_from", StringOrNull(s.assumed_from)}};
}

// How a session is tied to the instance, for the text output.
std::string AttributionText(const SessionUse& s) {
  if (!s.assumed_from.empty()) return "assumed from " + s.assumed_from;
  return s.issued_by_ec2 ? "issued by EC2" : "NOT PROVEN to be the instance's: no ec2RoleDelivery";
}

struct SortedAggregate {
  uint64_t bytes;  // a copy of agg->bytes: sorting compares it without a cache miss into the map's nodes
  const FlowKey* key;
  const FlowAggregate* agg;
};

std::vector<SortedAggregate> SortedAggregates(const HuntResults& r) {
  std::vector<SortedAggregate> out;
  out.reserve(r.flows.size());
  for (const auto& [key, agg] : r.flows) out.push_back({agg.bytes, &key, &agg});
  // Most bytes first; ties in key order, so the output does not depend on the hash map's order.
  std::sort(out.begin(), out.end(), [](const SortedAggregate& a, const SortedAggregate& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : *a.key < *b.key;
  });
  return out;
}

Json AggregateToJson(const FlowKey& k, const FlowAggregate& a) {
  return Json{{"peer", k.peer},
              {"port", OrNull(k.port)},
              {"protocol", OrNull(k.protocol)},
              {"direction", k.direction},
              {"action", k.action},
              {"bytes", a.bytes},
              {"packets", a.packets},
              {"flows", a.flows},
              {"first", TimeOrNull(a.first, a.first != INT64_MAX)},
              {"last", TimeOrNull(a.last, a.last != INT64_MIN)}};
}

struct Talker {
  std::string peer;
  uint64_t bytes = 0, packets = 0, flows = 0;
};

std::vector<Talker> TopTalkers(const HuntResults& r) {
  // Totals hashed by a view of the aggregates' own peer strings, and only the top few sorted and copied
  // out: a flow hunt can have hundreds of thousands of peers.
  struct Totals {
    uint64_t bytes = 0, packets = 0, flows = 0;
  };
  std::unordered_map<std::string_view, Totals> by_peer;
  by_peer.reserve(r.flows.size());
  for (const auto& [key, agg] : r.flows) {
    Totals& t = by_peer[key.peer];
    t.bytes += agg.bytes;
    t.packets += agg.packets;
    t.flows += agg.flows;
  }
  std::vector<std::pair<std::string_view, Totals>> all(by_peer.begin(), by_peer.end());
  const size_t top = std::min(all.size(), kTopTalkers);
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(top), all.end(),
                    [](const auto& a, const auto& b) {
                      return a.second.bytes != b.second.bytes ? a.second.bytes > b.second.bytes
                                                              : a.first < b.first;
                    });
  std::vector<Talker> out;
  for (size_t i = 0; i < top; ++i)
    out.push_back(
        {std::string(all[i].first), all[i].second.bytes, all[i].second.packets, all[i].second.flows});
  return out;
}

Json FindingToJson(const Finding& f) {
  Json j{{"source", f.kind},         {"id", f.id},     {"type", f.type},
         {"title", f.title},         {"time", f.time}, {"resource", f.resource},
         {"selectors", f.selectors}, {"file", f.file}};
  if (f.kind == "guardduty") j["severity"] = f.severity;
  if (!f.details.empty()) j["changed"] = f.details;
  return j;
}

Json SkippedToJson(const Skipped& s) {
  return Json{{"file", s.file}, {"unit", s.unit}, {"count", s.count}, {"reason", s.reason}};
}

uint64_t SkippedCount(const HuntResults& r, std::string_view unit) {
  uint64_t n = 0;
  for (const Skipped& s : r.skipped) n += s.unit == unit ? s.count : 0;
  return n;
}

Json SummaryToJson(const HuntResults& r, size_t by, size_t on, size_t exfil) {
  return Json{{"complete", !r.AnythingSkipped()},
              {"objects", r.objects},
              {"objects_skipped", r.objects_skipped},
              {"records_skipped", SkippedCount(r, "record")},
              {"lines_skipped", SkippedCount(r, "line")},
              {"bytes_read", r.bytes_read},
              {"bytes_scanned", r.bytes_scanned},
              {"candidate_records", r.candidate_records},
              {"events_by", by},
              {"events_on", on},
              {"exfiltration", exfil},
              {"flow_records", r.flow_matched_records},
              {"flow_aggregates", r.flows.size()},
              {"findings", r.findings.size()}};
}

Json SelectorsToJson(const Selectors& s) {
  return Json{{"instances", s.instances},
              {"ips", s.ips},
              {"enis", s.enis},
              {"roles", s.roles},
              {"access_keys", s.access_keys},
              {"since", s.since ? Json(FormatIso8601(*s.since)) : Json(nullptr)},
              {"until", s.until ? Json(FormatIso8601(*s.until)) : Json(nullptr)}};
}

// ---- CSV ----

// A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or CR before one) gets a leading
// apostrophe, as OWASP's "CSV Injection" advice says: a log field an attacker wrote (a user agent, a
// finding title) must not become =HYPERLINK(...) in the responder's spreadsheet.
std::string CsvField(std::string_view v) {
  const bool formula = !v.empty() && std::string_view("=+-@\t\r").find(v.front()) != std::string_view::npos;
  if (!formula && v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = formula ? "\"'" : "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

constexpr const char* kCsvColumns[] = {"kind",         "time",      "last",      "relation", "event_name",
                                       "event_source", "identity",  "source_ip", "peer",     "port",
                                       "protocol",     "direction", "action",    "bytes",    "packets",
                                       "flows",        "id",        "detail",    "file"};

void CsvRow(std::ostream& out, std::map<std::string, std::string> row) {
  bool first = true;
  for (const char* column : kCsvColumns) {
    if (!first) out << ',';
    first = false;
    out << CsvField(row[column]);
  }
  out << "\r\n";
}

std::string NumberOrEmpty(int v) { return v < 0 ? "" : std::to_string(v); }

void WriteCsv(const HuntResults& r, const Selectors& selectors, std::ostream& out) {
  bool first = true;
  for (const char* column : kCsvColumns) {
    out << (first ? "" : ",") << column;
    first = false;
  }
  out << "\r\n";
  for (const CloudTrailEvent& e : r.events) {
    std::string hits;
    for (const SelectorHit& h : e.hits) hits += (hits.empty() ? "" : " ") + h.selector + "@" + h.field;
    CsvRow(out, {{"kind", "event"},
                 {"time", e.event_time},
                 {"relation", e.by ? "by" : "on"},
                 {"event_name", e.event_name},
                 {"event_source", e.event_source},
                 {"identity", e.identity_arn.empty() ? e.identity_type : e.identity_arn},
                 {"source_ip", e.source_ip},
                 {"id", e.event_id},
                 {"detail", hits},
                 {"file", e.file}});
  }
  for (const SessionUse& s : Exfiltration(InstanceSessions(r, selectors), selectors)) {
    CsvRow(out, {{"kind", "exfiltration"},
                 {"time", s.first},
                 {"last", s.last},
                 {"identity", s.session_arn},
                 {"source_ip", s.source_ip},
                 {"flows", std::to_string(s.events)},
                 {"id", s.instance}});
  }
  for (const SortedAggregate& a : SortedAggregates(r)) {
    CsvRow(out, {{"kind", "flow"},
                 {"time", a.agg->first != INT64_MAX ? EpochToIso(a.agg->first) : ""},
                 {"last", a.agg->last != INT64_MIN ? EpochToIso(a.agg->last) : ""},
                 {"peer", a.key->peer},
                 {"port", NumberOrEmpty(a.key->port)},
                 {"protocol", NumberOrEmpty(a.key->protocol)},
                 {"direction", a.key->direction},
                 {"action", a.key->action},
                 {"bytes", std::to_string(a.agg->bytes)},
                 {"packets", std::to_string(a.agg->packets)},
                 {"flows", std::to_string(a.agg->flows)}});
  }
  for (const Finding& f : r.findings) {
    std::string selectors_hit;
    for (const std::string& s : f.selectors) selectors_hit += (selectors_hit.empty() ? "" : " ") + s;
    CsvRow(out, {{"kind", f.kind},
                 {"time", f.time},
                 {"event_name", f.type},
                 {"id", f.id},
                 {"identity", f.resource},
                 {"detail", f.title + (selectors_hit.empty() ? "" : " [" + selectors_hit + "]")},
                 {"file", f.file}});
  }
  for (auto& row : SigmaCsvRows(r)) CsvRow(out, std::move(row));
  for (const Skipped& s : r.skipped) {
    CsvRow(out, {{"kind", "skipped"},
                 {"detail", s.reason},
                 {"flows", std::to_string(s.count)},
                 {"relation", s.unit},
                 {"file", s.file}});
  }
}

// ---- text ----
// Every value from the logs goes through OneLine (base/terminal_text.h): a newline in a CloudTrail field or
// a file name would otherwise start a line of its own, a fake event or "no findings". Flow-log fields are
// space-separated tokens and cannot hold one.

std::string Human(uint64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

void TextEvent(std::ostream& out, const CloudTrailEvent& e) {
  std::string source = e.event_source;
  if (auto dot = source.find('.'); dot != std::string::npos) source = source.substr(0, dot);
  out << "  " << OneLine(e.event_time) << "  " << OneLine(source) << ":" << OneLine(e.event_name);
  if (!e.error_code.empty()) out << " [" << OneLine(e.error_code) << "]";
  out << "  from " << (e.source_ip.empty() ? "-" : OneLine(e.source_ip)) << "  by "
      << OneLine(IdentityText(e));
  out << "  (";
  for (size_t i = 0; i < e.hits.size(); ++i)
    out << (i ? ", " : "") << OneLine(e.hits[i].selector) << " in " << e.hits[i].field;
  out << ")  " << OneLine(e.event_id);
  if (!e.assumed_from.empty()) out << "  (a role assumed by " << OneLine(e.assumed_from) << ")";
  out << "\n";
}

void WriteText(const HuntResults& r, const Selectors& selectors, std::ostream& out) {
  const std::vector<SessionUse> sessions = InstanceSessions(r, selectors);
  const std::vector<SessionUse> exfil = Exfiltration(sessions, selectors);
  size_t by = 0;
  for (const CloudTrailEvent& e : r.events) by += e.by ? 1 : 0;
  const size_t on = r.events.size() - by;

  for (const SessionUse& s : exfil) {
    out << "!! CREDENTIAL EXFILTRATION: " << OneLine(s.session_arn) << " used from " << OneLine(s.source_ip)
        << (s.vpc_endpoint_account.empty()
                ? ""
                : " through a VPC endpoint of account " + OneLine(s.vpc_endpoint_account))
        << ", not one of the instance's addresses: " << s.events << " event(s), first " << OneLine(s.first)
        << ", last " << OneLine(s.last)
        << (s.assumed_from.empty() ? "" : " (" + OneLine(AttributionText(s)) + ")") << "\n";
  }
  const std::vector<SessionUse> unproven = UnprovenSessions(sessions);
  for (const SessionUse& s : unproven) {
    out << "?? " << OneLine(s.session_arn) << " is named after " << OneLine(s.instance)
        << ", but no record shows EC2 issued it (no sessionContext.ec2RoleDelivery): not attributed to the "
           "instance; whoever assumed the role chose that name. Used from "
        << OneLine(s.source_ip) << ": " << s.events << " event(s)\n";
  }
  if (!exfil.empty() || !unproven.empty()) out << "\n";
  out << "CloudTrail: " << by << " event(s) by the instance or its credentials, " << on << " on it\n";
  if (by > 0) {
    out << "\nBy the instance or its credentials:\n";
    for (const CloudTrailEvent& e : r.events) {
      if (e.by) TextEvent(out, e);
    }
  }
  if (on > 0) {
    out << "\nOn the instance:\n";
    for (const CloudTrailEvent& e : r.events) {
      if (!e.by) TextEvent(out, e);
    }
  }
  if (!sessions.empty()) {
    out << "\nInstance role sessions:\n";
    for (const SessionUse& s : sessions) {
      out << "  " << OneLine(s.session_arn) << " from " << OneLine(s.source_ip)
          << (s.own_ip ? " (own address)" : "") << ": " << s.events << " event(s), " << OneLine(s.first)
          << " .. " << OneLine(s.last) << "; " << OneLine(AttributionText(s)) << "\n";
    }
  }
  out << "\nFlow logs: " << r.flow_matched_records << " matching record(s) in " << r.flows.size()
      << " aggregate(s)";
  if (r.flow_nodata_records > 0) out << ", " << r.flow_nodata_records << " NODATA/SKIPDATA record(s)";
  out << "\n";
  if (!r.flows.empty()) {
    // fmt, not snprintf: one line per aggregate, and there can be hundreds of thousands.
    constexpr std::string_view kRow = "  {:<8} {:<6} {:<39} {:>6} {:>5} {:>14} {:>10} {:>7}  {:<20}  {}\n";
    fmt::memory_buffer line;
    fmt::format_to(fmt::appender(line), kRow, "DIR", "ACTION", "PEER", "PORT", "PROTO", "BYTES", "PACKETS",
                   "FLOWS", "FIRST", "LAST");
    for (const SortedAggregate& a : SortedAggregates(r)) {
      fmt::format_to(fmt::appender(line), kRow, a.key->direction, a.key->action, a.key->peer,
                     NumberOrEmpty(a.key->port), NumberOrEmpty(a.key->protocol), a.agg->bytes, a.agg->packets,
                     a.agg->flows, a.agg->first != INT64_MAX ? EpochToIso(a.agg->first) : "-",
                     a.agg->last != INT64_MIN ? EpochToIso(a.agg->last) : "-");
      if (line.size() > 1 << 16) {
        out.write(line.data(), static_cast<std::streamsize>(line.size()));
        line.clear();
      }
    }
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    out << "\nTop talkers:\n";
    for (const Talker& t : TopTalkers(r)) {
      out << "  " << t.peer << "  " << Human(t.bytes) << " in " << t.flows << " flow(s)\n";
    }
    uint64_t rejected = 0;
    for (const auto& [key, agg] : r.flows) rejected += key.action == "REJECT" ? agg.flows : 0;
    out << "Rejected attempts: " << rejected << " flow record(s)\n";
  }
  if (!r.findings.empty()) {
    out << "\nFindings and configuration changes:\n";
    for (const Finding& f : r.findings) {
      out << "  " << OneLine(f.time) << "  " << f.kind << "  " << OneLine(f.type) << "  " << OneLine(f.title);
      if (f.kind == "guardduty") out << "  severity " << f.severity;
      if (!f.resource.empty()) out << "  " << OneLine(f.resource);
      if (!f.details.empty()) {
        out << "  changed:";
        for (const std::string& d : f.details) out << " " << OneLine(d);
      }
      out << "\n";
    }
  }
  if (r.sigma.enabled) WriteSigmaText(r, out);
  for (const Warning& w : r.warnings) out << "\nwarning: " << OneLine(w.file) << ": " << OneLine(w.message);
  if (!r.warnings.empty()) out << "\n";
  if (!r.skipped.empty()) {
    out << "\nSkipped (not read):\n";
    for (const Skipped& s : r.skipped) {
      out << "  " << OneLine(s.file) << ": " << s.count << " " << s.unit << (s.count == 1 ? "" : "s") << ": "
          << OneLine(s.reason) << "\n";
    }
  }
  out << "\nScanned " << r.objects << " object(s), " << Human(r.bytes_read) << " read, "
      << Human(r.bytes_scanned) << " after decompression; " << r.candidate_records
      << " candidate record(s) parsed."
      << (r.AnythingSkipped() ? " INCOMPLETE: some input was skipped (see above)." : "") << "\n";
}

}  // namespace

Json EventToJson(const CloudTrailEvent& e) {
  Json hits = Json::array();
  for (const SelectorHit& h : e.hits) hits.push_back({{"selector", h.selector}, {"field", h.field}});
  Json event{{"eventID", e.event_id},
             {"eventTime", e.event_time},
             {"eventSource", e.event_source},
             {"eventName", e.event_name},
             {"awsRegion", e.aws_region},
             {"sourceIPAddress", e.source_ip},
             {"userAgent", e.user_agent},
             {"errorCode", StringOrNull(e.error_code)},
             {"identity",
              {{"type", e.identity_type},
               {"arn", StringOrNull(e.identity_arn)},
               {"principalId", StringOrNull(e.principal_id)},
               {"accessKeyId", StringOrNull(e.access_key_id)}}},
             {"resources", e.resources},
             {"matched", hits},
             {"file", e.file}};
  if (!e.assumed_from.empty()) event["assumed_from"] = e.assumed_from;
  return event;
}

std::string IdentityText(const CloudTrailEvent& e) { return IdentityText(e.identity_arn, e.identity_type); }

std::string IdentityText(std::string_view arn, std::string_view type) {
  if (!arn.empty()) return std::string(arn);
  return type.empty() ? "-" : std::string(type);
}

Result<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "text") return OutputFormat::kText;
  if (name == "json") return OutputFormat::kJson;
  if (name == "jsonl") return OutputFormat::kJsonl;
  if (name == "csv") return OutputFormat::kCsv;
  return MakeError(ErrorKind::kInvalidArgument,
                   "unknown output format '" + std::string(name) + "' (text, json, jsonl or csv)");
}

int ExitStatus(const HuntResults& results) {
  return results.AnythingSkipped() ? kExitIncomplete : kExitComplete;
}

namespace {

// The output's JSON text. Invalid UTF-8 (a log line or file name may hold any bytes) becomes U+FFFD
// instead of an exception that would abort the hunt after the scan; DumpWriter does the same.
std::string DumpText(const Json& j, int indent) {
  return j.dump(indent, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

// Writes `out`'s contents to `stream` once it holds a batch (64 KB), so the text of a long list is never
// held whole.
void FlushBatch(fmt::memory_buffer& out, std::ostream& stream, bool force = false) {
  if (!force && out.size() < (1 << 16)) return;
  stream.write(out.data(), static_cast<std::streamsize>(out.size()));
  out.clear();
}

// The flow aggregates written straight to `stream`, exactly as dump(2) writes AggregateToJson's objects
// at `indent`: a flow hunt can have hundreds of thousands of them, and building a JSON object per
// aggregate (twice, for "rejected"), or the whole array as one string, cost more time and memory than
// the scan's own work on them.
void WriteAggregatesArray(const std::vector<SortedAggregate>& aggregates, bool rejected_only, int indent,
                          std::ostream& stream) {
  fmt::memory_buffer out;
  DumpWriter w(&out, indent);
  auto time_or_null = [&](int64_t t, bool valid) {
    if (!valid) {
      w.Null();
      return;
    }
    char iso[kIso8601Size];
    w.String(std::string_view(iso, WriteIso8601(TimePoint(std::chrono::seconds(t)), iso)));
  };
  auto number_or_null = [&](int v) { v < 0 ? w.Null() : w.Number(v); };
  w.BeginArray();
  for (size_t i = 0; i < aggregates.size(); ++i) {
    // The nodes are scattered over the heap in hash order, not in this one: ask for a later one early.
    constexpr size_t kAhead = 8;
    if (i + kAhead < aggregates.size()) {
      __builtin_prefetch(aggregates[i + kAhead].key);
      __builtin_prefetch(aggregates[i + kAhead].agg);
    }
    const FlowKey& k = *aggregates[i].key;
    const FlowAggregate& a = *aggregates[i].agg;
    if (rejected_only && k.action != "REJECT") continue;
    w.BeginObject();
    w.Key("peer").String(k.peer);
    w.Key("port");
    number_or_null(k.port);
    w.Key("protocol");
    number_or_null(k.protocol);
    w.Key("direction").String(k.direction);
    w.Key("action").String(k.action);
    w.Key("bytes").Number(a.bytes);
    w.Key("packets").Number(a.packets);
    w.Key("flows").Number(a.flows);
    w.Key("first");
    time_or_null(a.first, a.first != INT64_MAX);
    w.Key("last");
    time_or_null(a.last, a.last != INT64_MIN);
    w.EndObject();
    FlushBatch(out, stream);
  }
  w.EndArray();
  FlushBatch(out, stream, true);
}

// One event as dump(2) writes EventToJson's object.
void WriteEvent(DumpWriter& w, const CloudTrailEvent& e) {
  w.BeginObject();
  w.Key("eventID").String(e.event_id);
  w.Key("eventTime").String(e.event_time);
  w.Key("eventSource").String(e.event_source);
  w.Key("eventName").String(e.event_name);
  w.Key("awsRegion").String(e.aws_region);
  w.Key("sourceIPAddress").String(e.source_ip);
  w.Key("userAgent").String(e.user_agent);
  w.Key("errorCode").StringOrNull(e.error_code);
  w.Key("identity").BeginObject();
  w.Key("type").String(e.identity_type);
  w.Key("arn").StringOrNull(e.identity_arn);
  w.Key("principalId").StringOrNull(e.principal_id);
  w.Key("accessKeyId").StringOrNull(e.access_key_id);
  w.EndObject();
  w.Key("resources").BeginArray();
  for (const std::string& arn : e.resources) w.String(arn);
  w.EndArray();
  w.Key("matched").BeginArray();
  for (const SelectorHit& h : e.hits) {
    w.BeginObject();
    w.Key("selector").String(h.selector);
    w.Key("field").String(h.field);
    w.EndObject();
  }
  w.EndArray();
  w.Key("file").String(e.file);
  if (!e.assumed_from.empty()) w.Key("assumed_from").String(e.assumed_from);
  w.EndObject();
}

// The events of one relation ("by" when `by`), written as dump(2) writes EventToJson's objects at
// `indent`: the same reason as for the aggregates, with thousands of events.
void WriteEventsArray(const std::vector<CloudTrailEvent>& events, bool by, int indent, std::ostream& stream) {
  fmt::memory_buffer out;
  DumpWriter w(&out, indent);
  w.BeginArray();
  for (const CloudTrailEvent& e : events) {
    if (e.by != by) continue;
    WriteEvent(w, e);
    FlushBatch(out, stream);
  }
  w.EndArray();
  FlushBatch(out, stream, true);
}

// The Sigma matches, written as dump(2) writes SigmaMatchToJson's objects at `indent`: over the whole
// trail a rule can match tens of thousands of events, and building their document took a third of the
// time of the scan itself (bench/README.md, "hunt --sigma").
void WriteSigmaMatchesArray(const std::vector<SigmaMatch>& matches, int indent, std::ostream& stream) {
  fmt::memory_buffer out;
  DumpWriter w(&out, indent);
  w.BeginArray();
  for (const SigmaMatch& m : matches) {
    w.BeginObject();
    w.Key("rule").BeginObject();
    w.Key("id").String(m.rule->id);
    w.Key("title").String(m.rule->title);
    w.Key("level").String(m.rule->level);
    w.Key("author").String(m.rule->author);
    w.Key("falsepositives").BeginArray();
    for (const std::string& f : m.rule->falsepositives) w.String(f);
    w.EndArray();
    w.Key("file").String(m.rule->file);
    w.EndObject();
    w.Key("event");
    WriteEvent(w, m.event.Expand());
    w.EndObject();
    FlushBatch(out, stream);
  }
  w.EndArray();
  FlushBatch(out, stream, true);
}

// The long lists are dumped as this placeholder and then written in its place. The placeholder is found
// by its whole member, `"by": "@cordon:list@"`: text that no string value can hold, since dump escapes
// every quote inside a string, and a selector, a session or a flow peer may well hold the bare placeholder.
constexpr std::string_view kListPlaceholder = "@cordon:list@";

// fmt, not "\"" + std::string(key) + ...: GCC 12 at -O3 flags that operator+(const char*, string&&)
// with a -Wrestrict false positive (GCC bug 105329), a 30-line template trace in a Release build.
std::string PlaceholderMember(std::string_view key) {
  return fmt::format("\"{}\": \"{}\"", key, kListPlaceholder);
}

// The document; with long_lists false, the event lists "by" and "on", the flow lists "aggregates" and
// "rejected" and the Sigma "matches" are left empty (WriteResultsJson writes them directly).
Json BuildResultsJson(const HuntResults& r, const Selectors& selectors, bool long_lists) {
  Json by = Json::array(), on = Json::array();
  size_t by_count = 0;
  for (const CloudTrailEvent& e : r.events) by_count += e.by ? 1 : 0;
  const size_t on_count = r.events.size() - by_count;
  if (long_lists)
    for (const CloudTrailEvent& e : r.events) (e.by ? by : on).push_back(EventToJson(e));
  const std::vector<SessionUse> sessions = InstanceSessions(r, selectors);
  const std::vector<SessionUse> exfil = Exfiltration(sessions, selectors);
  Json sessions_json = Json::array(), exfil_json = Json::array();
  for (const SessionUse& s : sessions) sessions_json.push_back(SessionToJson(s));
  for (const SessionUse& s : exfil) exfil_json.push_back(SessionToJson(s));
  Json unproven_json = Json::array();
  for (const SessionUse& s : UnprovenSessions(sessions)) unproven_json.push_back(SessionToJson(s));

  Json aggregates = Json::array(), talkers = Json::array(), rejected = Json::array();
  if (long_lists)
    for (const SortedAggregate& a : SortedAggregates(r)) {
      aggregates.push_back(AggregateToJson(*a.key, *a.agg));
      if (a.key->action == "REJECT") rejected.push_back(AggregateToJson(*a.key, *a.agg));
    }
  for (const Talker& t : TopTalkers(r)) {
    talkers.push_back({{"peer", t.peer}, {"bytes", t.bytes}, {"packets", t.packets}, {"flows", t.flows}});
  }
  Json findings = Json::array(), skipped = Json::array(), warnings = Json::array();
  for (const Finding& f : r.findings) findings.push_back(FindingToJson(f));
  for (const Skipped& s : r.skipped) skipped.push_back(SkippedToJson(s));
  for (const Warning& w : r.warnings) warnings.push_back({{"file", w.file}, {"message", w.message}});
  const size_t exfil_count = exfil_json.size();
  // The skeleton first, with every list empty, and the lists moved into their places after: Json objects
  // keep their members in a vector whose elements are copied, not moved, when it grows, so a document
  // built around its lists deep-copied thousands of events several times over.
  Json doc{{"selectors", SelectorsToJson(selectors)},
           {"cloudtrail",
            {{"by", Json::array()},
             {"on", Json::array()},
             {"sessions", Json::array()},
             {"exfiltration", Json::array()},
             {"unproven_sessions", Json::array()}}},
           {"flows",
            {{"matched_records", r.flow_matched_records},
             {"nodata_records", r.flow_nodata_records},
             {"aggregates", Json::array()},
             {"top_talkers", Json::array()},
             {"rejected", Json::array()}}},
           {"findings", Json::array()},
           {"skipped", Json::array()},
           {"warnings", Json::array()},
           {"summary", SummaryToJson(r, by_count, on_count, exfil_count)}};
  Json& cloudtrail = doc["cloudtrail"];
  cloudtrail["by"] = std::move(by);
  cloudtrail["on"] = std::move(on);
  cloudtrail["sessions"] = std::move(sessions_json);
  cloudtrail["exfiltration"] = std::move(exfil_json);
  cloudtrail["unproven_sessions"] = std::move(unproven_json);
  Json& flows = doc["flows"];
  flows["aggregates"] = std::move(aggregates);
  flows["top_talkers"] = std::move(talkers);
  flows["rejected"] = std::move(rejected);
  doc["findings"] = std::move(findings);
  doc["skipped"] = std::move(skipped);
  doc["warnings"] = std::move(warnings);
  if (r.sigma.enabled) {
    doc["sigma"] = SigmaToJson(r, long_lists);
    doc["summary"]["sigma_matches"] = r.sigma_matches.size();
    doc["summary"]["sigma_correlations"] = r.sigma_correlations.size();
  }
  return doc;
}

}  // namespace

Json ResultsToJson(const HuntResults& r, const Selectors& selectors) {
  return BuildResultsJson(r, selectors, true);
}

void WriteResultsJson(const HuntResults& r, const Selectors& selectors, std::ostream& out) {
  Json doc = BuildResultsJson(r, selectors, /*long_lists=*/false);
  for (Json* list : {&doc["cloudtrail"]["by"], &doc["cloudtrail"]["on"], &doc["flows"]["aggregates"],
                     &doc["flows"]["rejected"]}) {
    *list = std::string(kListPlaceholder);
  }
  if (r.sigma.enabled) doc["sigma"]["matches"] = std::string(kListPlaceholder);
  const std::string text = DumpText(doc, 2);
  const std::vector<SortedAggregate> sorted = SortedAggregates(r);
  // The document around the lists, and the lists written in their places, in document order (Json keeps
  // insertion order). Each list is a member of "cloudtrail" or "flows", at indent 4, and no member that
  // comes before it in the document has its key; "matches" is a member of "sigma", after both.
  std::vector<std::pair<std::string_view, std::function<void()>>> lists = {
      {"by", [&] { WriteEventsArray(r.events, true, 4, out); }},
      {"on", [&] { WriteEventsArray(r.events, false, 4, out); }},
      {"aggregates", [&] { WriteAggregatesArray(sorted, false, 4, out); }},
      {"rejected", [&] { WriteAggregatesArray(sorted, true, 4, out); }},
  };
  if (r.sigma.enabled)
    lists.emplace_back("matches", [&] { WriteSigmaMatchesArray(r.sigma_matches, 4, out); });
  size_t from = 0;
  for (const auto& [key, write_list] : lists) {
    const std::string member = PlaceholderMember(key);
    const size_t at = text.find(member, from);
    const size_t value_at = at + member.size() - kListPlaceholder.size() - 2;  // the opening quote
    out.write(text.data() + from, static_cast<std::streamsize>(value_at - from));
    write_list();
    from = at + member.size();
  }
  out.write(text.data() + from, static_cast<std::streamsize>(text.size() - from));
}

std::string ResultsToJsonText(const HuntResults& r, const Selectors& selectors) {
  std::ostringstream out;
  WriteResultsJson(r, selectors, out);
  return std::move(out).str();
}

void WriteResults(const HuntResults& r, const Selectors& selectors, OutputFormat format, std::ostream& out) {
  switch (format) {
    case OutputFormat::kText: {
      // Text is for a terminal: file names, CloudTrail fields, finding and Sigma rule titles come from the
      // logs, so their control characters are neutralized (json/jsonl escape them; csv keeps the data).
      std::ostringstream text;
      WriteText(r, selectors, text);
      out << NeutralizeControls(text.str());
      return;
    }
    case OutputFormat::kCsv:
      WriteCsv(r, selectors, out);
      return;
    case OutputFormat::kJson:
      WriteResultsJson(r, selectors, out);
      out << "\n";
      return;
    case OutputFormat::kJsonl: {
      // One line per item, each with a "type"; the summary last. Events and flow aggregates are made one at
      // a time rather than held in the document: there can be hundreds of thousands.
      Json doc = BuildResultsJson(r, selectors, /*long_lists=*/false);
      auto emit = [&](const char* type, Json item) {
        Json line{{"type", type}};
        for (auto& [k, v] : item.items()) line[k] = std::move(v);
        out << DumpText(line, -1) << "\n";
      };
      for (const bool by : {true, false}) {
        for (const CloudTrailEvent& e : r.events) {
          if (e.by != by) continue;
          Json item{{"relation", by ? "by" : "on"}};
          item.update(EventToJson(e));
          emit("event", std::move(item));
        }
      }
      for (auto& s : doc["cloudtrail"]["exfiltration"]) emit("exfiltration", s);
      for (const SortedAggregate& a : SortedAggregates(r)) emit("flow", AggregateToJson(*a.key, *a.agg));
      for (auto& f : doc["findings"]) emit("finding", f);
      if (r.sigma.enabled) {
        for (const SigmaMatch& m : r.sigma_matches) emit("sigma", SigmaMatchToJson(m));
        for (const SigmaCorrelation& c : r.sigma_correlations) {
          Json item = SigmaCorrelationToJson(c);
          item["correlation_type"] = std::move(item["type"]);  // "type" is the line's own
          item.erase("type");
          emit("sigma_correlation", std::move(item));
        }
        for (auto& s : doc["sigma"]["coverage"]["skipped"]) emit("sigma_skipped", s);
      }
      for (auto& s : doc["skipped"]) emit("skipped", s);
      for (auto& w : doc["warnings"]) emit("warning", w);
      Json summary = doc["summary"];
      summary["flow_nodata_records"] = doc["flows"]["nodata_records"];
      emit("summary", summary);
      return;
    }
  }
}

}  // namespace cordon::hunt
