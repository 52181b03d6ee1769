// The smallest step: observes nothing and changes nothing. Copy this file to write a new step.
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

class NoopStep : public Step {
 public:
  explicit NoopStep(std::string_view name) : name_(name) {}
  std::string_view name() const override { return name_; }

 protected:
  Result<Json> Observe(StepContext&) override { return Json::object(); }
  bool IsDone(StepContext& ctx, const Json&) override {
    return ctx.journal_state == evidence::StepState::kDone;
  }
  Result<Json> DoApply(StepContext&, const Json&) override { return Json::object(); }

 private:
  std::string name_;
};

}  // namespace

std::unique_ptr<Step> MakeNoopStep(std::string_view name) { return std::make_unique<NoopStep>(name); }

}  // namespace cordon::response
