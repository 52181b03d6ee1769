// The write-once record of each target's state before containment, which `release` restores.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "base/time.h"

namespace cordon::evidence {

namespace detail {
class Database;
}

struct PreStateRecord {
  std::string target;
  Json state;
  std::string time;    // when it was recorded (ISO 8601 UTC)
  int64_t seq = 0;     // the pre_state.recorded journal record
  std::string sha256;  // of the state's compact JSON as stored; the journal record carries the same
};

// Reads and writes the pre_state table of one case. Thread-safe; `db` and `clock` must outlive it.
class PreStateStore {
 public:
  PreStateStore(detail::Database* db, Clock* clock) : db_(db), clock_(clock) {}

  // Records `state` as the pre-containment state of `target` (an instance id) unless one is already
  // recorded, and returns what is recorded: on a rerun that is the original, never the new `state`,
  // so a second run after a partial containment cannot overwrite the state `release` needs.
  // The row and its pre_state.recorded journal record ({"sha256", "size"}) are written in one
  // transaction. `*recorded_now`, when given, says whether this call wrote it.
  [[nodiscard]] Result<PreStateRecord> RecordPreState(std::string_view target, const Json& state,
                                                      bool* recorded_now = nullptr);

  // The recorded state of `target`, or nullopt when none was recorded.
  [[nodiscard]] Result<std::optional<PreStateRecord>> PreState(std::string_view target);

  // Every recorded pre-state, in the order they were recorded.
  [[nodiscard]] Result<std::vector<PreStateRecord>> All();

  // Checks every row against the journal record that logged it and appends what does not match to
  // `problems` (part of CaseStore::Verify). Errors only when the database cannot be read.
  [[nodiscard]] Status Check(std::vector<std::string>* problems);

 private:
  detail::Database* db_;
  Clock* clock_;
};

}  // namespace cordon::evidence
