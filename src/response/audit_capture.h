// Routes the AWS client's audit hook to the step running on the calling thread, so each step's
// journal outcome can list the request ids of exactly the calls it made, and every call is journaled
// as an aws.call record under its target and step.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "aws/client.h"
#include "evidence/case_store.h"

namespace cordon::response {

// Installs the routing hook on `client` (once per client; replaces any other hook). Calls made on a
// thread with no AuditScope are not journaled.
void InstallAuditHook(aws::Client& client);

// While alive, the calls made on this thread are collected and journaled as aws.call records with
// this target and step. Scopes nest: the innermost one collects.
class AuditScope {
 public:
  AuditScope(evidence::CaseStore* store, std::string target, std::string step);
  ~AuditScope();
  AuditScope(const AuditScope&) = delete;
  AuditScope& operator=(const AuditScope&) = delete;

  // The calls seen so far, in the order they finished.
  const std::vector<aws::AuditRecord>& records() const { return records_; }
  // The calls as a JSON array for a journal payload: [{"operation","request_id","outcome",...}].
  Json RecordsJson() const;

  // Called by the hook.
  void Add(const aws::AuditRecord& record);

 private:
  evidence::CaseStore* store_;
  std::string target_, step_;
  std::vector<aws::AuditRecord> records_;
  AuditScope* outer_;
};

Json AuditRecordJson(const aws::AuditRecord& record);

}  // namespace cordon::response
