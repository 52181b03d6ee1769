// `cordon case report ID [--format html|md|json] [--out FILE]`: renders the case report from the case
// database and records the written report's SHA-256 in the journal (report.written).
#pragma once

#include <filesystem>
#include <string>

namespace cordon::cli {

// Writes the report of the case in `dir` to `out` (default <case>/report.<md|html|json>, replaced
// atomically: it is derived from the journal and can always be written again; "-" for stdout), prints
// where it is, and journals its SHA-256. Returns the process exit code.
int WriteCaseReport(const std::filesystem::path& dir, const std::string& format, const std::string& out);

}  // namespace cordon::cli
