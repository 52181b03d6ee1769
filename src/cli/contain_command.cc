#include "cli/contain_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>

#include "base/strings.h"
#include "cli/aws_flags.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/parse_flags.h"
#include "cloud/target.h"
#include "response/capture_order.h"
#include "response/case_paths.h"
#include "response/plan.h"
#include "response/preserve.h"

namespace cordon::cli {
namespace {

Result<std::vector<std::string>> ReadTargetsFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return MakeError(ErrorKind::kInvalidArgument, "cannot read the targets file " + path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    std::string t(Trim(line));
    if (t.empty() || t[0] == '#') continue;
    out.push_back(t);
  }
  return out;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

// The --capture-memory flags as given.
struct MemoryFlags {
  bool capture = false, before_isolation = false;
  std::string bucket_uri, tool, tool_sha256, timeout = "1h";
};

bool IsBucketName(std::string_view b) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (char c : b)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  return true;
}

// Prefixes and tool keys stay within characters that need no escaping anywhere (S3 keys in URLs,
// the host's shell, moto's signature check), so what the host prints is exactly what cordon expects.
bool IsPlainKey(std::string_view k) {
  for (char c : k)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '_' || c == '-'))
      return false;
  return k.find("//") == std::string_view::npos && k.find("..") == std::string_view::npos;
}

Result<response::MemoryCaptureOptions> ParseMemoryFlags(const MemoryFlags& f) {
  response::MemoryCaptureOptions m;
  auto bad = [](const std::string& why) { return MakeError(ErrorKind::kInvalidArgument, why); };
  if (!f.capture) {
    if (!f.bucket_uri.empty() || !f.tool.empty() || !f.tool_sha256.empty() || f.before_isolation)
      return bad(
          "--evidence-bucket, --memory-tool, --memory-tool-sha256 and --capture-before-isolation go with "
          "--capture-memory");
    return m;
  }
  m.enabled = true;
  m.before_isolation = f.before_isolation;
  if (!StartsWith(f.bucket_uri, "s3://"))
    return bad("--capture-memory needs --evidence-bucket s3://BUCKET[/PREFIX]");
  std::string rest = f.bucket_uri.substr(5);
  size_t slash = rest.find('/');
  m.bucket = rest.substr(0, slash);
  m.prefix = slash == std::string::npos ? "" : rest.substr(slash + 1);
  while (!m.prefix.empty() && m.prefix.back() == '/') m.prefix.pop_back();
  if (!IsBucketName(m.bucket)) return bad("--evidence-bucket: '" + m.bucket + "' is not an S3 bucket name");
  if (!IsPlainKey(m.prefix))
    return bad("--evidence-bucket: the prefix may hold only letters, digits, '/', '.', '_' and '-'");
  if (f.tool.empty())
    return bad(
        "--capture-memory needs --memory-tool: the staged acquisition tool, an absolute path on the "
        "host or s3://BUCKET/KEY (it is never downloaded from the internet)");
  if (StartsWith(f.tool, "s3://")) {
    std::string key = f.tool.substr(5);
    size_t s = key.find('/');
    if (s == std::string::npos || !IsBucketName(key.substr(0, s)) || !IsPlainKey(key.substr(s + 1)))
      return bad("--memory-tool: '" + f.tool + "' is not s3://BUCKET/KEY with a plain key");
  } else if (f.tool[0] != '/' || !IsPlainKey(f.tool)) {
    return bad("--memory-tool: give an absolute path on the host or s3://BUCKET/KEY");
  }
  m.tool = f.tool;
  m.tool_sha256 = ToLower(f.tool_sha256);
  if (m.tool_sha256.size() != 64 || m.tool_sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
    return bad(
        "--capture-memory needs --memory-tool-sha256: the tool's SHA-256 (64 hex digits); the host "
        "refuses to run a tool that differs");
  auto timeout = response::ParseInterval(f.timeout);
  if (!timeout) return bad("--capture-timeout: " + timeout.error().message);
  m.timeout = *timeout;
  return m;
}

}  // namespace

void PrintProgress(const cloud::ResolvedTarget& target, const response::StepReport& r) {
  std::string detail =
      r.status == response::StepStatus::kFailed
          ? "FAILED: " + r.error.ToString() +
                (r.missing_permission.empty() ? "" : " (missing permission: " + r.missing_permission + ")")
          : (r.detail.empty() ? std::string(response::StepStatusName(r.status)) : r.detail);
  std::fprintf(stderr, "%s  %-18s %s\n", target.instance_id.c_str(), r.step.c_str(), detail.c_str());
}

