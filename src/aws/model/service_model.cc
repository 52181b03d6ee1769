#include "aws/model/service_model.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>

#include "aws/model/embedded_models.h"
#include "base/strings.h"

namespace cordon::aws {

Result<const ServiceModel*> ServiceModel::Get(std::string_view service) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<ServiceModel>, std::less<>> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(service); it != cache.end()) return it->second.get();
  for (const EmbeddedService& e : EmbeddedServices()) {
    if (service != e.name) continue;
    std::unique_ptr<ServiceModel> m(new ServiceModel());
    m->name_ = e.name;
    m->api_version_ = e.api_version;
    m->model_ = Json::parse(std::string_view(e.model, e.model_size));
    m->paginators_ = Json::parse(std::string_view(e.paginators, e.paginators_size));
    m->waiters_ = Json::parse(std::string_view(e.waiters, e.waiters_size));
    const ServiceModel* raw = m.get();
    cache.emplace(std::string(service), std::move(m));
    return raw;
  }
  std::string message = "unknown service '" + std::string(service) + "'";
  auto near = ClosestMatches(service, ServiceNames());
  if (!near.empty()) message += "; did you mean '" + near[0] + "'?";
  message += " (cordon embeds: ";
  auto names = ServiceNames();
  for (size_t i = 0; i < names.size(); ++i) message += (i ? ", " : "") + names[i];
  return MakeError(ErrorKind::kInvalidArgument, message + ")");
}

std::vector<std::string> ServiceModel::ServiceNames() {
  std::vector<std::string> out;
  for (const EmbeddedService& e : EmbeddedServices()) out.emplace_back(e.name);
  return out;
}

Result<const Json*> ServiceModel::Operation(std::string_view name) const {
  const Json& ops = model_["operations"];
  if (auto it = ops.find(name); it != ops.end()) return &*it;
  std::string message = "unknown operation '" + std::string(name) + "' for service " + name_;
  auto near = ClosestMatches(name, OperationNames());
  // boto3's method name (describe_instances) or the wrong case: name the operation it means first.
  std::string folded;
  for (char c : name)
    if (c != '_' && c != '-') folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& op : OperationNames()) {
    if (ToLower(op) != folded) continue;
    std::erase(near, op);
    near.insert(near.begin(), op);
    break;
  }
  if (!near.empty()) {
    message += "; did you mean ";
    for (size_t i = 0; i < near.size(); ++i) message += (i ? ", " : "") + ("'" + near[i] + "'");
    message += "?";
  }
  return MakeError(ErrorKind::kInvalidArgument, message);
}

std::vector<std::string> ServiceModel::OperationNames() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : model_["operations"].items()) out.push_back(k);
  return out;
}

const Json& ServiceModel::Shape(const std::string& name) const { return model_["shapes"].at(name); }

const Json* ServiceModel::Paginator(std::string_view operation) const {
  const Json& p = paginators_["pagination"];
  auto it = p.find(operation);
  return it == p.end() ? nullptr : &*it;
}

const Json* ServiceModel::Waiter(std::string_view name) const {
  const Json& w = waiters_["waiters"];
  auto it = w.find(name);
  return it == w.end() ? nullptr : &*it;
}

std::vector<std::string> ServiceModel::WaiterNames() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : waiters_["waiters"].items()) out.push_back(k);
  return out;
}

}  // namespace cordon::aws
