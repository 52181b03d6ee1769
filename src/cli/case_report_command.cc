#include "cli/case_report_command.h"

#include <cstdio>
#include <fstream>

#include "base/hash.h"
#include "base/terminal_print.h"
#include "base/terminal_text.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "evidence/audit_kinds.h"
#include "evidence/case_store.h"
#include "report/case_report.h"

namespace cordon::cli {
namespace {

Status WriteAtomically(const std::filesystem::path& path, const std::string& bytes) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    file << bytes;
    if (!file.flush())
      return MakeError(ErrorKind::kIo, "cannot write " + tmp.string() +
                                           ": check the folder exists and is writable, or pass --out");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return MakeError(ErrorKind::kIo, "cannot write " + path.string() + ": " + ec.message());
  return Ok();
}

}  // namespace

int WriteCaseReport(const std::filesystem::path& dir, const std::string& format_name,
                    const std::string& out) {
  auto format = report::ParseReportFormat(format_name);
  if (!format) return ReportError(format.error());
  auto store = evidence::CaseStore::OpenExisting(dir);
  if (!store) return ReportError(store.error());
  const evidence::JournalHead head = [&] {
    auto records = (*store)->journal().Records();
    return records && !records->empty() ? evidence::JournalHead{records->back().seq, records->back().hash}
                                        : evidence::JournalHead{};
  }();
  auto rendered = report::RenderCaseReport(**store, *format);
  if (!rendered) return ReportError(rendered.error());
  // Markdown quotes the case's tags, notes and AWS messages as they are, and is read in a terminal or a
  // viewer; HTML and JSON escape every value themselves.
  const std::string bytes =
      *format == report::ReportFormat::kMarkdown ? NeutralizeControls(*rendered) : *rendered;
  const std::string ext(report::ReportFormatName(*format));
  const std::filesystem::path path = out.empty() ? dir / ("report." + ext) : std::filesystem::path(out);
  if (out == "-") {
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
  } else if (auto s = WriteAtomically(path, bytes); !s) {
    return ReportError(s.error());
  }
  const std::string sha256 = Sha256Hex(bytes);
  auto seq = (*store)->journal().Append(evidence::kind::kReportWritten, "", "",
                                        Json{{"format", ext},
                                             {"path", out == "-" ? "-" : path.string()},
                                             {"sha256", sha256},
                                             {"size", bytes.size()},
                                             {"head_seq", head.seq},
                                             {"head_hash", head.hash}});
  if (!seq)
    return ReportError(Error{ErrorKind::kIo,
                             "the report was written but its SHA-256 could not be "
                             "journaled: " +
                                 seq.error().message});
  if (out != "-") SafePrintf(stdout, "%s\n", path.string().c_str());
  PrintInfo("report SHA-256 " + sha256 + " recorded in the case journal (record " + std::to_string(*seq) +
            ")");
  return kExitOk;
}

}  // namespace cordon::cli
