// A read-only view of one embedded botocore service model: operations, shapes, paginators, waiters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/json.h"

namespace cordon::aws {

// Loaded lazily from the embedded JSON on first use and kept for the life of the process.
// Instances are immutable after construction and safe to share between threads.
class ServiceModel {
 public:
  // The model for a botocore service name ("ec2", "elbv2", "logs"...). Unknown names give
  // kInvalidArgument with the closest known names.
  static Result<const ServiceModel*> Get(std::string_view service);
  static std::vector<std::string> ServiceNames();

  const std::string& name() const { return name_; }
  const std::string& api_version() const { return api_version_; }
  const Json& metadata() const { return model_["metadata"]; }
  std::string protocol() const { return metadata().value("protocol", ""); }
  std::string endpoint_prefix() const { return metadata().value("endpointPrefix", name_); }
  std::string signing_name() const { return metadata().value("signingName", endpoint_prefix()); }
  std::string service_id() const { return metadata().value("serviceId", name_); }
  bool global_endpoint() const { return !metadata().value("globalEndpoint", "").empty(); }

  // The operation's model, or kInvalidArgument naming the closest operations.
  Result<const Json*> Operation(std::string_view name) const;
  std::vector<std::string> OperationNames() const;

  // The named shape. Names come from the model itself, so a missing one is a model bug.
  const Json& Shape(const std::string& name) const;
  // Shape referenced by a member/target reference ({"shape": "X", ...}).
  const Json& Resolve(const Json& ref) const { return Shape(ref.at("shape").get<std::string>()); }

  const Json* Paginator(std::string_view operation) const;  // nullptr when the operation has none
  const Json* Waiter(std::string_view name) const;
  std::vector<std::string> WaiterNames() const;

 private:
  ServiceModel() = default;
  std::string name_, api_version_;
  Json model_, paginators_, waiters_;
};

}  // namespace cordon::aws
