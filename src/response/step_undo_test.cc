// Step::RunUndo hands DoUndo the recorded result, and an empty object when the step recorded none.
#include <gtest/gtest.h>

#include <string>

#include "evidence/test_util.h"
#include "response/step.h"

namespace cordon::response {
namespace {

// An undo that reads its result as every step does (Json::value, which throws on null).
class ReadsResultStep : public Step {
 public:
  std::string_view name() const override { return "reads-result"; }
  bool undoable() const override { return true; }
  Json seen;

 protected:
  Result<Json> Observe(StepContext&) override { return Json::object(); }
  bool IsDone(StepContext&, const Json&) override { return true; }
  Result<Json> DoApply(StepContext&, const Json&) override { return Json::object(); }
  Result<Json> DoUndo(StepContext&, const Json&, const Json& result) override {
    seen = result;
    return Json{{"groups", result.value("groups", Json::array())}};
  }
};

TEST(StepUndo, AStepDoneWithoutAResultIsUndoneWithAnEmptyOne) {
  evidence::test::ScratchDir dir;
  auto store = evidence::CaseStore::Open(dir.path() / "IR-U", evidence::CaseInfo{"tester", ""});
  ASSERT_TRUE(store) << store.error().message;
  ResponseOptions options;
  int instance = 0;  // one instance each: a second undo of one instance's step is already done
  for (const Json& done :
       {Json{{"before", Json::object()}}, Json{{"before", Json::object()}, {"result", nullptr}},
        Json{{"before", Json::object()}, {"result", {{"groups", {"sg-1"}}}}}}) {
    StepContext ctx;
    ctx.store = store->get();
    ctx.target.instance_id = "i-" + std::to_string(++instance);
    ctx.options = &options;
    ReadsResultStep step;
    StepReport r = step.RunUndo(ctx, done);
    EXPECT_EQ(r.status, StepStatus::kDone) << done.dump() << " " << r.error.message;
    EXPECT_TRUE(step.seen.is_object()) << done.dump();
    EXPECT_EQ(step.seen, done.value("result", Json()).is_object() ? done["result"] : Json::object());
  }
}

}  // namespace
}  // namespace cordon::response
