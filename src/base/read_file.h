// Reading a small local file whole (a config file, a token file, a Sigma rule), with errors that name
// the file: never a FIFO (which would wait for a writer forever) or a device (`/dev/zero` never ends).
#pragma once

#include <cstddef>
#include <string>

#include "base/error.h"

namespace cordon {

// The file's contents. kNotFound when it does not exist; kIo for any other failure (permissions, a
// folder, a FIFO, a device, a read error). Links are followed (dotfiles often are links); what they
// lead to must be a regular file. At most `max_bytes` are accepted (kIo beyond that). Messages name
// `path`, never the contents.
Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes = 16 << 20);

}  // namespace cordon
