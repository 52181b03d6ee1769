// A hunt's results (`cordon hunt --case`, stored as evidence) as timeline entries.
#include <algorithm>

#include "base/time.h"
#include "report/report_parts.h"

namespace cordon::report::detail {

std::string NormalTime(std::string_view text) {
  const auto t = ParseTimestamp(text);
  return t ? FormatIso8601(*t) : std::string(text);
}

namespace {

const Json& List(const Json& doc, std::string_view section, std::string_view name) {
  static const Json kEmpty = Json::array();
  const Json* at = &doc;
  if (!section.empty()) {
    if (!doc.is_object() || !doc.contains(section)) return kEmpty;
    at = &doc[std::string(section)];
  }
  if (!at->is_object() || !at->contains(name) || !(*at)[std::string(name)].is_array()) return kEmpty;
  return (*at)[std::string(name)];
}

TimelineEntry EventEntry(const Json& e, const std::string& relation) {
  std::string source = Str(e, "eventSource");
  if (auto dot = source.find('.'); dot != std::string::npos) source.resize(dot);
  const Json identity = e.is_object() ? e.value("identity", Json::object()) : Json::object();
  std::string who = Str(identity, "arn").empty() ? Str(identity, "type") : Str(identity, "arn");
  std::string detail = relation + " the instance, from " + Str(e, "sourceIPAddress");
  if (!Str(e, "errorCode").empty()) detail += ", error " + Str(e, "errorCode");
  if (!Str(e, "eventID").empty()) detail += ", event " + Str(e, "eventID");
  return {Str(e, "eventTime"), "cloudtrail", source + ":" + Str(e, "eventName"), who, "", detail, 0};
}

std::string Number(const Json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].dump() : "-";
}

TimelineEntry FlowEntry(const Json& a) {
  std::string peer = Str(a, "peer") + (Number(a, "port") == "-" ? "" : ":" + Number(a, "port"));
  return {Str(a, "first"),
          "flow",
          "flow peak " + peer,
          Str(a, "direction"),
          "",
          Number(a, "bytes") + " bytes, " + Number(a, "packets") + " packets in " + Number(a, "flows") +
              " flow(s), " + Str(a, "action") + ", until " + Str(a, "last"),
          0};
}

TimelineEntry FindingEntry(const Json& f) {
  std::string detail = Str(f, "title");
  if (f.is_object() && f.contains("severity") && f["severity"].is_number())
    detail += " (severity " + f["severity"].dump() + ")";
  return {Str(f, "time"), "finding", Str(f, "source") + ": " + Str(f, "type"), Str(f, "resource"), "",
          detail,         0};
}

// The flow aggregates that moved the most bytes: a timeline of every aggregate would drown the rest.
constexpr size_t kFlowPeaks = 10;

}  // namespace

std::vector<TimelineEntry> HuntEntries(const Json& hunt, size_t cap, size_t* left_out) {
  std::vector<TimelineEntry> out;
  auto add = [&](TimelineEntry e) {
    if (out.size() < cap)
      out.push_back(std::move(e));
    else
      ++*left_out;
  };
  for (const Json& e : List(hunt, "cloudtrail", "by")) add(EventEntry(e, "by"));
  for (const Json& e : List(hunt, "cloudtrail", "on")) add(EventEntry(e, "on"));
  std::vector<const Json*> flows;
  for (const Json& a : List(hunt, "flows", "aggregates")) flows.push_back(&a);
  const auto bytes = [](const Json* a) { return Int(*a, "bytes"); };
  std::stable_sort(flows.begin(), flows.end(),
                   [&](const Json* a, const Json* b) { return bytes(a) > bytes(b); });
  for (size_t i = 0; i < flows.size() && i < kFlowPeaks; ++i) add(FlowEntry(*flows[i]));
  for (const Json& f : List(hunt, "", "findings")) add(FindingEntry(f));
  return out;
}

}  // namespace cordon::report::detail
