#include "hunt/sigma/object_prefilter.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>

#include "base/strings.h"
#include "hunt/sigma/ascii_fold.h"
#include "hunt/sigma/object_literal.h"
#include "hunt/sigma/raw_key_value.h"

namespace cordon::hunt::sigma {

// A field path the needs test: its parts, and which needle finds its key (the last part and its closing
// quote; paths ending in the same part share it).
struct ObjectPrefilter::Path {
  std::vector<std::string> parts;
  size_t needle = 0;
};

// A value need's item and path (into paths_), with a gate for each of its `re` values (null for the other
// kinds).
// A pattern value also keeps its longest literal piece, which every text it matches holds: found by a
// plain loop, where the pattern's backtracking at `*` tries every start (`*TruffleHog*` on every user agent).
struct ObjectPrefilter::Leaf {
  const DetectionItem* item = nullptr;
  size_t path = 0;
  std::vector<std::optional<RegexGate>> gates;
  std::vector<std::string> required;  // per value; empty: none
  std::vector<size_t> anchors;        // per value: the required literal's RarestByte
  // The object gate (object_literal.h): indices into object_literals_, one of which every text that
  // satisfies a value holds; empty when some value has no such literal. A regex's atoms are lower-cased
  // by Unicode rules, so its gate rules out only ASCII objects.
  std::vector<size_t> gate;
  bool gate_needs_ascii = false;
};

// One key occurrence with a value the rules may test. Offsets fit 32 bits: Triggers refuses larger
// objects (the hunt decompresses at most 256 MiB per object).
struct ObjectPrefilter::Occurrence {
  static constexpr uint32_t kUnknown = std::numeric_limits<uint32_t>::max();
  uint32_t at;     // the key's offset: the trigger
  uint32_t begin;  // the value's text
  uint32_t size;   // kUnknown: the raw bytes cannot show the value
};

// What one Triggers call has found so far, each list computed on first use.
struct ObjectPrefilter::State {
  std::string_view text;
  size_t entries_left = 0;
  bool over = false;  // more than the entries allowed: the caller walks every record
  std::vector<std::optional<std::vector<unsigned>>> needles;
  std::vector<std::optional<std::vector<Occurrence>>> paths;
  std::vector<std::optional<std::vector<unsigned>>> leaves;
  // The object's backslashes and whether it is ASCII (object_literal.h); !bytes_known when it holds too
  // many backslashes to keep: then no gate closes and the `\u` escapes are found by a pass of their own.
  ObjectBytes bytes;
  bool bytes_known = false;
  std::vector<std::optional<std::vector<unsigned>>> literal_hits;  // per object_literals_
  // The eager pass's lists, and per searchable_ its list's index there (-1: not searched by it).
  std::vector<std::vector<unsigned>> eager;
  std::vector<int> eager_slot;

