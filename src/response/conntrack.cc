#include "response/conntrack.h"

namespace cordon::response {
namespace {

struct Field {
  const char* name;
  int minimum;
  int default_value;
  const char* label;
};
constexpr Field kFields[] = {
    {"TcpEstablishedTimeout", 60, 432000, "TCP established"},
    {"UdpStreamTimeout", 60, 180, "UDP stream"},
    {"UdpTimeout", 30, 30, "UDP"},
};

int IntOr(const Json& j, const char* key, int fallback) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number_integer()) return fallback;
  return j[key].get<int>();
}

}  // namespace

Json MinimalConntrack() {
  Json out = Json::object();
  for (const Field& f : kFields) out[f.name] = f.minimum;
  return out;
}

Json ConntrackOf(const Json& eni) {
  if (!eni.is_object()) return nullptr;
  auto it = eni.find("ConnectionTrackingConfiguration");
  if (it == eni.end() || !it->is_object() || it->empty()) return nullptr;
  return *it;
}

Json EffectiveConntrack(const Json& recorded) {
  Json out = Json::object();
  for (const Field& f : kFields) out[f.name] = IntOr(recorded, f.name, f.default_value);
  return out;
}

bool DefaultsUsed(const Json& recorded) {
  for (const Field& f : kFields)
    if (IntOr(recorded, f.name, -1) < 0) return true;
  return false;
}

bool SameConntrack(const Json& live, const Json& effective) {
  for (const Field& f : kFields)
    if (IntOr(EffectiveConntrack(live), f.name, -1) != IntOr(effective, f.name, -2)) return false;
  return true;
}

std::string DescribeConntrack(const Json& config) {
  if (!config.is_object()) return "not set";
  std::string out;
  for (const Field& f : kFields) {
    int v = IntOr(config, f.name, -1);
    out += (out.empty() ? "" : ", ") + std::string(f.label) + " " +
           (v < 0 ? "default" : std::to_string(v) + " s");
  }
  return out;
}

Status SetConntrack(const StepContext& ctx, const std::string& eni_id, const Json& config) {
  auto r = ctx.Call("ec2", "ModifyNetworkInterfaceAttribute",
                    Json{{"NetworkInterfaceId", eni_id}, {"ConnectionTrackingSpecification", config}});
  if (!r) return MakeError(r.error());
  return Ok();
}

}  // namespace cordon::response