void PrintSummary(const std::vector<response::TargetReport>& reports, const std::string& case_id, bool json,
                  const std::string& verb) {
  if (json) {
    Json out = Json::array();
    for (const auto& t : reports) {
      Json steps = Json::array();
      for (const auto& s : t.steps) {
        Json j = {{"step", s.step}, {"status", response::StepStatusName(s.status)}, {"detail", s.detail}};
        if (s.status == response::StepStatus::kFailed) j["error"] = s.error.ToString();
        if (!s.missing_permission.empty()) j["missing_permission"] = s.missing_permission;
        steps.push_back(j);
      }
      out.push_back(Json{{"instance_id", t.target.instance_id},
                         {"region", t.target.region},
                         {"case", case_id},
                         {"result", t.failed() ? "failed" : (t.changed() ? verb : "unchanged")},
                         {"partial", t.partial()},
                         {"steps", steps}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  for (const auto& t : reports) {
    int done = 0, already = 0, failed = 0, skipped = 0;
    for (const auto& s : t.steps) {
      if (s.status == response::StepStatus::kDone)
        ++done;
      else if (s.status == response::StepStatus::kAlreadyDone)
        ++already;
      else if (s.status == response::StepStatus::kFailed)
        ++failed;
      else
        ++skipped;
    }
    std::string what;
    if (t.failed())
      what = "NOT fully " + verb + ": " + std::to_string(failed) + " failed, " + std::to_string(skipped) +
             " not attempted; fix the cause and run the same command again";
    else if (!t.changed())
      what = "already " + verb + " under case " + case_id + "; nothing changed";
    else
      what = verb + " under case " + case_id;
    std::printf("%s (%s): %s [%d done, %d already done, %d failed, %d not attempted]%s\n",
                t.target.instance_id.c_str(), t.target.region.c_str(), what.c_str(), done, already, failed,
                skipped, t.partial() ? " (some evidence could not be captured; see the case notes)" : "");
    for (const auto& s : t.steps)
      if (!s.missing_permission.empty())
        std::printf("  %s needs %s (`cordon iam-policy` prints the whole policy)\n", s.step.c_str(),
                    s.missing_permission.c_str());
  }
}

int ExitStatusFor(const std::vector<response::TargetReport>& reports) {
  bool failed = false, denied = false, partial = false;
  for (const auto& t : reports) {
    failed = failed || t.failed();
    partial = partial || t.partial();
    for (const auto& s : t.steps) denied = denied || !s.missing_permission.empty();
  }
  if (denied) return kExitAccessDenied;
  if (failed) return kExitFailed;
  if (partial) return kExitPartial;
  return kExitOk;
}

bool Confirm(const std::string& question) {
  if (!isatty(STDIN_FILENO)) {
    PrintError(
        "refusing to change anything without confirmation: stdin is not a terminal (pass --yes to proceed, "
        "or "
        "--plan to only print the plan)");
    return false;
  }
  std::fprintf(stderr, "%s [y/N] ", question.c_str());
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  answer = ToLower(Trim(answer));
  return answer == "y" || answer == "yes";
}

int RunContain(int argc, char** argv) {
  CLI::App app{
      "Contain compromised EC2 instances: record their state, then tag, protect, take them out of Auto\n"
      "Scaling and load balancers, isolate every ENI, cut their credentials, and snapshot them.",
      "cordon contain"};
  std::vector<std::string> targets;
  std::string case_id, cases_dir, responder, asg = "detach", targets_file, vpc, output = "text",
                                             quarantine_profile;
  bool yes = false, plan_only = false, revoke_sessions = false;
  response::StepSelection selection;
  std::vector<std::string> allow_from;
  MemoryFlags memory;
  aws::ClientFlags flags;
  app.add_option("TARGET", targets, "instance id, public or private IP, or ENI id; several run concurrently");
  app.add_option("--case", case_id, "case id (the case folder's name)")->required();
  app.add_flag("--yes", yes, "do not ask for confirmation");
  app.add_flag("--plan", plan_only, "print the plan and change nothing");
  app.add_option("--cases-dir", cases_dir, "where cases live (default $CORDON_CASES_DIR or ./cordon-cases)");
  app.add_option("--responder", responder, "who is responding (default $USER)");
  app.add_option("--asg", asg, "detach (default: the group replaces the node) or standby")
      ->check(CLI::IsMember({"detach", "standby"}));
  app.add_option("--allow-from", allow_from,
                 "CIDR or sg-... allowed into the isolation group (forensic access); repeatable");
  app.add_option("--skip", selection.skip, "leave this step out; repeatable");
  app.add_option("--only", selection.only, "run only these steps (record-pre-state always runs); repeatable");
  app.add_flag(
      "--revoke-role-sessions", revoke_sessions,
      "also deny every session of the role issued before now (affects every sibling sharing the role)");
  app.add_option("--quarantine-profile", quarantine_profile,
                 "replace the instance profile with this one instead of removing it");
  app.add_option("--targets-file", targets_file,
                 "read more targets from this file, one per line (# comments)");
  app.add_option("--vpc", vpc, "narrow an IP target to this VPC");
  app.add_flag("--capture-memory", memory.capture,
               "capture memory and volatile data through SSM Run Command to --evidence-bucket");
  app.add_option("--evidence-bucket", memory.bucket_uri,
                 "s3://BUCKET[/PREFIX]: objects go to PREFIX/CASE/INSTANCE/ (same region as the instance)");
  app.add_option("--memory-tool", memory.tool,
                 "the staged acquisition tool: an absolute path on the host, or s3://BUCKET/KEY");
  app.add_option("--memory-tool-sha256", memory.tool_sha256, "the tool's SHA-256; the host checks it first");
  app.add_option("--capture-timeout", memory.timeout, "how long the capture may run (default 1h)");
  app.add_flag("--capture-before-isolation", memory.before_isolation,
               "capture before isolate-network instead of after it (no SSM egress exception needed)");
  app.add_option("--output", output, "text or json (the summary on stdout)")
      ->check(CLI::IsMember({"text", "json"}));
  AddAwsFlags(app, &flags);
  if (auto done = ParseFlags(app, argc, argv)) return *done;

  if (auto s = evidence::ValidateCaseId(case_id); !s) return ReportError(s.error());
  if (auto s = response::ValidateSelection(selection); !s) return ReportError(s.error());
  auto memory_options = ParseMemoryFlags(memory);
  if (!memory_options) return ReportError(memory_options.error());
  if (auto s = response::SelectMemoryCapture(*memory_options, &selection); !s) return ReportError(s.error());
  if (!targets_file.empty()) {
    auto more = ReadTargetsFile(targets_file);
    if (!more) return ReportError(more.error());
    targets.insert(targets.end(), more->begin(), more->end());
  }
  if (targets.empty()) {
    PrintError("no target: give instance ids, IPs or ENI ids, or --targets-file");
    return kExitUsage;
  }
  response::ResponseOptions options;
  options.case_id = case_id;
  options.responder = response::DefaultResponder(responder);
  options.asg_mode = asg == "standby" ? response::AsgMode::kStandby : response::AsgMode::kDetach;
  options.allow_from = allow_from;
  options.revoke_role_sessions = revoke_sessions;
  options.quarantine_profile = quarantine_profile;
  options.memory = *memory_options;

  auto client = aws::MakeClient(flags);
  if (!client) return ReportError(client.error());

  // Resolve every target before anything changes: a typo must not leave half a fleet contained.
  std::vector<response::Plan> plans;
  std::vector<std::string> seen;
  for (const std::string& text : targets) {
    cloud::TargetQuery query;
    query.text = text;
    query.regions = {(*client)->region()};
    query.vpc_id = vpc;
    auto target = cloud::ResolveTarget(**client, query);
    if (!target) {
      int code = target.error().kind == ErrorKind::kConflict ? kExitAmbiguous : ExitCodeFor(target.error());
      ReportError(target.error());
      PrintInfo("nothing was changed");
      return code;
    }
    // Found by IP while a region could not be searched: another instance may have the IP, so this
    // one is not proven to be the one meant. Changing it anyway is a guess.
    if (auto s = cloud::RequireDefinitive(*target, text); !s) {
      PrintError(s.error().message);
      PrintInfo("nothing was changed");
      return kExitAmbiguous;
    }
    if (target->state == "terminated" || target->state == "shutting-down") {
      PrintError("instance " + target->instance_id + " is " + target->state +
                 ": there is nothing left to contain");
      PrintInfo("nothing was changed");
      return kExitFailed;
    }
    if (std::find(seen.begin(), seen.end(), target->instance_id) != seen.end()) continue;
    seen.push_back(target->instance_id);
    plans.push_back(response::BuildContainPlan(*target, selection));
    response::ArrangeMemoryCapture(options.memory, &plans.back());
  }

  for (const auto& plan : plans)
    std::fprintf(plan_only ? stdout : stderr, "%s", response::FormatPlan(plan).c_str());
  if (plan_only) return kExitOk;
  if (!yes &&
      !Confirm("Contain " + std::to_string(plans.size()) + " instance(s) under case " + case_id + "?"))
    return kExitUsage;

  evidence::CaseInfo info{options.responder, "contain " + JoinWords(seen)};
  auto store = evidence::CaseStore::Open(response::CasesRoot(cases_dir) / case_id, info);
  if (!store) return ReportError(store.error());

  response::Executor executor(client->get(), store->get(), &options, PrintProgress);
  std::vector<response::TargetReport> reports = executor.Run(plans);
  PrintSummary(reports, case_id, output == "json", "contained");
  int status = ExitStatusFor(reports);
  if (status == kExitOk || status == kExitPartial) (void)(*store)->SetStatus("contained");
  std::fprintf(stderr, "cordon: case %s is in %s\n", case_id.c_str(), (*store)->dir().c_str());
  return status;
}

}  // namespace cordon::cli
