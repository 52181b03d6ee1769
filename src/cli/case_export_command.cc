#include "cli/case_export_command.h"

#include <memory>

#include "cli/cases_root.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "evidence/locked_case.h"
#include "response/bucket/case_export.h"
#include "response/case_paths.h"

namespace cordon::cli {
namespace {

struct ExportFlags {
  std::string id, cases_dir, to, responder;
  bool allow_unlocked = false;
};

int Export(const CommandContext& ctx, const ExportFlags& f) {
  if (auto s = evidence::ValidateCaseId(f.id); !s) return ReportError(s.error());
  const std::string responder = response::DefaultResponder(f.responder);
  if (auto s = evidence::ValidateResponder(responder); !s) return ReportError(s.error());
  std::optional<response::BucketRef> to;
  if (!f.to.empty()) {
    auto parsed = response::ParseBucketUri(f.to, "--to");
    if (!parsed) return ReportError(parsed.error());
    to = *parsed;
  }
  auto root = CliCasesRoot(f.cases_dir);
  if (!root) return ReportError(root.error());
  auto client = ctx.Client();
  if (!client) return ReportError(client.error());
  evidence::LockHolder me;
  me.command = "case export";
  me.responder = responder;
  auto opened = evidence::OpenLockedCase(*root / f.id, me, std::chrono::seconds(0), nullptr);
  if (!opened) return ReportError(opened.error());
  evidence::CaseStore& store = *opened->store;
  if (!to) {
    auto recorded = response::CaseBucket(store);
    if (!recorded) return ReportError(recorded.error());
    if (!*recorded)
      return ReportError(Error{ErrorKind::kInvalidArgument,
                               "case " + f.id + " has no evidence bucket: give --to s3://BUCKET[/PREFIX]"});
    to = **recorded;
  }
  auto lock = response::RequireWriteOnce(**client, *to, f.allow_unlocked, "--to");
  if (!lock) return ReportError(lock.error());
  if (!lock->write_once())
    PrintWarning(to->Uri() + " is not write-once (" + lock->Describe() + "); exporting anyway");
  return ExportAndReport(**client, store, *to, responder);
}

}  // namespace

int ExportAndReport(aws::Client& client, evidence::CaseStore& store, const response::BucketRef& ref,
                    const std::string& responder) {
  auto report = response::ExportCase(client, store, ref, responder);
  if (!report) {
    ReportError(report.error());
    PrintInfo("case " + store.id() + " was not (completely) exported; rerun `cordon case export " +
              store.id() + "`");
    return ExitCodeFor(report.error());
  }
  size_t written = 0;
  for (const auto& [path, object] : report->objects) written += object.already ? 0 : 1;
  PrintInfo("case " + store.id() + " exported to s3://" + ref.bucket + "/" + ref.CaseKeyPrefix(store.id()) +
            ": " + std::to_string(report->objects.size()) + " files (" + std::to_string(written) +
            " written, the rest unchanged), each read back with a matching SHA-256");
  const response::Anchor& a = report->anchor;
  PrintInfo("journal anchor: seq " + std::to_string(a.head.seq) + " sha256 " + a.head.hash + " at " +
            a.Uri(ref) + (a.already ? " (already anchored)" : " (write-once)"));
  return kExitOk;
}

int FinishCaseRun(const CommandContext& ctx, int status) {
  evidence::CaseStore* store = ctx.opened_case();
  if (store == nullptr) return status;
  auto head = store->journal().Head();
  if (!head || head->seq == ctx.head_at_open()) return status;  // nothing was recorded: nothing to anchor
  auto bucket = response::CaseBucket(*store);
  if (!bucket || !*bucket) return status;
  // A command without AWS flags (case note) has no endpoint, region or profile to reach the bucket
  // with: its records stay local until the next export.
  if ((ctx.needs & needs::kAwsFlags) == 0) {
    PrintInfo("case " + store->id() + " changed locally; `cordon case export " + store->id() +
              "` copies it to its evidence bucket and anchors the journal");
    return status;
  }
  auto client = ctx.Client();
  if (!client) {
    ReportError(client.error());
    return status == kExitOk ? ExitCodeFor(client.error()) : status;
  }
  const int exported = ExportAndReport(**client, *store, **bucket, ctx.case_flags.responder);
  return status == kExitOk ? exported : status;
}

CommandBody SetupCaseExport(CLI::App& app) {
  app.description(
      "Copy the case (case.db, evidence files, report) to its evidence bucket or --to, each object with its\n"
      "SHA-256 checksum and read back, record it in the journal, and anchor the journal head there.");
  auto f = std::make_shared<ExportFlags>();
  app.add_option("id", f->id, "case id")->required();
  app.add_option("--to", f->to,
                 "s3://BUCKET[/PREFIX] (default: the case's evidence bucket); objects go to PREFIX/ID/");
  app.add_option("--cases-dir", f->cases_dir, kCasesDirHelp);
  app.add_option("--responder", f->responder, "who is exporting (default $USER)");
  app.add_flag("--allow-unlocked-bucket", f->allow_unlocked, "export to a bucket that is not write-once");
  return {[f](const CommandContext& ctx) { return Export(ctx, *f); }, {}};
}

}  // namespace cordon::cli
