#include "cli/case_note_command.h"

#include <cstdio>
#include <memory>

#include "base/terminal_text.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "evidence/journal.h"
#include "evidence/journal_format.h"

namespace cordon::cli {

namespace {
constexpr size_t kMaxNote = 16 * 1024;  // a note is a paragraph, not a file: attach files as evidence
}  // namespace

CommandBody SetupCaseNote(CLI::App& app) {
  app.description("Add an observation to the case's journal (hash-chained, with who and when) and report.");
  struct Flags {
    std::string text, target;
  };
  auto f = std::make_shared<Flags>();
  app.add_option("text", f->text, "the note")->required();
  app.add_option("--target", f->target, "the instance it is about (default: the case as a whole)");
  return {[f](const CommandContext& ctx) {
            auto store = ctx.OpenCase("case note");
            if (!store) return ReportError(store.error());
            auto seq =
                (*store)->journal().Append(evidence::kind::kNote, f->target, "",
                                           Json{{"text", f->text}, {"responder", ctx.case_flags.responder}});
            if (!seq) return ReportError(seq.error());
            std::printf("note %lld added to case %s\n", static_cast<long long>(*seq),
                        ctx.case_flags.id.c_str());
            return kExitOk;
          },
          [f]() -> Status {
            if (f->text.empty() || f->text.size() > kMaxNote)
              return MakeError(ErrorKind::kInvalidArgument,
                               "a note is 1 to 16384 bytes of text; attach a file as "
                               "evidence instead");
            if (NeutralizeControls(f->text) != f->text)
              return MakeError(ErrorKind::kInvalidArgument,
                               "the note holds control characters; write it as plain text");
            return Ok();
          }};
}

}  // namespace cordon::cli
