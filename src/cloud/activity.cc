#include "cloud/activity.h"

#include <algorithm>
#include <set>

#include "base/json_fields.h"

namespace cordon::cloud {
namespace {

Json StrOrNull(const std::string& s) { return s.empty() ? Json() : Json(s); }

}  // namespace

std::vector<TrailEvent> ParseLookupEvents(const Json& out, const std::string& matched) {
  std::vector<TrailEvent> events;
  for (const Json& e : out.value("Events", Json::array())) {
    TrailEvent t;
    t.time = ScalarText(e, "EventTime");
    t.name = ScalarText(e, "EventName");
    t.source = ScalarText(e, "EventSource");
    t.username = ScalarText(e, "Username");
    t.event_id = ScalarText(e, "EventId");
    t.read_only = ScalarText(e, "ReadOnly") == "true";
    t.matched = matched;
    // The full record is a JSON string; a malformed one still leaves the summary fields.
    Json record = Json::parse(e.value("CloudTrailEvent", std::string("{}")), nullptr, false);
    if (record.is_object()) {
      t.source_ip = ScalarText(record, "sourceIPAddress");
      t.error_code = ScalarText(record, "errorCode");
    }
    events.push_back(std::move(t));
  }
  return events;
}

Activity CollectActivity(aws::Client& client, const ResolvedTarget& target, TimePoint since) {
  aws::CallOptions options{target.region, {}, false};
  Activity a;
  a.since = FormatIso8601(since);
  std::set<std::string> seen;
  for (const char* key : {"ResourceName", "Username"}) {
    Json input{{"LookupAttributes",
                Json::array({Json{{"AttributeKey", key}, {"AttributeValue", target.instance_id}}})},
               {"StartTime", a.since}};
    auto out = client.CallAll("cloudtrail", "LookupEvents", input, options);
    if (!out) {
      a.cloudtrail_error = out.error().ToString();
      break;
    }
    for (auto& e : ParseLookupEvents(*out, key == std::string("Username") ? "session" : "resource"))
      if (e.event_id.empty() || seen.insert(e.event_id).second) a.cloudtrail.push_back(std::move(e));
  }
  std::stable_sort(a.cloudtrail.begin(), a.cloudtrail.end(), [](const TrailEvent& x, const TrailEvent& y) {
    auto tx = ParseTimestamp(x.time), ty = ParseTimestamp(y.time);
    return tx && ty ? *tx > *ty : x.time > y.time;
  });

  auto recorders = client.Call("config", "DescribeConfigurationRecorders", Json::object(), options);
  if (!recorders) {
    a.config_error = recorders.error().ToString();
    return a;
  }
  a.config_recorder = !recorders->value("ConfigurationRecorders", Json::array()).empty();
  if (!a.config_recorder) return a;
  auto history = client.Call("config", "GetResourceConfigHistory",
                             Json{{"resourceType", "AWS::EC2::Instance"},
                                  {"resourceId", target.instance_id},
                                  {"earlierTime", a.since},
                                  {"limit", 50}},
                             options);
  if (!history) {
    a.config_error = history.error().ToString();
    return a;
  }
  for (const Json& item : history->value("configurationItems", Json::array()))
    a.config.push_back({ScalarText(item, "configurationItemCaptureTime"),
                        ScalarText(item, "configurationItemStatus"),
                        ScalarText(item, "configurationStateId")});
  return a;
}

Json ToJson(const Activity& a) {
  Json j;
  j["since"] = a.since;
  if (!a.cloudtrail_error.empty()) {
    j["cloudtrail"] = Json{{"error", a.cloudtrail_error}};
  } else {
    Json events = Json::array();
    for (const auto& e : a.cloudtrail)
      events.push_back(Json{{"time", e.time},
                            {"name", e.name},
                            {"source", e.source},
                            {"username", StrOrNull(e.username)},
                            {"read_only", e.read_only},
                            {"source_ip", StrOrNull(e.source_ip)},
                            {"error_code", StrOrNull(e.error_code)},
                            {"event_id", e.event_id},
                            {"matched", e.matched}});
    j["cloudtrail"] = events;
  }
  if (!a.config_error.empty()) {
    j["config"] = Json{{"error", a.config_error}};
  } else if (!a.config_recorder) {
    j["config"] = Json{{"recorder", false}, {"items", Json::array()}};
  } else {
    Json items = Json::array();
    for (const auto& c : a.config)
      items.push_back(Json{{"capture_time", c.capture_time}, {"status", c.status}, {"state_id", c.state_id}});
    j["config"] = Json{{"recorder", true}, {"items", items}};
  }
  return j;
}

}  // namespace cordon::cloud
