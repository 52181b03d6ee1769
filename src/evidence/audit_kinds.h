// Journal record kinds for the auditor's view of a case: who ran cordon on it, from where, as which AWS
// identity, and which reports were written from it. Kept apart from journal_format.h (included almost
// everywhere) because only the writers below and the report read them. See ../../docs/case-format.md.
#pragma once

#include <string_view>

namespace cordon::evidence::kind {

// A process opened the case: {"command", "command_line", "version", "host", "pid", "responder",
// "account", "caller_arn", "user_id"} (the last three from STS GetCallerIdentity), or
// "identity_error" instead of them when the call failed, or "identity_note" when the command makes
// no AWS call. Written by response::RecordRunIdentity.
inline constexpr std::string_view kRunIdentity = "run.identity";

// `cordon case report` wrote a report: {"format", "path", "sha256", "size", "head_seq", "head_hash"};
// the head is the journal the report was rendered from (this record comes after it).
inline constexpr std::string_view kReportWritten = "report.written";

}  // namespace cordon::evidence::kind
