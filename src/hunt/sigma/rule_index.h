// The rules indexed by the values they pin, so that a record is tested only against the rules that can
// match it, decided from the record's raw bytes before it is parsed.
//
// What a rule needs is derived from its detection: a detection item `field: values` (no `neq`, no `null`,
// string patterns, `re` or `cidr`) can only hold when a key of the field's path holds a string those
// values match. A search identifier needs every such item of one of its alternatives; a condition's `and`
// needs all of its operands' needs, `or` one of them, `not` nothing (a missing value satisfies it).
//
// How a record is checked, without parsing it: every occurrence of the key (`"eventName"` followed by `:`)
// is found literally in the raw bytes and the string after it is tested with the item's own matchers.
// Every occurrence, at any depth, is taken: a superset of the value the rule will see. Where the raw bytes
// cannot be trusted to hold the value as it will be parsed, the need is taken as met: a value that is not a
// string or holds an escape (`\`), and a record with a `\u` escape anywhere (a key could be written with
// one). So the candidates always include every rule that matches; the exact matcher then decides.
//
// Rules that pin `eventName` to plain values (52 of SigmaHQ's 57 CloudTrail rules) are found by one hash
// lookup of the record's eventName; only the others are checked one by one.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hunt/sigma/rule.h"

namespace cordon::hunt::sigma {

// Finds `needle` in `hay` at or after `from`; npos when absent. The hunt passes its SIMD search.
using FindFunction = size_t (*)(std::string_view hay, std::string_view needle, size_t from);
size_t PlainFind(std::string_view hay, std::string_view needle, size_t from);

// What a rule needs of a record for it to match at all.
struct Need {
  enum class Kind { kNothing, kValue, kAll, kAny };
  Kind kind = Kind::kNothing;
  const DetectionItem* item = nullptr;  // kValue: the item (owned by the rule) whose field must hold a match
  size_t path = 0;                      // kValue: index into RuleIndex's paths
  std::vector<Need> children;           // kAll, kAny
};

class RuleIndex {
 public:
  // Per-record scratch space, reused from record to record; one per worker. What the record's raw bytes
  // hold for each path the needs test, found on first use.
  struct Scratch {
    struct Values {
      bool found = false;    // the path was looked up in this record
      bool unknown = false;  // an occurrence cannot be read from the raw bytes: assume a match
      std::vector<std::string_view> texts;
    };
    std::vector<Values> paths;
    std::vector<char> marked;
    std::string folded;  // the lower-cased eventName being looked up
  };

  // `rules` must outlive the index (it keeps pointers to their detection items).
  explicit RuleIndex(const std::vector<Rule>& rules, FindFunction find = PlainFind);
  ~RuleIndex();
  RuleIndex(const RuleIndex&) = delete;
  RuleIndex& operator=(const RuleIndex&) = delete;

  // Replaces *out with the indices (ascending) of the rules that may match `record`, the raw text of
  // one JSON value. Every rule that matches the record as parsed is among them.
  void Candidates(std::string_view record, Scratch* scratch, std::vector<size_t>* out) const;

  std::unique_ptr<Scratch> NewScratch() const;

  const Need& need(size_t rule) const { return needs_[rule]; }
  // Rules found through the eventName lookup; the rest are checked one by one.
  size_t by_event_name() const { return rules_ - unindexed_.size(); }

 private:
  struct Path;
  // Finds the texts `path` has in `record` into scratch->paths[path], once per record.
  void Lookup(size_t path, std::string_view record, Scratch* scratch) const;
  bool Holds(const Need& need, std::string_view record, Scratch* scratch) const;

  size_t rules_ = 0;
  FindFunction find_;
  std::vector<Need> needs_;
  std::vector<Path> paths_;
  size_t event_name_path_ = 0;
  std::unordered_map<std::string, std::vector<size_t>> by_event_name_;  // lower-cased name -> rules
  std::vector<size_t> unindexed_;
};

}  // namespace cordon::hunt::sigma
