#include "cli/case_note_command.h"

#include <cstdio>
#include <memory>

#include "base/terminal_text.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/result_or_text.h"
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
    ResultFlags result;  // --output, --query: the note as journaled, for a ticket or a script
  };
  auto f = std::make_shared<Flags>();
  app.add_option("text", f->text, "the note")->required();
  app.add_option("--target", f->target, "the instance it is about (default: the case as a whole)");
  AddResultFlags(app, &f->result, "the note and its seq");
  return {[f](const CommandContext& ctx) {
            auto store = ctx.OpenCase("case note");
            if (!store) return ReportError(store.error());
            const Json note = {{"text", f->text}, {"responder", ctx.case_flags.responder}};
            auto seq = (*store)->journal().Append(evidence::kind::kNote, f->target, "", note);
            if (!seq) return ReportError(seq.error());
            Json result = note;
            result.update(Json{{"case", ctx.case_flags.id}, {"seq", *seq}, {"target", f->target}});
            return PrintResultOrText(result, f->result, [&] {
              std::printf("note %lld added to case %s\n", static_cast<long long>(*seq),
                          ctx.case_flags.id.c_str());
            });
          },
          [f]() -> Status {
            if (auto s = CheckResultFlags(f->result); !s) return s;
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
