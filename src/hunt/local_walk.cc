#include "hunt/local_walk.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <utility>

#include "hunt/date_layout.h"

namespace cordon::hunt {
namespace {

using FileId = std::pair<dev_t, ino_t>;

struct Walk {
  const ListOptions& options;
  std::vector<ObjectInfo>* out;
  std::map<FileId, std::string> seen;  // folders and files already taken, and the path they were taken by
  std::vector<FileId> ancestors;       // the folders from the root down to the current one

  void NotRead(const std::string& path, std::string reason) { out->push_back({path, 0, std::move(reason)}); }

  bool IsAncestor(const FileId& id) const {
    for (const FileId& a : ancestors) {
      if (a == id) return true;
    }
    return false;
  }

  void Entry(const std::string& path, bool is_link) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      const int err = errno;
      if (!is_link) return NotRead(path, std::string("cannot be read: ") + std::strerror(err));
      char target[4096];
      const ssize_t n = ::readlink(path.c_str(), target, sizeof(target) - 1);
      const std::string to = n > 0 ? " to " + std::string(target, static_cast<size_t>(n)) : "";
      if (err == ELOOP) return NotRead(path, "link loop: the link" + to + " never reaches a file");
      return NotRead(path, "broken link" + to + ": " + std::strerror(err));
    }
    const FileId id{st.st_dev, st.st_ino};
    if (S_ISDIR(st.st_mode)) {
      if (!MayHoldWindow(path, options.since, options.until)) return;
      if (IsAncestor(id))
        return NotRead(path, "link loop: leads back to " + seen[id] + " (not walked again)");
      if (auto it = seen.find(id); it != seen.end())
        return NotRead(path, "folder already walked as " + it->second + " (not walked again)");
      seen.emplace(id, path);
      Folder(path, id);
      return;
    }
    if (std::string reason = NotReadReason(st.st_mode); !reason.empty()) return NotRead(path, reason);
    if (!WantedName(path, options) || !MayHoldWindow(path, options.since, options.until)) return;
    if (auto it = seen.find(id); it != seen.end())
      return NotRead(path, "same file as " + it->second + " (read once)");
    seen.emplace(id, path);
    out->push_back({path, static_cast<uint64_t>(st.st_size), ""});
  }

  void Folder(const std::string& path, const FileId& id) {
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), ::closedir);
    if (!dir) return NotRead(path, std::string("folder cannot be read: ") + std::strerror(errno));
    ancestors.push_back(id);
    const std::string prefix = path.ends_with('/') ? path : path + "/";
    while (const dirent* e = ::readdir(dir.get())) {
      const std::string name = e->d_name;
      if (name.starts_with(".")) continue;  // ".", "..", and hidden entries
      const std::string child = prefix + name;
      struct stat lst {};
      if (::lstat(child.c_str(), &lst) != 0) {
        NotRead(child, std::string("cannot be read: ") + std::strerror(errno));
        continue;
      }
      Entry(child, S_ISLNK(lst.st_mode));
    }
    ancestors.pop_back();
  }
};

}  // namespace

std::string NotReadReason(unsigned int mode) {
  if (S_ISREG(mode) || S_ISDIR(mode)) return "";
  if (S_ISFIFO(mode)) return "FIFO (named pipe): not opened, reading it could block";
  if (S_ISSOCK(mode)) return "socket: not a file";
  if (S_ISCHR(mode)) return "character device: not a file";
  if (S_ISBLK(mode)) return "block device: not a file";
  return "not a regular file";
}

Status WalkLocalFolder(const std::string& root, const ListOptions& options, std::vector<ObjectInfo>* out) {
  struct stat st {};
  if (::stat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return MakeError(ErrorKind::kInvalidArgument, root + ": not a folder");
  std::unique_ptr<DIR, int (*)(DIR*)> probe(::opendir(root.c_str()), ::closedir);
  if (!probe) return MakeError(ErrorKind::kIo, root + ": " + std::strerror(errno));
  probe.reset();
  Walk walk{options, out, {}, {}};
  const FileId id{st.st_dev, st.st_ino};
  walk.seen.emplace(id, root);
  walk.Folder(root, id);
  return Ok();
}

}  // namespace cordon::hunt
