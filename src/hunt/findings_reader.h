// Reads GuardDuty findings and AWS Config configuration items, keeping those that mention a selector.
#pragma once

#include <memory>
#include <string_view>

#include "hunt/results.h"
#include "hunt/selectors.h"

namespace cordon::hunt {

// GuardDuty findings in every shape they are exported in: a finding object (camelCase, as in EventBridge
// `detail` and S3 exports), the GetFindings API response {"Findings":[...]} (PascalCase), an EventBridge
// event {"detail-type":"GuardDuty Finding", "detail":{...}}, or a JSON array / JSON Lines of any of these.
// A finding is kept when a selector is a delimited token anywhere in its JSON text (the resource's
// instance details, the action's remote IP, the access key...). Files with no selector are not parsed.
// Invalid JSON is reported in results->skipped. Not thread-safe: one reader per worker.
class GuardDutyReader {
 public:
  explicit GuardDutyReader(const Selectors& selectors);
  ~GuardDutyReader();
  // `text` must stay readable for kReadPadding bytes past its end.
  void Scan(std::string_view file, std::string_view text, HuntResults* results);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// AWS Config configuration items: the SNS notification envelope (the notification as a JSON string in
// "Message"), a ConfigurationItemChangeNotification {"configurationItem":..., "configurationItemDiff":...},
// a configuration history or snapshot file / GetResourceConfigHistory response {"configurationItems":[...]},
// or a bare configuration item; arrays and JSON Lines of these too. An item is kept when a selector is a
// delimited token anywhere in it (its configuration, relationships, supplementary configuration).
class ConfigReader {
 public:
  explicit ConfigReader(const Selectors& selectors);
  ~ConfigReader();
  void Scan(std::string_view file, std::string_view text, HuntResults* results);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cordon::hunt
