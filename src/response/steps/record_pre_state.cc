// record-pre-state: writes the full pre-containment state once (rule 1). A rerun finds it
// recorded and never overwrites it.
#include "response/pre_state_collector.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

class RecordPreStateStep : public Step {
 public:
  std::string_view name() const override { return "record-pre-state"; }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    auto recorded = ctx.store->pre_state().PreState(ctx.target.instance_id);
    if (!recorded) return MakeError(recorded.error());
    if (recorded->has_value())
      return Json{{"recorded_seq", (*recorded)->seq}, {"sha256", (*recorded)->sha256}};
    return Json{{"recorded_seq", nullptr}};
  }
  bool IsDone(StepContext&, const Json& observed) override { return !observed["recorded_seq"].is_null(); }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    auto state = CollectPreState(ctx);
    if (!state) return MakeError(state.error());
    bool now = false;
    auto rec = ctx.store->pre_state().RecordPreState(ctx.target.instance_id, *state, &now);
    if (!rec) return MakeError(rec.error());
    ctx.detail = std::to_string(
                     (*state)["network_interfaces"].is_array() ? (*state)["network_interfaces"].size() : 0) +
                 " ENIs";
    return Json{{"recorded_seq", rec->seq}, {"sha256", rec->sha256}, {"recorded_now", now}};
  }
};

}  // namespace

std::unique_ptr<Step> MakeRecordPreStateStep() { return std::make_unique<RecordPreStateStep>(); }

}  // namespace cordon::response
