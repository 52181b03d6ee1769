#include "cli/case_verify_command.h"

#include <charconv>
#include <cstdio>
#include <memory>

#include "base/terminal_print.h"
#include "base/terminal_text.h"
#include "cli/cases_root.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "evidence/case_store.h"
#include "response/bucket/case_export.h"

namespace cordon::cli {
namespace {

bool IsHash(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// "SEQ:SHA256" as verify prints the head (or "SHA256:SEQ"), into the anchor the chain must still hold.
Result<evidence::JournalHead> ParseAnchor(const std::string& text) {
  const size_t colon = text.find(':');
  std::string seq_text = colon == std::string::npos ? text : text.substr(0, colon);
  std::string hash = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (IsHash(seq_text)) std::swap(seq_text, hash);
  evidence::JournalHead head;
  head.hash = hash;
  auto [ptr, ec] = std::from_chars(seq_text.data(), seq_text.data() + seq_text.size(), head.seq);
  if (ec != std::errc() || ptr != seq_text.data() + seq_text.size() || head.seq < 1 || !IsHash(head.hash))
    return MakeError(
        ErrorKind::kInvalidArgument,
        "--anchor takes SEQ:SHA256 as `case verify` printed the head (e.g. 321:a39d8c...), not '" + text +
            "'");
  return head;
}

struct AnchorCheck {
  std::optional<evidence::JournalHead> latest;  // the one Journal::Verify checks the chain against
  std::string latest_name;                      // its URI, or "--anchor"
  std::vector<std::string> problems;            // older anchors the journal no longer holds
  size_t anchors = 0;
  std::string note;  // why there is no anchor to compare with
};

// The anchors in the bucket: the latest for the chain check, and each one checked against the
// records (a rebuilt journal can be longer than the one it replaces and anchor itself).
Result<AnchorCheck> BucketAnchors(const CommandContext& ctx, evidence::CaseStore& store,
                                  const response::BucketRef& ref) {
  AnchorCheck check;
  auto client = ctx.Client();
  if (!client) return MakeError(client.error());
  auto anchors = response::ListAnchors(**client, ref, store.id());
  if (!anchors) return MakeError(anchors.error());
  check.anchors = anchors->size();
  if (anchors->empty()) {
    check.note = "there is no journal anchor of case " + store.id() + " in s3://" + ref.bucket + "/" +
                 ref.CaseKeyPrefix(store.id()) + "anchors/";
    return check;
  }
  check.latest = anchors->back().head;
  check.latest_name = anchors->back().Uri(ref);
  auto records = store.journal().Records();
  if (!records) return MakeError(records.error());
  size_t held = 0;  // anchors the journal still holds
  for (const response::Anchor& a : *anchors) {
    const auto seq = static_cast<size_t>(a.head.seq);
    if (seq > records->size())
      check.problems.push_back("anchor " + a.Uri(ref) + ": the journal ends at seq " +
                               std::to_string(records->size()) + " but this anchor is seq " +
                               std::to_string(a.head.seq) +
                               " (records were removed, or the case was rolled back)");
    else if ((*records)[seq - 1].seq != a.head.seq || (*records)[seq - 1].hash != a.head.hash)
      check.problems.push_back("anchor " + a.Uri(ref) + ": record " + std::to_string(a.head.seq) +
                               " does not have this anchor's hash (the journal was rewritten or rebuilt)");
    else
      ++held;
  }
  // Not one head in common: this journal is not the one that was anchored, however valid its chain.
  if (held == 0)
    check.problems.push_back("the journal holds none of the " + std::to_string(anchors->size()) +
                             " anchor(s) of case " + store.id() + " in " + ref.Uri() + " (latest: " +
                             check.latest_name + "): the case was rebuilt from scratch or replaced");
  return check;
}

Result<AnchorCheck> ChooseAnchor(const CommandContext& ctx, evidence::CaseStore& store,
                                 const CaseVerifyFlags& f) {
  if (!f.anchor.empty()) {
    auto head = ParseAnchor(f.anchor);
    if (!head) return MakeError(head.error());
    AnchorCheck check;
    check.latest = *head;
    check.latest_name = "--anchor " + f.anchor;
    check.anchors = 1;
    return check;
  }
  std::optional<response::BucketRef> ref;
  if (!f.bucket.empty()) {
    auto parsed = response::ParseBucketUri(f.bucket, "--evidence-bucket");
    if (!parsed) return MakeError(parsed.error());
    ref = *parsed;
  } else {
    auto recorded = response::CaseBucket(store);
    if (!recorded) return MakeError(recorded.error());
    ref = *recorded;
  }
  if (!ref) {
    AnchorCheck none;
    none.note = "the case records no evidence bucket and none was given";
    return none;
  }
  return BucketAnchors(ctx, store, *ref);
}

// Said when the chain holds but nothing outside the case was compared with it: a chain is only
// internally consistent, and an older copy or a case rebuilt from scratch is consistent too.
void PrintUnanchored(const std::string& why) {
  SafePrintf(stdout,
             "NOT VERIFIED AGAINST AN ANCHOR: %s. The hash chain holds, but a rollback to an older copy of "
             "the case or a case rebuilt from scratch cannot be ruled out without an anchor kept outside it: "
             "give --evidence-bucket s3://BUCKET[/PREFIX] (the bucket the case was exported to) or --anchor "
             "SEQ:SHA256 (a head printed by an earlier run or verify)\n",
             why.c_str());
}

std::string OlderAnchors(const AnchorCheck& anchor) {
  return anchor.anchors > 1 ? ", and " + std::to_string(anchor.anchors - 1) + " older anchor(s)" : "";
}

Json ReportJson(const evidence::VerifyReport& report, const AnchorCheck& anchor) {
  const bool anchored = anchor.latest.has_value();
  Json out = {{"ok", report.ok() && anchored},
              {"chain_intact", report.ok()},
              {"anchored", anchored},
              {"records", report.records},
              {"head", {{"seq", report.head.seq}, {"hash", report.head.hash}}},
              {"first_bad_seq", report.first_bad_seq},
              {"reason", report.reason},
              {"problems", report.problems},
              {"anchors_checked", anchor.anchors}};
  if (anchored)
    out["anchor"] = {
        {"name", anchor.latest_name}, {"seq", anchor.latest->seq}, {"hash", anchor.latest->hash}};
  else
    out["not_anchored"] = anchor.note;
  return out;
}

void PrintText(const evidence::VerifyReport& report, const AnchorCheck& anchor, const std::string& id) {
  if (report.ok()) {
    SafePrintf(stdout, "case %s: journal intact (%lld records), pre-state and evidence consistent\n",
               id.c_str(), static_cast<long long>(report.records));
    if (anchor.latest)
      SafePrintf(stdout, "compared with anchor %s (seq %lld%s)\n", anchor.latest_name.c_str(),
                 static_cast<long long>(anchor.latest->seq), OlderAnchors(anchor).c_str());
    else
      PrintUnanchored(anchor.note);
    SafePrintf(stdout,
               "head: seq %lld sha256 %s (keep it outside the case: a later verify against it shows any "
               "rewrite)\n",
               static_cast<long long>(report.head.seq), report.head.hash.c_str());
    return;
  }
  SafePrintf(stdout, "case %s: TAMPERED OR DAMAGED", id.c_str());
  if (report.first_bad_seq)
    SafePrintf(stdout, " at record %lld: %s", static_cast<long long>(report.first_bad_seq),
               report.reason.c_str());
  if (anchor.latest)
    SafePrintf(stdout, "\ncompared with anchor %s (seq %lld)\n", anchor.latest_name.c_str(),
               static_cast<long long>(anchor.latest->seq));
  else
    SafePrintf(stdout, "\nno anchor to compare with: %s\n", anchor.note.c_str());
  for (const auto& p : report.problems) SafePrintf(stdout, "  - %s\n", OneLine(p).c_str());
}

}  // namespace

int RunCaseVerify(const CommandContext& ctx, const CaseVerifyFlags& f) {
  if (auto valid = evidence::ValidateCaseId(f.id); !valid) return ReportError(valid.error());
  if (auto s = CheckResultFlags(f.result); !s) return ReportError(s.error());
  auto root = CliCasesRoot(f.cases_dir);
  if (!root) return ReportError(root.error());
  auto store = evidence::CaseStore::OpenExisting(*root / f.id);
  if (!store) return ReportError(store.error());
  auto anchor = ChooseAnchor(ctx, **store, f);
  if (!anchor) return ReportError(anchor.error());
  auto report = (*store)->Verify(/*check_files=*/true, anchor->latest);
  if (!report) return ReportError(report.error());
  for (const std::string& p : anchor->problems) report->problems.push_back(p);
  if (int status = PrintResultOrText(ReportJson(*report, *anchor), f.result,
                                     [&] { PrintText(*report, *anchor, (*store)->id()); });
      status != kExitOk)
    return status;
  if (!report->ok()) return kExitFailed;
  return anchor->latest ? kExitOk : kExitPartial;  // intact, but not compared with anything outside
}

void AddCaseVerifyOptions(CLI::App& app, CaseVerifyFlags* f) {
  app.add_option("id", f->id, "case id")->required();
  app.add_option("--cases-dir", f->cases_dir, kCasesDirHelp);
  AddResultFlags(app, &f->result, "the check");
  app.add_option(
      "--anchor", f->anchor,
      "SEQ:SHA256, a head an earlier verify or run printed: the chain must still hold it (instead of "
      "the bucket's anchors)");
  app.add_option(
      "--evidence-bucket", f->bucket,
      "s3://BUCKET[/PREFIX] holding the case's anchors (default: the bucket the case records; give it "
      "when the case itself may have been replaced)");
}

CommandBody SetupCaseVerify(CLI::App& app) {
  app.description(
      "Check a case: the journal's hash chain, the pre-state and evidence against it, and the chain against\n"
      "the journal anchors in the case's evidence bucket (or --anchor), which a truncated, rolled-back or\n"
      "rebuilt journal no longer holds. With no anchor to compare with it does not call the case verified:\n"
      "it says so and exits 6.");
  auto f = std::make_shared<CaseVerifyFlags>();
  AddCaseVerifyOptions(app, f.get());
  return {[f](const CommandContext& ctx) { return RunCaseVerify(ctx, *f); }, {}};
}

}  // namespace cordon::cli
