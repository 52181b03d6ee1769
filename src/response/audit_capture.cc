#include "response/audit_capture.h"

namespace cordon::response {
namespace {
thread_local AuditScope* current_scope = nullptr;
}

void InstallAuditHook(aws::Client& client) {
  client.SetAuditHook([](const aws::AuditRecord& record) {
    if (current_scope != nullptr) current_scope->Add(record);
  });
}

AuditScope::AuditScope(evidence::CaseStore* store, std::string target, std::string step)
    : store_(store), target_(std::move(target)), step_(std::move(step)), outer_(current_scope) {
  current_scope = this;
}

AuditScope::~AuditScope() { current_scope = outer_; }

Json AuditRecordJson(const aws::AuditRecord& r) {
  Json j = {{"service", r.service},   {"operation", r.operation},
            {"region", r.region},     {"request_id", r.request_id},
            {"outcome", r.outcome},   {"http_status", r.http_status},
            {"attempts", r.attempts}, {"duration_ms", r.duration.count()}};
  if (!r.retried.empty()) j["retried"] = r.retried;
  if (!r.effect_found_after.empty()) j["effect_found_after"] = r.effect_found_after;
  return j;
}

void AuditScope::Add(const aws::AuditRecord& record) {
  records_.push_back(record);
  // Safe to drop: the hook has no caller to tell, and it need not. A failure is sticky: the
  // journal refuses the step's outcome record next (the step fails) and the engine starts nothing
  // more, and this aws.call is named among the journal's lost records.
  if (store_ != nullptr)
    (void)store_->journal().Append(evidence::kind::kAwsCall, target_, step_, AuditRecordJson(record));
}

Json AuditScope::RecordsJson() const {
  Json out = Json::array();
  for (const aws::AuditRecord& r : records_) {
    Json j = {
        {"operation", r.service + ":" + r.operation}, {"request_id", r.request_id}, {"outcome", r.outcome}};
    if (r.attempts > 1) j["attempts"] = r.attempts;
    if (!r.retried.empty()) j["retried"] = r.retried;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace cordon::response
