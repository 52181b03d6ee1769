// Where case folders live: --cases-dir, else $CORDON_CASES_DIR, else ./cordon-cases.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace cordon::cli {

std::filesystem::path CasesDir(const std::optional<std::string>& flag);

}  // namespace cordon::cli