  bool Take(size_t n = 1) {
    if (entries_left < n) {
      over = true;
      entries_left = 0;
      return false;
    }
    entries_left -= n;
    return true;
  }
};

namespace {

// An `and` whose operand has this many offsets or fewer in the object takes them (see Trigger).
constexpr size_t kFewOffsets = 16;
// A leaf's literals stand for its key only in an object with this many backslashes or fewer: each is a
// trigger of every such leaf (a record of policy documents full of escaped quotes is better told by
// its keys).
constexpr size_t kGateBackslashes = 64;

bool IsPlainLiteralList(const DetectionItem& item) {
  return std::all_of(item.values.begin(), item.values.end(), [](const ValueMatcher& v) {
    return v.kind == ValueMatcher::Kind::kPattern && v.pattern.IsLiteral();
  });
}

// A name's slot in the eventName filter: its size and its first and last bytes, ASCII-folded.
size_t NameKey(std::string_view name) {
  if (name.empty()) return 0;
  auto fold = [](char c) { return static_cast<size_t>(static_cast<unsigned char>(FoldAscii(c))); };
  return (name.size() & 15) << 8 | ((fold(name.front()) * 7 + fold(name.back())) & 0xff);
}

void CollectLeaves(const Need& need, std::vector<const Need*>* out) {
  if (need.kind == Need::Kind::kValue) out->push_back(&need);
  for (const Need& child : need.children) CollectLeaves(child, out);
}

}  // namespace

size_t ObjectPrefilter::PathOf(const FieldPath& field) {
  for (size_t i = 0; i < paths_.size(); ++i) {
    if (paths_[i].parts == field.parts) return i;
  }
  const std::string needle = field.parts.back() + "\"";
  auto it = std::find(needles_.begin(), needles_.end(), needle);
  paths_.push_back({field.parts, static_cast<size_t>(it - needles_.begin())});
  if (it == needles_.end()) needles_.push_back(needle);
  return paths_.size() - 1;
}

// The object gate of a leaf whose every value shows a literal in the raw bytes of what it matches: a
// plain value itself, a pattern's longest literal piece (`trufflehog` of `*TruffleHog*`), a regex's
// atoms. A value without one (a cidr, `*`, a regex RE2 finds no literal in) leaves the leaf ungated.
void ObjectPrefilter::AddGate(Leaf* leaf) {
  std::vector<std::pair<std::string, bool>> literals;
  for (size_t v = 0; v < leaf->item->values.size(); ++v) {
    const ValueMatcher& value = leaf->item->values[v];
    if (value.kind == ValueMatcher::Kind::kPattern) {
      const bool cased = value.pattern.cased();
      std::string text = value.pattern.IsLiteral() ? value.pattern.LiteralText() : leaf->required[v];
      literals.emplace_back(cased ? std::move(text) : ToLower(text), cased);
    } else if (value.kind == ValueMatcher::Kind::kRegex && leaf->gates[v] && !leaf->gates[v]->open()) {
      for (const std::string& atom : leaf->gates[v]->atoms()) literals.emplace_back(atom, false);
      leaf->gate_needs_ascii = true;
    } else {
      return;
    }
  }
  for (const auto& literal : literals) {
    if (!ShowsInRawBytes(literal.first)) return;
  }
  for (auto& literal : literals) {
    auto it = std::find(object_literals_.begin(), object_literals_.end(), literal);
    leaf->gate.push_back(static_cast<size_t>(it - object_literals_.begin()));
    if (it == object_literals_.end()) object_literals_.push_back(std::move(literal));
  }
}

ObjectPrefilter::ObjectPrefilter(const RuleSet& rules, FindFunction find) : rules_(rules), find_(find) {
  event_name_path_ = PathOf(FieldPath::Parse("eventName"));
  const RuleIndex& index = rules.index();
  for (size_t r = 0; r < rules.rules().size(); ++r) {
    if (index.need(r).kind == Need::Kind::kNothing) narrows_ = false;
    std::vector<const Need*> values;
    CollectLeaves(index.need(r), &values);
    for (const Need* need : values) {
      if (leaf_of_.count(need->item)) continue;
      Leaf leaf{need->item, PathOf(*need->item->field), {}};
      for (const ValueMatcher& v : need->item->values) {
        if (v.kind == ValueMatcher::Kind::kRegex) {
          leaf.gates.emplace_back(RegexGate(*v.regex));
        } else {
          leaf.gates.emplace_back();
        }
        std::string& required = leaf.required.emplace_back();
        // A plain literal is matched by size first: no gate needed.
        if (v.kind != ValueMatcher::Kind::kPattern || v.pattern.IsLiteral()) continue;
        for (const Pattern::Piece& piece : v.pattern.pieces()) {
          if (piece.kind == Pattern::Piece::Kind::kLiteral && piece.text.size() > required.size())
            required = piece.text;
        }
      }
      for (const std::string& required : leaf.required) leaf.anchors.push_back(RarestByte(required));
      AddGate(&leaf);
      leaf_of_[need->item] = leaves_.size();
      if (leaf.path == event_name_path_ && IsPlainLiteralList(*need->item)) {
        // Lower-cased as the index does: a `cased` literal then admits more texts, never fewer.
        for (const ValueMatcher& v : need->item->values) {
          const std::string name = ToLower(v.pattern.LiteralText());
          event_name_keys_.set(NameKey(name));
          std::vector<size_t>& leaves = by_event_name_[name];
          if (leaves.empty() || leaves.back() != leaves_.size()) leaves.push_back(leaves_.size());
        }
      }
      leaves_.push_back(std::move(leaf));
    }
  }
  for (const auto& [text, cased] : object_literals_) searchable_.push_back({text, cased});
  searchable_.push_back({needles_[paths_[event_name_path_].needle], true});
  asked_ = std::make_unique<std::atomic<uint64_t>[]>(searchable_.size());
}

ObjectPrefilter::~ObjectPrefilter() = default;

const std::vector<unsigned>& ObjectPrefilter::Positions(size_t needle, State* state) const {
  std::optional<std::vector<unsigned>>& found = state->needles[needle];
  if (found) return *found;
  found.emplace();
  if (needle == paths_[event_name_path_].needle && TakeEager(searchable_.size() - 1, state, &*found))
    return *found;
  const std::string_view text = state->text;
  for (size_t at = find_(text, needles_[needle], 0); at != std::string_view::npos;
       at = find_(text, needles_[needle], at + 1)) {
    if (!state->Take()) break;
    found->push_back(static_cast<unsigned>(at));
  }
  return *found;
}

const std::vector<ObjectPrefilter::Occurrence>& ObjectPrefilter::Occurrences(size_t path,
                                                                             State* state) const {
  std::optional<std::vector<Occurrence>>& found = state->paths[path];
  if (found) return *found;
  found.emplace();
  const std::string_view text = state->text;
  const Path& p = paths_[path];
  const size_t needle_size = needles_[p.needle].size();
  for (unsigned at : Positions(p.needle, state)) {
    const RawKeyValue value = ReadRawKeyValue(text, at, needle_size, p.parts);
    if (value.kind == RawKeyValue::Kind::kNotKey || value.kind == RawKeyValue::Kind::kNull) continue;
    if (!state->Take()) break;
    Occurrence o{at, 0, Occurrence::kUnknown};
    if (value.kind == RawKeyValue::Kind::kText) {
      o.begin = static_cast<uint32_t>(value.text.data() - text.data());
      o.size = static_cast<uint32_t>(value.text.size());
    }
    found->push_back(o);
  }
  return *found;
}

void ObjectPrefilter::FillEventNameLeaves(State* state) const {
  for (const auto& [name, leaves] : by_event_name_) {
    for (size_t leaf : leaves) state->leaves[leaf].emplace();
  }
  std::string folded;
  for (const Occurrence& o : Occurrences(event_name_path_, state)) {
    auto add = [&](size_t leaf) {
      std::vector<unsigned>& offsets = *state->leaves[leaf];
      if ((offsets.empty() || offsets.back() != o.at) && state->Take()) offsets.push_back(o.at);
    };
    if (o.size == Occurrence::kUnknown) {
      for (const auto& [name, leaves] : by_event_name_) std::for_each(leaves.begin(), leaves.end(), add);
      continue;
    }
    // Most names are no rule's: the filter's bit, not a hash of the folded name, tells so.
    if (!event_name_keys_.test(NameKey(state->text.substr(o.begin, o.size)))) continue;
    folded.assign(state->text.substr(o.begin, o.size));
    FoldAsciiInPlace(folded);
    auto it = by_event_name_.find(folded);
    if (it != by_event_name_.end()) std::for_each(it->second.begin(), it->second.end(), add);
  }
}

bool ObjectPrefilter::GateOpen(size_t leaf, const State& state) const {
  return !leaves_[leaf].gate.empty() && state.bytes_known &&
         state.bytes.backslashes.size() <= kGateBackslashes &&
         (!leaves_[leaf].gate_needs_ascii || state.bytes.ascii);
}

bool ObjectPrefilter::KnownEmpty(size_t leaf, const State& state) const {
  if (state.leaves[leaf]) return state.leaves[leaf]->empty();
  if (!GateOpen(leaf, state) || !state.bytes.backslashes.empty()) return false;
  return std::all_of(leaves_[leaf].gate.begin(), leaves_[leaf].gate.end(), [&](size_t literal) {
    return state.literal_hits[literal] && state.literal_hits[literal]->empty();
  });
}

const std::vector<unsigned>& ObjectPrefilter::LiteralHits(size_t literal, State* state) const {
  std::optional<std::vector<unsigned>>& hits = state->literal_hits[literal];
  if (hits) return *hits;
  hits.emplace();
  if (TakeEager(literal, state, &*hits)) return *hits;
  const auto& [text, cased] = object_literals_[literal];
  for (size_t at = FindInObject(state->text, text, cased, 0); at != std::string_view::npos;
       at = FindInObject(state->text, text, cased, at + 1)) {
    if (!state->Take()) break;
    hits->push_back(static_cast<unsigned>(at));
  }
  return *hits;
}

bool ObjectPrefilter::TakeEager(size_t k, State* state, std::vector<unsigned>* out) const {
  asked_[k].fetch_add(1, std::memory_order_relaxed);
  if (state->eager_slot[k] < 0) return false;
  std::vector<unsigned>& list = state->eager[static_cast<size_t>(state->eager_slot[k])];
  if (state->Take(list.size())) *out = std::move(list);
  return true;
}

const std::vector<unsigned>& ObjectPrefilter::LeafOffsets(size_t leaf_index, State* state) const {
  std::optional<std::vector<unsigned>>& offsets = state->leaves[leaf_index];
  if (offsets) return *offsets;
  const Leaf& leaf = leaves_[leaf_index];
  if (leaf.path == event_name_path_ && IsPlainLiteralList(*leaf.item)) {
    FillEventNameLeaves(state);
    return *offsets;
  }
  offsets.emplace();
  if (!state->paths[leaf.path] && GateOpen(leaf_index, *state)) {
    // The key not searched yet: the records that hold one of the leaf's literals, or a backslash (an
    // escape can hide the literal from the raw bytes), are the trigger (object_literal.h).
    for (size_t literal : leaf.gate) {
      const std::vector<unsigned>& hits = LiteralHits(literal, state);
      if (!state->Take(hits.size())) return *offsets;
      offsets->insert(offsets->end(), hits.begin(), hits.end());
    }
    if (!state->Take(state->bytes.backslashes.size())) return *offsets;
    offsets->insert(offsets->end(), state->bytes.backslashes.begin(), state->bytes.backslashes.end());
    if (leaf.gate.size() > 1 || !state->bytes.backslashes.empty()) {
      std::sort(offsets->begin(), offsets->end());
      offsets->erase(std::unique(offsets->begin(), offsets->end()), offsets->end());
    }
    return *offsets;
  }
  for (const Occurrence& o : Occurrences(leaf.path, state)) {
    bool could = o.size == Occurrence::kUnknown;
    // Any one value matching the occurrence: with `all`, each value needs an occurrence of its own, so the
    // record holds one that matches the first value at least.
    for (size_t v = 0; !could && v < leaf.item->values.size(); ++v) {
      const std::string_view text = state->text.substr(o.begin, o.size);
      if (leaf.gates[v] && !leaf.gates[v]->MayMatch(text)) continue;
      const std::string& required = leaf.required[v];
      if (!required.empty() &&
          !ContainsLiteral(text, required, leaf.item->values[v].pattern.cased(), leaf.anchors[v]))
        continue;
      could = TextMatches(leaf.item->values[v], text);
    }
    if (could && state->Take()) offsets->push_back(o.at);
  }
  return *offsets;
}

bool ObjectPrefilter::Trigger(const Need& need, State* state, std::vector<unsigned>* out) const {
  switch (need.kind) {
    case Need::Kind::kNothing:
      return false;
    case Need::Kind::kValue: {
      const std::vector<unsigned>& offsets = LeafOffsets(leaf_of_.at(need.item), state);
      out->insert(out->end(), offsets.begin(), offsets.end());
      return true;
    }
    case Need::Kind::kAny:
      for (const Need& child : need.children) {
        if (!Trigger(child, state, out)) return false;
      }
      return true;
    case Need::Kind::kAll:
      break;
  }
  // An operand known to have no offset first (its literals are absent: the `and` ends there), then the
  // eventName operands (one hash lookup per record, and often no such record in the object), then those
  // whose key the object was already searched for or whose literals stand for their key (one search of
  // the object, no occurrence read): an operand with no offset here ends the `and` before a search of
  // the whole object for another key.
  auto rank = [&](const Need* c) {
    if (c->kind != Need::Kind::kValue) return 3;
    const size_t leaf = leaf_of_.at(c->item);
    if (KnownEmpty(leaf, *state)) return 0;
    const size_t path = leaves_[leaf].path;
    if (path == event_name_path_) return 1;
    return state->leaves[leaf] || state->paths[path] || GateOpen(leaf, *state) ? 2 : 3;
  };
  std::vector<std::pair<int, const Need*>> order;
  for (const Need& child : need.children) order.emplace_back(rank(&child), &child);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::optional<std::vector<unsigned>> shortest;
  std::vector<unsigned> own;
  for (const auto& [unused, child] : order) {
    own.clear();
    if (!Trigger(*child, state, &own)) continue;  // needs nothing: does not narrow the `and`
    if (!shortest || own.size() < shortest->size()) shortest = own;
    // Any operand's trigger is the `and`'s: a few records are cheaper to locate and check than another
    // search of the whole object (the role-session rule's `AssumedRole` ends it before `Role`).
    if (shortest->size() <= kFewOffsets || state->over) break;
  }
  if (!shortest) return false;
  out->insert(out->end(), shortest->begin(), shortest->end());
  return true;
}

bool ObjectPrefilter::Triggers(std::string_view text, size_t max_entries,
                               std::vector<size_t>* offsets) const {
  offsets->clear();
  if (!narrows_ || text.size() >= Occurrence::kUnknown) return false;
  const RuleIndex& index = rules_.index();
  State state;
  state.text = text;
  state.entries_left = max_entries;
  state.needles.resize(needles_.size());
  state.paths.resize(paths_.size());
  state.leaves.resize(leaves_.size());
  state.literal_hits.resize(object_literals_.size());
  // Backslashes are rare in CloudTrail (escaped quotes in policy documents); an object with more than
  // this many is searched by key for every leaf.
  constexpr size_t kMaxBackslashes = 4096;
  state.bytes_known = ScanObjectBytes(text, std::min(kMaxBackslashes, max_entries), &state.bytes);
  if (state.bytes_known) state.entries_left -= state.bytes.backslashes.size();
  // The searches most objects so far asked for, in one pass (none for the first object).
  const uint64_t seen = objects_.fetch_add(1, std::memory_order_relaxed);
  std::vector<ObjectLiteral> eager;
  state.eager_slot.assign(searchable_.size(), -1);
  for (size_t k = 0; k < searchable_.size(); ++k) {
    if (seen == 0 || 2 * asked_[k].load(std::memory_order_relaxed) < seen) continue;
    state.eager_slot[k] = static_cast<int>(eager.size());
    eager.push_back(searchable_[k]);
  }
  if (!eager.empty() && !FindAllInObject(text, eager, state.entries_left, &state.eager))
    state.eager_slot.assign(searchable_.size(), -1);  // too many: each search on its own, as asked
  std::vector<unsigned> all;
  // The rules that search a key whatever the object holds first (a need on one key, or an `or` of such):
  // the `and`s after them then find those keys searched (see Trigger).
  auto single = [](const Need& n) {
    return n.kind == Need::Kind::kValue ||
           (n.kind == Need::Kind::kAny &&
            std::all_of(n.children.begin(), n.children.end(),
                        [](const Need& c) { return c.kind == Need::Kind::kValue; }));
  };
  for (const bool first : {true, false}) {
    for (size_t r = 0; r < rules_.rules().size() && !state.over; ++r) {
      if (single(index.need(r)) != first) continue;
      if (!Trigger(index.need(r), &state, &all)) return false;
      if (all.size() > max_entries) state.over = true;
    }
  }
  // A `\u` escape could spell a key (`"event\u004eame"`) the searches miss: its record is a candidate of
  // every rule (RuleIndex::Candidates).
  // Its backslash was found by the pass over the object's bytes; an object with too many for that pass
  // to keep is searched again by memchr, which reads each byte once.
  const char* const begin = text.data();
  if (state.bytes_known) {
    for (unsigned at : state.bytes.backslashes) {
      if (at + 1 < text.size() && text[at + 1] == 'u' && state.Take()) all.push_back(at);
    }
  }
  for (const char* p = begin; !state.bytes_known && !state.over;) {
    p = static_cast<const char*>(std::memchr(p, '\\', static_cast<size_t>(begin + text.size() - p)));
    if (p == nullptr || p + 1 == begin + text.size()) break;
    if (p[1] == 'u' && state.Take()) all.push_back(static_cast<unsigned>(p - begin));
    ++p;
  }
  if (state.over || all.size() > max_entries) return false;
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  offsets->assign(all.begin(), all.end());
  return true;
}

}  // namespace cordon::hunt::sigma
