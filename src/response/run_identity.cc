#include "response/run_identity.h"

#include <unistd.h>

#include <fstream>
#include <iterator>

#include "evidence/audit_kinds.h"

#ifndef CORDON_VERSION
#define CORDON_VERSION "unknown"
#endif

namespace cordon::response {
namespace {

// The process's arguments after the program name, space-separated, as the kernel has them.
std::string OwnCommandLine() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t first = raw.find('\0');
  if (first == std::string::npos) return "";
  std::string out = raw.substr(first + 1);
  if (!out.empty() && out.back() == '\0') out.pop_back();
  for (char& c : out)
    if (c == '\0') c = ' ';
  return out;
}

}  // namespace

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "";
  return name;
}

std::string CordonVersion() { return CORDON_VERSION; }

Status RecordRunIdentity(evidence::CaseStore& store, aws::Client* client, const RunIdentity& run) {
  Json record = {{"command", run.command},
                 {"command_line", run.command_line.empty() ? OwnCommandLine() : run.command_line},
                 {"version", CordonVersion()},
                 {"host", HostName()},
                 {"pid", static_cast<int64_t>(getpid())},
                 {"responder", run.responder}};
  if (client == nullptr) {
    record["identity_note"] = "this command makes no AWS call";
  } else if (auto who = client->Call("sts", "GetCallerIdentity", Json::object()); !who) {
    record["identity_error"] = who.error().ToString();
  } else {
    record["account"] = who->value("Account", "");
    record["caller_arn"] = who->value("Arn", "");
    record["user_id"] = who->value("UserId", "");
    record["region"] = client->region();
  }
  auto seq = store.journal().Append(evidence::kind::kRunIdentity, "", "", record);
  if (!seq) return MakeError(seq.error());
  return Ok();
}

}  // namespace cordon::response
