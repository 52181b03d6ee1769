#include "cli/commands.h"

#include <cstdio>
#include <string>
#include <vector>

#include "base/strings.h"
#include "cli/api_command.h"
#include "cli/case_command.h"
#include "cli/contain_command.h"
#include "cli/exit_codes.h"
#include "cli/hunt_command.h"
#include "cli/iam_policy_command.h"
#include "cli/output.h"
#include "cli/preserve_command.h"
#include "cli/release_command.h"
#include "cli/triage_command.h"

namespace cordon::cli {
namespace {

int RunHelp(int argc, char** argv);

constexpr Command kCommands[] = {
    {"triage", "find an instance by id, IP or ENI and show who owns it, what exposes it, what it did",
     RunTriage},
    {"contain", "tag, protect, detach, deregister, isolate, cut credentials and snapshot an instance",
     RunContain},
    {"preserve", "snapshot every EBS volume (optionally as a time series) and record metadata", RunPreserve},
    {"release", "restore a contained instance to its recorded pre-state (a false positive)", RunRelease},
    {"api", "call any embedded AWS operation and print its output as JSON (as boto3 returns it)", RunApi},
    {"hunt", "scan CloudTrail, VPC flow logs, GuardDuty and Config for what one instance did", RunHunt},
    {"case", "list, show or verify cases (hash-chained journal, pre-state, evidence)", RunCase},
    {"iam-policy", "print the least-privilege IAM policy each command needs", RunIamPolicy},
    {"help", "list the commands", RunHelp},
};

int RunHelp(int, char**) {
  std::printf(
      "cordon: respond to a compromised EC2 instance.\n\nusage: cordon COMMAND [options]\n\ncommands:\n");
  for (const Command& c : kCommands)
    std::printf("  %-10.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                static_cast<int>(c.summary.size()), c.summary.data());
  std::printf("\n`cordon COMMAND --help` describes a command's options.\n");
  return kExitOk;
}

}  // namespace

int Main(int argc, char** argv) {
  if (argc < 2) {
    RunHelp(0, nullptr);
    return kExitUsage;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h") return RunHelp(0, nullptr);
  if (name == "--version") {
    std::printf("cordon 0.1.0\n");
    return kExitOk;
  }
  for (const Command& c : kCommands)
    if (c.name == name) return c.run(argc - 1, argv + 1);
  std::vector<std::string> names;
  for (const Command& c : kCommands) names.emplace_back(c.name);
  std::string message = "unknown command '" + name + "'";
  auto near = ClosestMatches(name, names, 1);
  if (!near.empty()) message += ", did you mean '" + near[0] + "'?";
  PrintError(message + " (`cordon help` lists the commands)");
  return kExitUsage;
}

}  // namespace cordon::cli
