#include "cli/commands.h"

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/colour.h"
#include "base/debug_log.h"
#include "base/strings.h"
#include "cli/api_command.h"
#include "cli/automation_command.h"
#include "cli/aws_flags.h"
#include "cli/case_command.h"
#include "cli/case_export_command.h"
#include "cli/case_flags.h"
#include "cli/case_note_command.h"
#include "cli/case_verify_command.h"
#include "cli/cleanup_command.h"
#include "cli/command_docs.h"
#include "cli/completion_command.h"
#include "cli/contain_command.h"
#include "cli/evidence_bucket_command.h"
#include "cli/exit_codes.h"
#include "cli/hunt_command.h"
#include "cli/iam_policy_command.h"
#include "cli/image_command.h"
#include "cli/lab_command.h"
#include "cli/lambda_command.h"
#include "cli/man_command.h"
#include "cli/output.h"
#include "cli/parse_flags.h"
#include "cli/posture_command.h"
#include "cli/preserve_command.h"
#include "cli/recover_command.h"
#include "cli/release_command.h"
#include "cli/sigma_command.h"
#include "cli/target_flags.h"
#include "cli/triage_command.h"
#include "cli/wait_notice.h"
#include "cli/watch_command.h"

namespace cordon::cli {
namespace {

CommandBody SetupHelp(CLI::App& app);
const Command* FindCommand(int argc, char** argv, int* words);
int RunCommand(const Command& command, int words, int argc, char** argv);

using namespace needs;  // the table reads better with the bare names

const Command kCommands[] = {
    {"triage", "find an instance by id, IP or ENI and show who owns it, what exposes it, what it did",
     kOneTarget, SetupTriage},
    {"contain", "tag, protect, detach, deregister, isolate, cut credentials and snapshot an instance",
     kTargets | kActsOnTargets | kCase, SetupContain},
    {"preserve", "snapshot every EBS volume (optionally as a time series) and record metadata",
     kOneTarget | kActsOnTargets | kCase, SetupPreserve},
    {"release", "restore a contained instance to its recorded pre-state (a false positive)",
     kClient | kExistingCase, SetupRelease},
    {"watch",
     "contain the instances of GuardDuty findings and incident-response tags arriving on an SQS queue",
     kClient | kOwnProgress, SetupWatch},
    {"automation template", "print the CloudFormation template of watch's queue, DLQ, rules and topic", kNone,
     SetupAutomationTemplate},
    {"automation deploy", "create watch's queue, DLQ, EventBridge rules and topic as a stack, and wait",
     kClient, SetupAutomationDeploy},
    {"automation package", "build the zip that runs cordon as a Lambda function (provided.al2023)", kNone,
     SetupAutomationPackage},
    {"lambda-runtime", "handle watch's events as a Lambda function (the package's bootstrap runs it)",
     kAwsFlags | kOwnProgress, SetupLambdaRuntime},
    {"api", "call any embedded AWS operation and print its output as JSON (as boto3 returns it)", kAwsFlags,
     SetupApi},
    {"hunt", "scan CloudTrail, VPC flow logs, GuardDuty and Config for what one instance did", kAwsFlags,
     SetupHunt},
    {"posture",
     "reassess the account: internet-open groups, IMDSv1, unencrypted volumes, admin roles, detective "
     "controls",
     kClient, SetupPosture},
    {"sigma lint", "report what keeps each Sigma rule from ever matching a real CloudTrail record", kNone,
     SetupSigmaLint},
    {"lab up", "launch the case's forensic workstation (a CloudFormation stack) beside the suspect",
     kClient | kExistingCase, SetupLabUp},
    {"lab allow", "let the case's forensic workstation reach the suspect", kClient | kExistingCase,
     SetupLabAllow},
    {"lab attach", "attach volumes made from the case's snapshots to the forensic workstation",
     kClient | kExistingCase, SetupLabAttach},
    {"lab down", "tear the case's lab down (never the snapshots or evidence) and check nothing is left",
     kClient | kExistingCase, SetupLabDown},
    {"lab template", "print the forensic workstation's CloudFormation template", kNone, SetupLabTemplate},
    {"cleanup", "terminate the suspect once its evidence is complete, and delete cordon's groups",
     kClient | kExistingCase, SetupCleanup},
    {"recover",
     "check the service recovered (Auto Scaling, load balancers), or relaunch a standalone suspect",
     kClient | kExistingCase, SetupRecover},
    {"image", "read the case's snapshots into disk images (EBS direct APIs), hashed into the case",
     kClient | kExistingCase, SetupImage},
    {"case note", "add the responder's observation to a case's journal and report", kExistingCase,
     SetupCaseNote},
    {"case export", "copy a case to its evidence bucket, each object checksummed, and anchor its journal",
     kClient, SetupCaseExport},
    {"case verify", "check a case's hash chain, pre-state and evidence, and its journal anchors", kAwsFlags,
     SetupCaseVerify},
    {"evidence-bucket create",
     "make a write-once evidence bucket (Object Lock, versioning, SSE-KMS, no public access, logs)", kClient,
     SetupEvidenceBucketCreate},
    {"case", "list, show or verify cases (hash-chained journal, pre-state, evidence)", kNone, SetupCase},
    {"iam-policy", "print the least-privilege IAM policy each command needs", kNone, SetupIamPolicy},
    {"completion", "print the bash or zsh completion script (generated from this table)", kNone,
     SetupCompletion},
    {"man", "print the manual page cordon(1) in roff (generated from this table)", kNone, SetupMan},
    {"help", "list the commands", kNone, SetupHelp},
};

// Names are padded to 22 columns: the longest, "evidence-bucket create", fills them.
void PrintCommandList() {
  std::printf(
      "cordon: respond to a compromised EC2 instance.\n\nusage: cordon COMMAND [options]\n\ncommands:\n");
  for (const Command& c : kCommands)
    std::printf("  %-22.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                static_cast<int>(c.summary.size()), c.summary.data());
  std::printf("\n`cordon COMMAND --help` describes a command's options.\n");
}

// `cordon help [COMMAND]`: the list, or that command's --help.
CommandBody SetupHelp(CLI::App& app) {
  auto words = std::make_shared<std::vector<std::string>>();
  app.add_option("command", *words, "a command (`lab up`: both words)");
  return {[words](const CommandContext&) {
            if (words->empty()) {
              PrintCommandList();
              return kExitOk;
            }
            std::vector<std::string> args = {"cordon"};
            args.insert(args.end(), words->begin(), words->end());
            args.emplace_back("--help");
            std::vector<char*> argv;
            for (std::string& a : args) argv.push_back(a.data());
            int taken = 0;
            const Command* command = FindCommand(static_cast<int>(argv.size()), argv.data(), &taken);
            if (command == nullptr || taken != static_cast<int>(words->size())) {
              PrintError("no command '" + Join(*words, " ") + "'; `cordon help` lists them");
              return kExitUsage;
            }
            return RunCommand(*command, taken, static_cast<int>(argv.size()), argv.data());
          },
          {}};
}

// The command argv names: one word ("contain"), or two for a command with sub-commands ("lab up").
// `*words` is set to how many arguments the name took.
const Command* FindCommand(int argc, char** argv, int* words) {
  for (const Command& c : kCommands) {
    if (c.name == argv[1]) {
      *words = 1;
      return &c;
    }
    if (argc > 2 && c.name == std::string(argv[1]) + " " + argv[2]) {
      *words = 2;
      return &c;
    }
  }
  return nullptr;
}

// The commands whose name starts with `group` ("lab"), for `cordon lab` alone or a misspelt one.
std::vector<std::string> SubCommands(const std::string& group) {
  std::vector<std::string> out;
  for (const Command& c : kCommands)
    if (c.name.starts_with(group + " ")) out.emplace_back(c.name);
  return out;
}

std::string CommandLine(int argc, char** argv) {
  std::string out;
  for (int i = 1; i < argc; ++i) out += (i > 1 ? " " : "") + std::string(argv[i]);
  return out;
}

// The shared flags, by the command's needs; they are added before the command's own, so --help
// lists them first.
void AddSharedFlags(CLI::App& app, CommandContext* ctx) {
  if (Has(ctx->needs, kTargets))
    AddTargetFlags(app, &ctx->target_flags, Has(ctx->needs, kOneTarget), Has(ctx->needs, kActsOnTargets));
  if (Has(ctx->needs, kCase)) AddCaseFlags(app, &ctx->case_flags);
  if (Has(ctx->needs, kAwsFlags)) AddAwsFlags(app, &ctx->aws_flags);
}

// The flags of every command that act on the process: --debug and --no-color.
void AddProcessFlags(CLI::App& app, std::string* debug_topics, bool* no_colour) {
  app.add_flag(
      "--debug{all}", *debug_topics,
      "log HTTP exchanges, retries and journal appends to stderr (no secrets); --debug=http,retry,journal "
      "picks topics");
  app.add_flag("--no-color", *no_colour, "no colour on a terminal either (as NO_COLOR=1 does)");
}

// Everything Main does between parsing and the command's body, in the order command.h gives.
// Returns the exit code when the command must not run.
std::optional<int> PrepareContext(const CommandBody& body, CommandContext* ctx) {
  const bool changes = Has(ctx->needs, kCase);
  auto refuse = [&](const Error& error) {
    int code = ReportError(error);
    if (changes) PrintInfo("nothing was changed");
    return code;
  };
  if (Has(ctx->needs, kCase)) {
    if (auto s = FinishCaseFlags(&ctx->case_flags); !s) return refuse(s.error());
  }
  if (Has(ctx->needs, kTargets) && !Has(ctx->needs, kOneTarget)) {
    if (auto s = ReadTargetsFile(&ctx->target_flags); !s) return refuse(s.error());
    // A command that names targets by its own flags has them checked once they are added.
    if (!body.targets_from) {
      if (auto s = RequireTargets(ctx->target_flags); !s) return refuse(s.error());
    }
  }
  if (Has(ctx->needs, kTargets)) {
    if (auto s = CheckAccountFlags(ctx->target_flags); !s) return refuse(s.error());
  }
  if (body.check) {
    if (auto s = body.check(); !s) return refuse(s.error());
  }
  TargetFlags& targets = ctx->target_flags;
  if (Has(ctx->needs, kTargets) && !targets.texts.empty()) {
    if (auto s = cloud::ClassifyTarget(targets.texts.front()); !s) return refuse(s.error());
  }
  if (Has(ctx->needs, kClient)) {
    auto client = ctx->Client();
    if (!client) return refuse(client.error());
    if (Has(ctx->needs, kTargets) && body.targets_from) {
      if (auto s = body.targets_from(**client, &targets); !s) return refuse(s.error());
      if (auto s = RequireTargets(targets); !s) return refuse(s.error());
    }
    if (Has(ctx->needs, kTargets)) {
      auto targets = ResolveTargets(**client, ctx->target_flags, Has(ctx->needs, kActsOnTargets),
                                    ctx->case_flags.id, &ctx->accounts);
      if (!targets) return refuse(targets.error());
      ctx->targets = std::move(*targets);
    }
  }
  return std::nullopt;
}

int RunCommand(const Command& command, int words, int argc, char** argv) {
  CLI::App app{std::string(command.summary), "cordon " + std::string(command.name)};
  CommandContext ctx;
  ctx.command = command.name;
  ctx.command_line = CommandLine(argc, argv);
  ctx.needs = command.needs;
  AddSharedFlags(app, &ctx);
  std::string debug_topics;
  bool no_colour = false;
  AddProcessFlags(app, &debug_topics, &no_colour);
  CommandBody body = command.setup(app);
  // `case show ID --no-color`: a sub-command passes the process flags it does not know to its parent.
  for (CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) sub->fallthrough();
  // argv[0] is "cordon"; CLI11 takes the command's arguments after the command name (its last word
  // standing in for the program name).
  if (auto done = ParseFlags(app, argc - words, argv + words)) return *done;
  if (no_colour) DisableColour();
  if (!debug_topics.empty()) {
    if (auto s = EnableDebug(debug_topics); !s) return ReportError(s.error());
  }
  std::optional<WaitNotice> notice;
  if (Has(ctx.needs, kAwsFlags) && !Has(ctx.needs, kOwnProgress)) notice.emplace();
  if (auto stop = PrepareContext(body, &ctx)) return *stop;
  // A command that changed a case with an evidence bucket ends by exporting and anchoring it.
  return FinishCaseRun(ctx, body.run(ctx));
}

CommandDoc DocOf(const CLI::App& app, std::string name) {
  CommandDoc doc;
  doc.name = std::move(name);
  doc.description = app.get_description();
  for (const CLI::Option* o : app.get_options()) {
    OptionDoc option;
    for (const std::string& l : o->get_lnames()) option.flags.push_back("--" + l);
    for (const std::string& s : o->get_snames()) option.flags.push_back("-" + s);
    if (o->get_positional()) option.positional = o->get_name(true);
    option.description = o->get_description();
    option.takes_value = o->get_expected_min() > 0 || o->get_type_size() > 0;
    doc.options.push_back(std::move(option));
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    doc.subcommands.push_back(DocOf(*sub, sub->get_name()));
    doc.subcommands.back().summary = sub->get_description();
  }
  return doc;
}

}  // namespace

std::span<const Command> Commands() { return kCommands; }

std::vector<CommandDoc> CommandDocs() {
  std::vector<CommandDoc> out;
  for (const Command& command : kCommands) {
    // Built as RunCommand builds it, so the documented flags are the ones parsed.
    CLI::App app{std::string(command.summary), "cordon " + std::string(command.name)};
    CommandContext ctx;
    ctx.needs = command.needs;
    AddSharedFlags(app, &ctx);
    std::string debug_topics;
    bool no_colour = false;
    AddProcessFlags(app, &debug_topics, &no_colour);
    // The body is never run, only kept while its flags (bound to its storage) are read.
    const CommandBody body = command.setup(app);
    out.push_back(DocOf(app, std::string(command.name)));
    out.back().summary = command.summary;
  }
  return out;
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    PrintCommandList();
    return kExitUsage;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h") {
    PrintCommandList();
    return kExitOk;
  }
  if (name == "--version") {
    std::printf("cordon 0.1.0\n");
    return kExitOk;
  }
  int words = 1;
  if (const Command* command = FindCommand(argc, argv, &words))
    return RunCommand(*command, words, argc, argv);
  std::vector<std::string> names;
  for (const Command& c : kCommands) names.emplace_back(c.name);
  if (auto subs = SubCommands(name); !subs.empty()) {
    std::string list;
    for (const std::string& s : subs) list += "\n  cordon " + s;
    PrintError((argc > 2 && argv[2][0] != '-' ? "unknown command '" + name + " " + argv[2] + "'"
                                              : "'" + name + "' needs a sub-command before its options") +
               "; one of:" + list);
    return kExitUsage;
  }
  std::string message = "unknown command '" + name + "'";
  auto near = ClosestMatches(name, names, 1);
  if (!near.empty()) message += ", did you mean '" + near[0] + "'?";
  PrintError(message + " (`cordon help` lists the commands)");
  return kExitUsage;
}

}  // namespace cordon::cli
