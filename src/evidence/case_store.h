// A case: the folder <root>/<CASE-ID>/ holding case.db (journal, pre-state, evidence inventory)
// and evidence/ (files). See docs/case-format.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "evidence/evidence.h"
#include "evidence/journal.h"
#include "evidence/pre_state.h"

namespace cordon::evidence {

namespace detail {
class Database;
}

// Where cases go unless the user says otherwise.
inline constexpr std::string_view kDefaultCasesRoot = "cordon-cases";
inline constexpr std::string_view kCaseDbName = "case.db";

// What a new case records about itself. Ignored when the case already exists.
struct CaseInfo {
  std::string responder;  // who opened the case
  std::string description;
};

// One line of `cordon case list`.
struct CaseSummary {
  std::string id;
  std::filesystem::path dir;
  std::string created;  // ISO 8601 UTC
  std::string status;   // "open" until SetStatus changes it
  std::string responder;
  std::vector<std::string> targets;  // every target the journal mentions, sorted
  std::string last_activity;         // time of the last journal record
  int64_t records = 0;               // journal records (the head seq)
  std::string error;  // set when the case could not be read; the fields above may then be empty
};

// Checks a case id: 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit (so
// it is never "." or "..", nor read as a command-line option). kInvalidArgument says what is wrong.
[[nodiscard]] Status ValidateCaseId(std::string_view id);

// A responder name as every record stores it: 1 to 128 bytes, no control character (it is shown on
// terminals and in reports). Checked before a command changes anything.
[[nodiscard]] Status ValidateResponder(std::string_view responder);

// An open case. One CaseStore per case per process: it holds the case's only connection, which
// every method (and the journal(), pre_state() and evidence() objects) share under one mutex, so
// the store is safe to use from many threads. Several processes may open the same case; SQLite's
// locking serializes their writes.
class CaseStore {
 public:
  // Opens the case in `case_dir`, creating it (the folder, evidence/, case.db and a case.open
  // record with `if_new`) when it does not exist. The folder's name is the case id and must pass
  // ValidateCaseId. Fails when case.db is not a cordon case, was written by a newer cordon, or
  // belongs to a case with another id. `clock` (default: the system clock) must outlive the store.
  [[nodiscard]] static Result<std::unique_ptr<CaseStore>> Open(const std::filesystem::path& case_dir,
                                                               const CaseInfo& if_new,
                                                               Clock* clock = nullptr);
  // As Open, but kNotFound instead of creating a case (for resume, verify, report).
  [[nodiscard]] static Result<std::unique_ptr<CaseStore>> OpenExisting(const std::filesystem::path& case_dir,
                                                                       Clock* clock = nullptr);
  ~CaseStore();
  CaseStore(const CaseStore&) = delete;
  CaseStore& operator=(const CaseStore&) = delete;

  const std::string& id() const { return id_; }
  const std::filesystem::path& dir() const { return dir_; }
  bool newly_created() const { return newly_created_; }

  Journal& journal() { return journal_; }
  PreStateStore& pre_state() { return pre_state_; }
  EvidenceLedger& evidence() { return evidence_; }

  [[nodiscard]] Result<CaseSummary> Summary();

  // Sets the case status ([a-z][a-z0-9-]{0,31}: "open", "contained", "released", "closed", ...),
  // journaled as case.status {"from", "to"}.
  [[nodiscard]] Status SetStatus(std::string_view status);

  // `cordon case verify`: the journal chain and its anchor (Journal::Verify), every pre-state and
  // evidence row against the journal record that logged it, and, when check_files, every stored
  // evidence file against its recorded size and SHA-256.
  [[nodiscard]] Result<VerifyReport> Verify(bool check_files = true,
                                            const std::optional<JournalHead>& external = std::nullopt);

 private:
  CaseStore(std::string id, std::filesystem::path dir, std::unique_ptr<detail::Database> db, Clock* clock,
            bool newly_created);
  static Result<std::unique_ptr<CaseStore>> DoOpen(const std::filesystem::path& case_dir,
                                                   const CaseInfo* if_new, Clock* clock);

  std::string id_;
  std::filesystem::path dir_;
  std::unique_ptr<detail::Database> db_;  // declared before the parts that point into it
  Clock* clock_;
  bool newly_created_;
  Journal journal_;
  PreStateStore pre_state_;
  EvidenceLedger evidence_;
};

// Every case under `root` (each sub-folder with a case.db), sorted by id. A case that cannot be
// read is listed with `error` set rather than failing the listing. A missing root is no cases.
[[nodiscard]] Result<std::vector<CaseSummary>> ListCases(const std::filesystem::path& root);

}  // namespace cordon::evidence
