#include "aws/credentials/process_provider.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <vector>

#include "base/duration.h"
#include "base/json.h"
#include "base/strings.h"

namespace cordon::aws {
namespace {

// More than any credential document needs; output beyond this is read and dropped so that a chatty
// command cannot exhaust memory, and the document is then rejected as truncated.
constexpr size_t kMaxOutputBytes = 1 << 20;

struct ChildOutput {
  bool timed_out = false;
  int wait_status = 0;
  std::string out;
  std::string err;
  bool out_truncated = false;
};

class Fd {
 public:
  Fd() = default;
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int& get() { return fd_; }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Milliseconds left until `deadline`, for poll(); 0 once it passed.
int MillisecondsLeft(std::chrono::steady_clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::clamp<int64_t>(left.count(), 0, INT32_MAX));
}

Result<ChildOutput> RunShell(const std::string& command, const Environment& env,
                             std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<Fd, 2> out_pipe, err_pipe;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return MakeError(ErrorKind::kIo, fmt::format("pipe: {}", strerror(errno)));
  out_pipe[0].get() = fds[0];
  out_pipe[1].get() = fds[1];
  if (pipe2(fds, O_CLOEXEC) != 0) return MakeError(ErrorKind::kIo, fmt::format("pipe: {}", strerror(errno)));
  err_pipe[0].get() = fds[0];
  err_pipe[1].get() = fds[1];

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // dup2 clears O_CLOEXEC on the copies; every other pipe end is closed by exec.
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1].get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1].get(), STDERR_FILENO);

  std::vector<std::string> env_strings = env.ToEnvp();
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string sh = "/bin/sh", dash_c = "-c", cmd = command;
  char* argv[] = {sh.data(), dash_c.data(), cmd.data(), nullptr};

  pid_t pid;
  int rc = posix_spawn(&pid, "/bin/sh", &actions, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return MakeError(ErrorKind::kIo, fmt::format("cannot start /bin/sh: {}", strerror(rc)));
  out_pipe[1].Close();
  err_pipe[1].Close();

  ChildOutput result;
  pollfd polls[2] = {{out_pipe[0].get(), POLLIN, 0}, {err_pipe[0].get(), POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  char buffer[8192];
  while (open_count > 0) {
    const int ready = poll(polls, 2, MillisecondsLeft(deadline));
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (ready == 0) {
      // The shell is killed; a helper it started that keeps the pipes open is left to the pipes' EPIPE
      // (killing a process group would also take the terminal from a helper prompting on it).
      kill(pid, SIGKILL);
      result.timed_out = true;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (polls[i].fd < 0 || polls[i].revents == 0) continue;
      ssize_t n = read(polls[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        polls[i].fd = -1;
        --open_count;
        continue;
      }
      std::string& sink = *sinks[i];
      size_t keep =
          std::min(static_cast<size_t>(n), kMaxOutputBytes - std::min(kMaxOutputBytes, sink.size()));
      sink.append(buffer, keep);
      if (i == 0 && keep < static_cast<size_t>(n)) result.out_truncated = true;
    }
  }
  while (waitpid(pid, &result.wait_status, 0) < 0) {
    if (errno != EINTR) return MakeError(ErrorKind::kIo, fmt::format("waitpid: {}", strerror(errno)));
  }
  return result;
}

// The last non-empty line of a command's stderr, shortened: enough to act on, little enough that a
// helper's debug output does not end up in our messages wholesale.
std::string StderrHint(std::string_view err) {
  std::string_view text = Trim(err);
  size_t newline = text.find_last_of('\n');
  if (newline != std::string_view::npos) text = Trim(text.substr(newline + 1));
  if (text.size() > 200) return std::string(text.substr(0, 200)) + "...";
  return std::string(text);
}

tl::unexpected<Error> ParseError(std::string_view source, std::string_view what) {
  return MakeError(ErrorKind::kParse, fmt::format("{}: {}", source, what));
}

}  // namespace

Result<Credentials> ParseCredentialProcessOutput(std::string_view output, std::string_view source) {
  Json doc = Json::parse(output, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return ParseError(source, "output is not a JSON object");
  auto version = doc.find("Version");
  if (version == doc.end()) return ParseError(source, "output has no Version; the supported version is 1");
  if (!version->is_number() || version->get<double>() != 1.0)
    return ParseError(source, "unsupported Version; the supported version is 1");

  Credentials creds;
  creds.source = std::string(source);
  struct Field {
    const char* name;
    std::string* target;
    bool required;
  };
  for (const Field& field : {Field{"AccessKeyId", &creds.access_key_id, true},
                             Field{"SecretAccessKey", &creds.secret_access_key, true},
                             Field{"SessionToken", &creds.session_token, false}}) {
    auto it = doc.find(field.name);
    if (it == doc.end() || it->is_null()) {
      if (field.required)
        return ParseError(source, fmt::format("output is missing required key {}", field.name));
      continue;
    }
    if (!it->is_string()) return ParseError(source, fmt::format("{} is not a string", field.name));
    *field.target = it->get<std::string>();
  }
  if (creds.empty()) return ParseError(source, "AccessKeyId or SecretAccessKey is empty");
  auto expiration = doc.find("Expiration");
  if (expiration != doc.end() && !expiration->is_null()) {
    if (expiration->is_string()) creds.expiration = ParseTimestamp(expiration->get<std::string>());
    if (!creds.expiration) return ParseError(source, "Expiration is not an ISO 8601 timestamp");
  }
  return creds;
}

Result<Credentials> ProcessProvider::Get() {
  std::chrono::seconds timeout = kCredentialProcessTimeout;
  if (std::optional<std::string> text = env_.GetNonEmpty("CORDON_CREDENTIAL_PROCESS_TIMEOUT")) {
    Result<std::chrono::seconds> parsed = ParseDuration(*text, "CORDON_CREDENTIAL_PROCESS_TIMEOUT");
    if (!parsed) return WithContext(parsed.error(), source_);
    timeout = *parsed;
  }
  Result<ChildOutput> child = RunShell(command_, env_, timeout);
  if (!child) return WithContext(child.error(), source_);
  if (child->timed_out) {
    return MakeError(ErrorKind::kIo,
                     fmt::format("{}: credential_process did not finish within {} s and was killed; set "
                                 "CORDON_CREDENTIAL_PROCESS_TIMEOUT (e.g. 5m) if it needs longer",
                                 source_, timeout.count()));
  }
  if (WIFSIGNALED(child->wait_status)) {
    return MakeError(ErrorKind::kIo, fmt::format("{}: credential_process was killed by signal {}", source_,
                                                 WTERMSIG(child->wait_status)));
  }
  int status = WIFEXITED(child->wait_status) ? WEXITSTATUS(child->wait_status) : -1;
  if (status != 0) {
    std::string hint = StderrHint(child->err);
    return MakeError(ErrorKind::kService, fmt::format("{}: credential_process exited with status {}{}{}",
                                                      source_, status, hint.empty() ? "" : ": ", hint));
  }
  if (child->out_truncated) return ParseError(source_, "credential_process output is too large");
  return ParseCredentialProcessOutput(child->out, source_);
}

}  // namespace cordon::aws
