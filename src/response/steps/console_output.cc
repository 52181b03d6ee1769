// console-output: saves GetConsoleOutput (decoded from base64) as an evidence file with its SHA-256.
// The file name carries the first 12 hex digits of the hash, so a rerun that gets the same output
// finds it recorded, and later output is kept beside it, never over it.
#include <optional>

#include "base/encoding.h"
#include "base/hash.h"
#include "response/live_state.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

class ConsoleOutputStep : public Step {
 public:
  std::string_view name() const override { return "console-output"; }

 protected:
  Result<Json> Observe(StepContext&) override { return Json::object(); }
  bool IsDone(StepContext& ctx, const Json&) override {
    return ctx.journal_state == evidence::StepState::kDone;
  }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    auto out = ctx.Call("ec2", "GetConsoleOutput", Json{{"InstanceId", ctx.target.instance_id}});
    if (!out) return MakeError(out.error());
    std::string raw = Str(*out, "Output");
    std::optional<std::string> decoded = Base64Decode(raw);
    std::string bytes = decoded ? *decoded : raw;
    std::string sha = Sha256Hex(bytes);
    evidence::EvidenceItem about;
    about.target = ctx.target.instance_id;
    about.kind = evidence::EvidenceKind::kConsoleOutput;
    about.source = "ec2:GetConsoleOutput " + ctx.target.instance_id;
    about.collector = ctx.options->responder;
    about.step = "console-output";
    about.details = Json{{"timestamp", out->value("Timestamp", Json())}, {"empty", bytes.empty()}};
    auto item = ctx.store->evidence().StoreFile(
        "console-" + ctx.target.instance_id + "-" + sha.substr(0, 12) + ".txt", bytes, about);
    if (!item) return MakeError(item.error());
    ctx.detail = std::to_string(bytes.size()) + " bytes, sha256 " + sha.substr(0, 12);
    if (bytes.empty())
      ctx.notes.push_back("the console output was empty (the instance may not have written any yet)");
    return Json{{"location", item->location}, {"sha256", sha}, {"size", bytes.size()}};
  }
};

}  // namespace

std::unique_ptr<Step> MakeConsoleOutputStep() { return std::make_unique<ConsoleOutputStep>(); }

}  // namespace cordon::response
