// The recursive walk of a local log folder behind LocalSource: links followed, loops detected, and every
// entry that is not read named with its reason.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "hunt/source.h"

namespace cordon::hunt {

// Appends to *out every file under the folder `root` that `options` wants (names, date window), in no
// particular order. Symbolic links are followed, to folders and to files: logs are often reached
// through a link to another disk. Each folder and each file is read once, known by device and inode,
// so a link back to an ancestor (a loop) or a second path to the same file does not scan it twice.
// Entries found but not read get ObjectInfo::not_read, whatever their name: a FIFO (never opened: it
// would block), a socket, a device, another non-regular file, a broken link, a link loop, a folder
// already walked through another path, and a folder or file that cannot be read (permission). Hidden
// entries (".name") and folders outside the date window are passed over silently, as chosen.
// Fails only when `root` itself cannot be opened.
Status WalkLocalFolder(const std::string& root, const ListOptions& options, std::vector<ObjectInfo>* out);

// Why an entry of this st_mode (after following links) is not read as a log, or "" for a regular file
// or a folder.
std::string NotReadReason(unsigned int mode);

}  // namespace cordon::hunt
