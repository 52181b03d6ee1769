// Reading small local files (config files, token files) whole, with errors that name the file.
#pragma once

#include <string>

#include "base/error.h"

namespace cordon::aws::detail {

// The file's contents. kNotFound when it does not exist; kIo for any other failure (permissions, a
// directory, a read error). At most `max_bytes` are accepted (kIo beyond that). Messages name `path`,
// never the contents.
Result<std::string> ReadWholeFile(const std::string& path, size_t max_bytes = 16 << 20);

}  // namespace cordon::aws::detail
