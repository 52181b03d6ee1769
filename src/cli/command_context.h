// What Main hands every command: the shared flags as given, the AWS client, the resolved targets and
// the case. Built once per process by the shared setup (commands.cc); commands only read it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aws/client.h"
#include "aws/client_factory.h"
#include "base/error.h"
#include "cloud/target.h"
#include "evidence/case_lock.h"
#include "evidence/case_store.h"

namespace cordon::cli {

// The shared setup a command needs, as bits. Main does it in this order: shared flags added, flags
// parsed, case id and responder validated, the client made, the targets resolved (one rule for not
// found, ambiguous, unproven and terminated: ResolveTargets in target_flags.h). The case itself is
// opened by the command through ctx.OpenCase(), after its plan and confirmation, under the case lock.
namespace needs {
inline constexpr unsigned kNone = 0;
inline constexpr unsigned kAwsFlags = 1u << 0;              // --region, --profile, --endpoint-url, ...
inline constexpr unsigned kClient = 1u << 1 | kAwsFlags;    // the client is made before Run
inline constexpr unsigned kTargets = 1u << 2 | kClient;     // TARGET..., --targets-file, --vpc, --all-regions
inline constexpr unsigned kOneTarget = 1u << 3 | kTargets;  // exactly one TARGET
inline constexpr unsigned kActsOnTargets = 1u << 4;  // refuse unproven, terminated or shutting-down targets
inline constexpr unsigned kCase = 1u << 5;           // --case, --cases-dir, --responder
inline constexpr unsigned kExistingCase = 1u << 6 | kCase;  // the case must exist already
// Prints its own progress (watch's JSON lines) and waits by design (long polls): no "waiting for"
// notice (cli/wait_notice.h), which every other command with AWS flags gets.
inline constexpr unsigned kOwnProgress = 1u << 7;
}  // namespace needs

// Whether `needs` includes every bit of `want`.
inline bool Has(unsigned needs, unsigned want) { return (needs & want) == want; }

// --case, --cases-dir, --responder (needs::kCase). After setup: id validated, responder defaulted.
struct CaseFlags {
  std::string id, cases_dir, responder;
  int wait_lock_seconds = 0;  // --wait-lock: how long to wait for another run of the case to end
};

// Where a targets-file line says its target is (`i-0abc region=eu-west-1 account=222222222222`).
struct TargetHint {
  std::string region, account;  // empty: not said
};

// TARGET..., --targets-file, --vpc, --all-regions, --accounts, --role-name, --organization
// (needs::kTargets).
struct TargetFlags {
  std::vector<std::string> texts;  // as typed, then the targets file's lines (their first word)
  std::string targets_file, vpc;
  bool all_regions = false;
  std::vector<std::string> accounts;        // --accounts: also look in these accounts, as --role-name
  std::string role_name;                    // --role-name: the role assumed in each of them
  bool organization = false;                // --organization: every active account of the organization
  std::map<std::string, TargetHint> hints;  // by text: what its targets-file line said
};

// A target in another account than the profile's (--accounts, --organization, account=): the
// account, the role assumed there, and a client acting as that role.
struct TargetAccount {
  std::string account, role_arn;
  std::shared_ptr<aws::Client> client;
};

class CommandContext {
 public:
  std::string command;       // "contain"
  std::string command_line;  // every argument after "cordon", for the case's run records
  unsigned needs = 0;        // the command's needs:: bits
  aws::ClientFlags aws_flags;
  CaseFlags case_flags;
  TargetFlags target_flags;
  // needs::kTargets: one per distinct instance, in the order given. Every one exists and is the only
  // match found; with needs::kActsOnTargets it is proven the only one and is neither terminated nor
  // shutting down.
  std::vector<cloud::ResolvedTarget> targets;
  // By instance id, for the targets found in another account than the profile's; the others are
  // absent (they use Client()).
  std::map<std::string, TargetAccount> accounts;

  // The client, made on first use (before Run with needs::kClient); the same one afterwards.
  Result<aws::Client*> Client() const;
  // The client for `target`: its account's (accounts) or Client().
  Result<aws::Client*> ClientFor(const cloud::ResolvedTarget& target) const;

  // needs::kCase: where the case lives (--cases-dir, $CORDON_CASES_DIR, the config file, the XDG folder).
  std::filesystem::path CaseDir() const;

  // needs::kCase: takes the case's lock (one live run per case) and opens the case, creating it
  // unless needs::kExistingCase (then kNotFound naming the folder). `description` is recorded when
  // the case is new. Every later call returns the same store. Fails with kConflict naming the
  // holder while another live process runs on the case.
  Result<evidence::CaseStore*> OpenCase(std::string_view description) const;

  // The case OpenCase opened (null when the command opened none), and its journal head's seq then
  // (0 for a case the command created): Main exports a case whose journal grew (case_export_command.h).
  evidence::CaseStore* opened_case() const { return store_.get(); }
  int64_t head_at_open() const { return head_at_open_; }

 private:
  mutable std::shared_ptr<aws::Client> client_;
  mutable std::unique_ptr<evidence::CaseLock> lock_;  // held until the context goes (the process ends)
  mutable std::unique_ptr<evidence::CaseStore> store_;
  mutable int64_t head_at_open_ = 0;
};

}  // namespace cordon::cli
