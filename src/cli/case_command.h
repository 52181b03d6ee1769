// `cordon case list | show ID | verify ID`: look at and check case folders.
#pragma once

namespace cordon::cli {
int RunCase(int argc, char** argv);
}  // namespace cordon::cli
