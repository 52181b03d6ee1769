#include "automation/lambda_package.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include "base/strings.h"

extern char** environ;

namespace cordon::automation {
namespace {

namespace fs = std::filesystem;

// Runs a tool found on PATH in `cwd`, its stdout and stderr together in `*output`. kIo when it cannot
// be started or exits other than 0 (the message ends with its output).
Status RunTool(const std::vector<std::string>& args, const fs::path& cwd, std::string* output) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return MakeError(ErrorKind::kIo, "pipe: " + std::string(strerror(errno)));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return MakeError(ErrorKind::kIo, "cannot run " + args[0] + ": " + strerror(rc) +
                                         (args[0] == "zip" ? " (apt-get install zip)" : ""));
  }
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) output->append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return MakeError(
        ErrorKind::kIo,
        Join(args, " ") + " failed: " +
            std::string(Trim(output->substr(output->size() > 2000 ? output->size() - 2000 : 0))));
  return Ok();
}

Status CopyFile(const fs::path& from, const fs::path& to, fs::perms mode) {
  std::error_code ec;
  // copy_file follows symbolic links: the loader and many libraries are links to versioned files.
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::permissions(to, mode, ec);
  if (ec) return MakeError(ErrorKind::kIo, "copying " + from.string() + ": " + ec.message());
  return Ok();
}

Status RequireFile(const fs::path& path, const std::string& what) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    return MakeError(ErrorKind::kNotFound, what + " " + path.string() + " does not exist");
  return Ok();
}

// Copies the binary, the launcher, the loader, the libraries and the CA bundle into `stage`.
Status Stage(const PackageOptions& o, const LddOutput& deps, const fs::path& stage) {
  const fs::perms exec = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                         fs::perms::others_read | fs::perms::others_exec;
  const fs::perms data =
      fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;
  std::error_code ec;
  fs::create_directories(stage / "lib", ec);
  if (ec) return MakeError(ErrorKind::kIo, "creating " + (stage / "lib").string() + ": " + ec.message());
  if (auto s = CopyFile(o.bootstrap, stage / "bootstrap", exec); !s) return s;
  if (auto s = CopyFile(o.binary, stage / "cordon", exec); !s) return s;
  if (o.strip) {
    std::string out;
    if (auto s = RunTool({"strip", "--strip-debug", (stage / "cordon").string()}, {}, &out); !s) return s;
  }
  if (auto s = CopyFile(deps.loader, stage / "lib" / "ld-linux-x86-64.so.2", exec); !s) return s;
  for (const SharedLibrary& l : deps.libraries)
    if (auto s = CopyFile(l.path, stage / "lib" / l.soname, exec); !s) return s;
  return CopyFile(o.ca_bundle, stage / "ca-certificates.crt", data);
}

Result<fs::path> ThisBinary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec)
    return MakeError(ErrorKind::kNotFound,
                     "cannot find this cordon binary (/proc/self/exe): " + ec.message());
  return self;
}

}  // namespace

Result<LddOutput> ParseLdd(std::string_view text) {
  LddOutput out;
  for (const std::string& raw : Split(text, '\n')) {
    std::string_view line = Trim(raw);
    if (line.empty()) continue;
    size_t arrow = line.find(" => ");
    if (arrow == std::string_view::npos) {
      // "/lib64/ld-linux-x86-64.so.2 (0x...)" is the loader; "linux-vdso.so.1 (0x...)" has no file.
      std::string_view path = line.substr(0, line.find(' '));
      if (path.starts_with("/")) out.loader = std::string(path);
      continue;
    }
    std::string soname(Trim(line.substr(0, arrow)));
    std::string_view rest = Trim(line.substr(arrow + 4));
    if (rest.starts_with("not found"))
      return MakeError(ErrorKind::kInvalidArgument,
                       "ldd: " + soname + " not found; the package would not start");
    std::string_view path = rest.substr(0, rest.find(' '));
    if (!path.starts_with("/")) continue;  // the vDSO on some systems: "linux-vdso.so.1 =>  (0x...)"
    out.libraries.push_back({soname, std::string(path)});
  }
  if (out.loader.empty()) return MakeError(ErrorKind::kInvalidArgument, "ldd names no dynamic loader");
  return out;
}

Result<PackageReport> BuildLambdaPackage(const PackageOptions& given) {
  PackageOptions o = given;
  if (o.binary.empty()) {
    auto self = ThisBinary();
    if (!self) return MakeError(self.error());
    o.binary = *self;
  }
  if (o.bootstrap.empty()) o.bootstrap = o.binary.parent_path() / "cordon-lambda-bootstrap";
  if (auto s = RequireFile(o.binary, "the cordon binary"); !s) return MakeError(s.error());
  if (auto s = RequireFile(o.bootstrap, "the bootstrap (built beside cordon as cordon-lambda-bootstrap)"); !s)
    return MakeError(s.error());
  if (auto s = RequireFile(o.ca_bundle, "the CA bundle"); !s) return MakeError(s.error());
  std::string ldd;
  if (auto s = RunTool({"ldd", o.binary.string()}, {}, &ldd); !s) return MakeError(s.error());
  auto deps = ParseLdd(ldd);
  if (!deps) return MakeError(deps.error());

  char tmpl[] = "/tmp/cordon-lambda-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return MakeError(ErrorKind::kIo, "mkdtemp: " + std::string(strerror(errno)));
  const fs::path stage = tmpl;
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{stage};
  if (auto s = Stage(o, *deps, stage); !s) return MakeError(s.error());
  std::error_code ec;
  const fs::path out = fs::absolute(o.out, ec);
  fs::remove(out, ec);
  std::string zip_output;
  // -X: no extra file attributes (uid, times), so the zip depends only on the files; -r from the
  // staging folder, so paths are relative to the zip's root.
  if (auto s = RunTool({"zip", "-q", "-r", "-X", out.string(), "."}, stage, &zip_output); !s)
    return MakeError(s.error());
  PackageReport report;
  for (const auto& entry : fs::recursive_directory_iterator(stage))
    if (entry.is_regular_file()) report.files.push_back(fs::relative(entry.path(), stage).string());
  std::sort(report.files.begin(), report.files.end());
  report.zip_bytes = fs::file_size(out, ec);
  return report;
}

}  // namespace cordon::automation
