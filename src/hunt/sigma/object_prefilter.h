// Which records of a whole object (a CloudTrail delivery object: hundreds of records) some rule may match,
// found with one search per key over the object instead of one per key per record, so that the records
// no rule can match are never walked to.
//
// Every rule gets a trigger: a list of offsets into the object such that every record the rule matches
// holds one of them. A value need's trigger (rule_index.h) is the occurrences of its key whose raw value
// could satisfy one of the item's values, read as the index reads a record (raw_key_value.h: occurrences at
// any depth, and any value the raw bytes cannot show is taken as a match). An `or`'s trigger is the union
// of its operands'; an `and`'s is one of its operands' in this object (a record that matches holds an
// offset of every operand's, so of that one's too). Every `\u` in the object is a trigger for
// every rule: a key could be written with one, and the index takes such a record as a candidate of all.
// A value need whose every value holds a literal (`trufflehog` of `*TruffleHog*`, `assumedrole`) and
// whose key was not searched yet takes the literal's occurrences in the whole object instead, and the
// object's backslashes (an escape can hide the literal from the raw bytes; object_literal.h): a record
// where it holds holds one of them, and its key's occurrences are never read. An `and` takes the first
// operand with few offsets, not necessarily the shortest.
// The reader then gives each record that holds a trigger to the RuleIndex, which decides as before; a
// record that holds none is no rule's candidate there either, so the matches are the same.
#pragma once

#include <atomic>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hunt/sigma/object_literal.h"
#include "hunt/sigma/regex_gate.h"
#include "hunt/sigma/rule_index.h"
#include "hunt/sigma/rule_set.h"

namespace cordon::hunt::sigma {

class ObjectPrefilter {
 public:
  // Built from the needs of `rules`' index, which must outlive it; `find` is the literal search (as the
  // index's). Cheap to build (a few dozen needs); thread-safe after construction.
  ObjectPrefilter(const RuleSet& rules, FindFunction find);
  ~ObjectPrefilter();
  ObjectPrefilter(const ObjectPrefilter&) = delete;
  ObjectPrefilter& operator=(const ObjectPrefilter&) = delete;

  // Replaces *offsets with the triggers in `text`, ascending and without repeats: an empty list means no
  // record of `text` can match a rule. Returns false (and *offsets is unspecified) when the object cannot
  // be narrowed: a rule needs nothing of a record (every record is its candidate), or keeping the key
  // occurrences and triggers would take more than `max_entries` entries (memory the input sizes; each
  // entry is at most 12 bytes).
  bool Triggers(std::string_view text, size_t max_entries, std::vector<size_t>* offsets) const;

  // False when some rule needs nothing of a record: Triggers always returns false.
  bool narrows() const { return narrows_; }

 private:
  struct Path;
  struct Leaf;
  struct Occurrence;
  struct State;

  const std::vector<unsigned>& Positions(size_t needle, State* state) const;
  const std::vector<Occurrence>& Occurrences(size_t path, State* state) const;
  const std::vector<unsigned>& LeafOffsets(size_t leaf, State* state) const;
  // Whether the leaf's literals can stand for its key in this object (object_literal.h): it has them,
  // the object's backslashes are known, and it is ASCII when they are a regex's.
  bool GateOpen(size_t leaf, const State& state) const;
  // Whether the leaf is known to have no offset in the object without another search.
  bool KnownEmpty(size_t leaf, const State& state) const;
  const std::vector<unsigned>& LiteralHits(size_t literal, State* state) const;
  // Counts the object as one that asked for searchable_[k], and moves the eager pass's list of it into
  // *out when the pass made it (false when not).
  bool TakeEager(size_t k, State* state, std::vector<unsigned>* out) const;
  void FillEventNameLeaves(State* state) const;
  // Appends the need's trigger to *out; false when the need has none (it needs nothing).
  bool Trigger(const Need& need, State* state, std::vector<unsigned>* out) const;

  size_t PathOf(const FieldPath& field);
  void AddGate(Leaf* leaf);

  const RuleSet& rules_;
  FindFunction find_;
  std::vector<Path> paths_;
  std::vector<std::string> needles_;  // distinct: paths ending in the same key share one search
  size_t event_name_path_ = 0;
  std::vector<Leaf> leaves_;
  // The literals of the leaves' object gates, distinct (two TruffleHog rules share `trufflehog`), and
  // whether each is compared with case.
  std::vector<std::pair<std::string, bool>> object_literals_;
  // The searches one FindAllInObject pass per object makes before any need asks (object_literal.h: its
  // table pass costs about as much for eight literals as for one): the object literals, then the
  // eventName needle, each once at least half of the objects so far asked for it. A literal that only
  // an `and`'s later operand needs is seldom asked for, and searching it in every object would cost more
  // than the pass saves. Either way the lists are the same: only the cost differs.
  std::vector<ObjectLiteral> searchable_;
  mutable std::unique_ptr<std::atomic<uint64_t>[]> asked_;  // per searchable_: the objects that asked
  mutable std::atomic<uint64_t> objects_{0};
  std::unordered_map<const DetectionItem*, size_t> leaf_of_;
  // The leaves on eventName whose values are all plain literals: found by one hash lookup of each
  // eventName's lower-cased text, as the index finds its rules.
  std::unordered_map<std::string, std::vector<size_t>> by_event_name_;
  // A filter in front of it: a bit per size, first and last byte of its names (see NameKey).
  std::bitset<4096> event_name_keys_;
  bool narrows_ = true;
};

}  // namespace cordon::hunt::sigma
