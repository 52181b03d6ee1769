// The case lock: flock(LOCK_EX|LOCK_NB) on run.lock, the holder's identity as one JSON line in it.
#include "evidence/case_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "base/json.h"
#include "base/time.h"

namespace cordon::evidence {
namespace {

constexpr std::chrono::milliseconds kMinWait(100);
constexpr std::chrono::milliseconds kPoll(50);
// A holder writes its name just after taking the lock: five looks 20 ms apart give it 0.1 s to do so.
constexpr int kHolderReads = 5;
constexpr std::chrono::milliseconds kHolderReadPause(20);

tl::unexpected<Error> Errno(const std::string& what, const std::filesystem::path& path, int err) {
  return MakeError(ErrorKind::kIo, what + " " + path.string() + ": " + std::strerror(err));
}

std::string Hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

std::string ToLine(const LockHolder& h) {
  return Json{{"pid", h.pid},
              {"host", h.host},
              {"command", h.command},
              {"responder", h.responder},
              {"since", h.since}}
             .dump() +
         "\n";
}

// The holder in the file's first line; nullopt when it is empty or not (yet) a whole record.
std::optional<LockHolder> ReadHolder(int fd) {
  std::string text;
  char buf[4096];
  off_t off = 0;
  while (text.size() < 65536) {
    ssize_t n = pread(fd, buf, sizeof buf, off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
    off += n;
  }
  size_t nl = text.find('\n');
  if (nl == std::string::npos) return std::nullopt;
  Json j = Json::parse(text.substr(0, nl), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  LockHolder h;
  auto str = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : ""; };
  h.pid = j.contains("pid") && j["pid"].is_number_integer() ? j["pid"].get<int64_t>() : 0;
  h.host = str("host");
  h.command = str("command");
  h.responder = str("responder");
  h.since = str("since");
  return h;
}

// Opens run.lock without following a symlink; `create` makes it 0600 when missing.
Result<int> OpenLockFile(const std::filesystem::path& file, bool create) {
  int flags = O_RDWR | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT : 0);
  int fd;
  do {
    fd = ::open(file.c_str(), flags, 0600);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    int err = errno;
    if (!create && err == ENOENT) return MakeError(ErrorKind::kNotFound, "no " + file.string());
    if (err == ELOOP)
      return MakeError(ErrorKind::kIo, file.string() + " is a symlink; refusing to follow it");
    return Errno("opening", file, err);
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return MakeError(ErrorKind::kIo, file.string() + " is not a regular file");
  }
  return fd;
}

Status MakeCaseDir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (dir.has_parent_path()) std::filesystem::create_directories(dir.parent_path(), ec);
  if (ec) return MakeError(ErrorKind::kIo, "creating " + dir.parent_path().string() + ": " + ec.message());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return Errno("creating", dir, errno);
  return Ok();
}

int TryLock(int fd, int op) {
  int rc;
  do {
    rc = flock(fd, op | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  return rc == 0 ? 0 : errno;
}

}  // namespace

std::string DescribeHolder(const std::string& case_id, const LockHolder& h) {
  std::string out = "case " + case_id + " is in use by `" + (h.command.empty() ? "cordon" : h.command) +
                    "` (pid " + std::to_string(h.pid) + " on host " + (h.host.empty() ? "?" : h.host);
  if (!h.responder.empty()) out += ", responder " + h.responder;
  if (!h.since.empty()) out += ", since " + h.since;
  return out + "); wait for it or stop it";
}

Result<std::unique_ptr<CaseLock>> CaseLock::Acquire(const std::filesystem::path& case_dir,
                                                    const LockHolder& me, std::chrono::milliseconds wait) {
  if (auto made = MakeCaseDir(case_dir); !made) return MakeError(made.error());
  const std::filesystem::path file = case_dir / kRunLockName;
  auto fd = OpenLockFile(file, /*create=*/true);
  if (!fd) return MakeError(fd.error());

  const auto deadline = std::chrono::steady_clock::now() + std::max(wait, kMinWait);
  for (;;) {
    int err = TryLock(*fd, LOCK_EX);
    if (err == 0) break;
    if (err != EWOULDBLOCK) {
      ::close(*fd);
      return Errno("locking", file, err);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      std::optional<LockHolder> h = ReadHolder(*fd);
      ::close(*fd);
      std::string id = case_dir.filename().string();
      if (!h)
        return MakeError(ErrorKind::kConflict, "case " + id + " is in use by another cordon run (" +
                                                   file.string() + " is locked); wait for it or stop it");
      return MakeError(ErrorKind::kConflict, DescribeHolder(id, *h));
    }
    std::this_thread::sleep_for(kPoll);
  }

  LockHolder filled = me;
  if (filled.pid == 0) filled.pid = static_cast<int64_t>(getpid());
  if (filled.host.empty()) filled.host = Hostname();
  if (filled.since.empty()) filled.since = FormatIso8601(std::chrono::system_clock::now());
  // Write the record over the old one, then cut what is left of it: a reader sees a whole first
  // line (old or new) or, for a moment, a torn one, which it treats as "not yet written".
  const std::string line = ToLine(filled);
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = pwrite(*fd, line.data() + done, line.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int e = errno;
      ::close(*fd);
      return Errno("writing", file, e);
    }
    done += static_cast<size_t>(n);
  }
  if (ftruncate(*fd, static_cast<off_t>(line.size())) != 0) {
    int e = errno;
    ::close(*fd);
    return Errno("truncating", file, e);
  }
  return std::unique_ptr<CaseLock>(new CaseLock(*fd, std::move(filled)));
}

Result<std::optional<LockHolder>> CaseLock::Holder(const std::filesystem::path& case_dir) {
  const std::filesystem::path file = case_dir / kRunLockName;
  auto fd = OpenLockFile(file, /*create=*/false);
  if (!fd) {
    if (fd.error().kind == ErrorKind::kNotFound) return std::optional<LockHolder>();
    return MakeError(fd.error());
  }
  int err = TryLock(*fd, LOCK_SH);
  if (err == 0) {  // nobody holds it: what the file says is a dead run's leftovers
    ::close(*fd);
    return std::optional<LockHolder>();
  }
  if (err != EWOULDBLOCK) {
    ::close(*fd);
    return Errno("probing the lock", file, err);
  }
  // Held. Give a holder that has just taken it a moment to write its name.
  std::optional<LockHolder> h;
  for (int i = 0; i < kHolderReads && !(h = ReadHolder(*fd)); ++i)
    std::this_thread::sleep_for(kHolderReadPause);
  ::close(*fd);
  if (!h) h = LockHolder{};  // held by a run whose name is unreadable: still held
  return h;
}

CaseLock::~CaseLock() {
  // Emptied first, so nobody reads this run's name after it let go.
  (void)ftruncate(fd_, 0);
  ::close(fd_);
}

}  // namespace cordon::evidence
