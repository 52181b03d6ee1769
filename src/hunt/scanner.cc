#include "hunt/scanner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "base/thread_pool.h"
#include "hunt/byte_buffer.h"
#include "hunt/decompress.h"
#include "hunt/findings_reader.h"
#include "hunt/flow_log_reader.h"

namespace cordon::hunt {
namespace {

// At most two progress reports a second: often enough to look alive on a terminal, rarely enough that
// the workers do not wait on the report's lock.
constexpr std::chrono::milliseconds kProgressInterval{500};

ListOptions ListOptionsFor(LogKind kind, const Selectors& selectors) {
  ListOptions options;
  options.since = selectors.since;
  options.until = selectors.until;
  switch (kind) {
    case LogKind::kCloudTrail:
      options.suffixes = {".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz"};
      options.exclude = {"/CloudTrail-Digest/"};
      break;
    case LogKind::kFlowLogs:
      options.suffixes = {".log", ".log.gz", ".txt", ".txt.gz", ".gz"};
      break;
    case LogKind::kGuardDuty:
    case LogKind::kConfig:
      options.suffixes = {".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz"};
      break;
  }
  return options;
}

}  // namespace

std::string_view LogKindName(LogKind kind) {
  switch (kind) {
    case LogKind::kCloudTrail:
      return "cloudtrail";
    case LogKind::kFlowLogs:
      return "flow-logs";
    case LogKind::kGuardDuty:
      return "guardduty";
    case LogKind::kConfig:
      return "config";
  }
  return "?";
}

namespace {

// What a JSON reader may build over each byte of the text it scans, at most: simdjson's structural index
// (a uint32 per structural character, at worst one per byte) and, for CloudTrail, the prefilter's hit
// list (capped at one hit per 64 bytes, 16 bytes each, doubled while it grows; with whole-trail Sigma the
// rules' triggers instead, under the same cap, at most 24 bytes each at once); for GuardDuty and Config,
// also the lists of array elements (16 bytes per element of at least 3 bytes, doubled) and the nested
// documents' parsers. Worst cases, since the input is the attacker's: a bomb of "[[[[" has a structural
// at every byte.
size_t ParseBytesPerByte(LogKind kind) {
  switch (kind) {
    case LogKind::kCloudTrail:
      return 5;
    case LogKind::kGuardDuty:
    case LogKind::kConfig:
      return 16;
    case LogKind::kFlowLogs:
      return 0;  // fed in pieces of stream_chunk: see FeedFlows
  }
  return 16;
}

bool IsJson(LogKind kind) { return kind != LogKind::kFlowLogs; }

std::string Bytes(size_t n) { return std::to_string(n) + " bytes"; }

}  // namespace

// Outside the anonymous namespace because ObjectScanner::Impl, declared in the header, holds it: GCC
// rejects a member of internal-linkage type there once this file is part of a unity build
// (-Wsubobject-linkage), as scripts/test.sh builds it.
namespace scanner_detail {

struct Readers {
  Readers(const Selectors& s, const ScanOptions& o)
      : cloudtrail(s, o.cloudtrail), flows(s, o.max_line_bytes), guardduty(s), config(s) {}
  CloudTrailReader cloudtrail;
  FlowLogReader flows;
  GuardDutyReader guardduty;
  ConfigReader config;
};

}  // namespace scanner_detail
using scanner_detail::Readers;

struct ObjectScanner::Impl {
  Impl(const Selectors& s, const ScanOptions& o, MemoryBudget* shared)
      : selectors(s),
        options(o),
        own_budget(shared ? 0 : o.memory_budget),
        budget(shared ? shared : &own_budget),
        lease(budget),
        readers(std::make_unique<Readers>(s, o)) {}

  const Selectors& selectors;
  const ScanOptions& options;
  MemoryBudget own_budget;
  MemoryBudget* budget;
  Lease lease;  // covers stored bytes, `buffer` and what the readers keep (`parse_held`)
  std::unique_ptr<Readers> readers;
  ByteBuffer buffer;                     // decompressed objects, reused
  std::string stored;                    // ScanObject's compressed bytes, reused from object to object
  size_t parse_held = 0;                 // what the readers' parsers may still hold from earlier objects
  size_t object_floor = 0;               // the room the current object was given after waiting (see MakeRoom)
  const std::string* current = nullptr;  // the stored bytes being scanned (ours or the caller's)

  // Everything the worker keeps between objects is given up: the buffers' allocations, the readers (and
  // with them their parsers' indexes), and the lease. Done before waiting for room, and after an object
  // that took much of the budget, so that memory held and memory leased stay the same.
  void DropHeld(std::string* own_stored) {
    buffer.ShrinkTo(0);
    if (own_stored) {
      own_stored->clear();
      own_stored->shrink_to_fit();
    }
    readers = std::make_unique<Readers>(selectors, options);
    parse_held = 0;
    lease.Release();
  }

  enum class Room { kHeld, kDropped, kNever };

  // Makes the lease cover the stored bytes, a buffer of `text` bytes and `parse` bytes of the readers'
  // structures, beside what the worker already holds. Without waiting when the lease can grow now
  // (kHeld). Otherwise, when `own_stored` may be dropped, gives up everything held and waits for the
  // room (kDropped: the caller reads the object again); the lease then keeps the largest room this object
  // needed, so that a second pass over it does not wait again. kNever: over the whole budget, or no room
  // now and nothing that can be dropped.
  Room MakeRoom(size_t stored_bytes, size_t text, size_t parse, std::string* own_stored) {
    const size_t stored_held = std::max(stored_bytes + kReadPadding, current ? current->capacity() : 0);
    const size_t keep = stored_held + std::max(ByteBuffer::CapacityFor(text), buffer.capacity()) +
                        std::max(parse, parse_held);
    if (lease.TryGrow(keep)) return Room::kHeld;
    const size_t fresh =
        std::max(object_floor, stored_bytes + kReadPadding + ByteBuffer::CapacityFor(text) + parse);
    if (fresh > budget->total() || own_stored == nullptr) return Room::kNever;
    DropHeld(own_stored);
    if (!lease.Acquire(fresh)) return Room::kNever;
    object_floor = fresh;
    return Room::kDropped;
  }

  // The CloudTrail reader parses each candidate record on its own: an index for up to max_record_bytes.
  size_t RecordCharge(LogKind kind, size_t text) const {
    return kind == LogKind::kCloudTrail ? 4 * std::min(text, options.cloudtrail.max_record_bytes) : 0;
  }
  size_t ParseCharge(LogKind kind, size_t text) const {
    return text * ParseBytesPerByte(kind) + RecordCharge(kind, text);
  }

  void SkipObject(HuntResults* r, const std::string& name, std::string reason) {
    ++r->objects_skipped;
    r->skipped.push_back({name, "object", 1, std::move(reason)});
  }

  std::string OverBudget(size_t need) const {
    return "scanning it needs up to " + Bytes(need) + ", over the hunt's memory budget of " +
           Bytes(budget->total());
  }

  // The result of one attempt at an object's stored bytes: done, or "the bytes were dropped to wait for
  // room: read them again and retry".
  enum class Outcome { kDone, kReread };

  // MakeRoom as the scan's next move: nothing when the room is held; otherwise what the caller returns
  // (the object skipped as over the budget, needing `need`, or reread once this worker's buffers went).
  std::optional<Outcome> Reserve(const std::string& name, size_t stored, size_t buffers, size_t parse,
                                 size_t need, std::string* own_stored, HuntResults* r) {
    switch (MakeRoom(stored, buffers, parse, own_stored)) {
      case Room::kNever:
        SkipObject(r, name, OverBudget(need));
        return Outcome::kDone;
      case Room::kDropped:
        return Outcome::kReread;
      case Room::kHeld:
        break;
    }
    return std::nullopt;
  }

  // Flow logs are fed to the reader in pieces: its prefilter's hit list is then bounded by a piece.
  void FeedFlows(const std::string& name, std::string_view text, HuntResults* r) {
    FlowLogReader& flows = readers->flows;
    flows.Begin(name, r);
    const size_t piece = std::max<size_t>(options.stream_chunk, 1);
    for (size_t pos = 0; pos < text.size(); pos += piece) flows.Feed(text.substr(pos, piece));
    flows.Finish();
  }

  void ScanText(LogKind kind, const std::string& name, std::string_view text, HuntResults* r) {
    r->bytes_scanned += text.size();
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      SkipObject(r, name, text.empty() ? "empty file" : "file holds only whitespace");
      return;
    }
    parse_held = std::max(parse_held, ParseCharge(kind, text.size()));
    switch (kind) {
      case LogKind::kCloudTrail:
        readers->cloudtrail.Scan(name, text, r);
        break;
      case LogKind::kFlowLogs:
        FeedFlows(name, text, r);
        break;
      case LogKind::kGuardDuty:
        readers->guardduty.Scan(name, text, r);
        break;
      case LogKind::kConfig:
        readers->config.Scan(name, text, r);
        break;
    }
  }

  Outcome ScanPlain(LogKind kind, const std::string& name, std::string& text, std::string* own_stored,
                    HuntResults* r) {
    const bool padded = text.capacity() >= text.size() + kReadPadding;
    const size_t copy = padded || !IsJson(kind) ? 0 : text.size();
    const size_t parse = ParseCharge(kind, text.size());
    if (std::optional<Outcome> next =
            Reserve(name, text.size(), copy, parse, text.size() + copy + parse, own_stored, r))
      return *next;
    if (copy == 0) {
      // The source reserved the padding: no copy. Zero it so reads past the end are deterministic.
      const size_t size = text.size();
      if (padded) {
        text.resize(size + kReadPadding, '\0');
        text.resize(size);
      }
      ScanText(kind, name, text, r);
    } else {
      buffer.Clear();
      buffer.Reserve(text.size());  // exactly what MakeRoom counted: Append alone could double it
      buffer.Append(text);
      buffer.SetSize(buffer.size());
      ScanText(kind, name, buffer.view(), r);
    }
    return Outcome::kDone;
  }

  // Streams a gzip flow log through the reader: memory is one piece plus one line, whatever the size.
  Outcome StreamFlows(const std::string& name, std::string_view gz, std::string* own_stored, HuntResults* r) {
    const size_t pieces = options.stream_chunk + options.max_line_bytes;
    if (std::optional<Outcome> next = Reserve(name, gz.size(), pieces, 0, gz.size() + pieces, own_stored, r))
      return *next;
    FlowLogReader& flows = readers->flows;
    flows.Begin(name, r);
    uint64_t scanned = 0;
    Status s = GunzipStream(gz, options.stream_chunk, [&](std::string_view piece) -> Status {
      scanned += piece.size();
      flows.Feed(piece);
      return Ok();
    });
    flows.Finish();
    r->bytes_scanned += scanned;
    if (!s) SkipObject(r, name, s.error().message + " (the lines before it were scanned)");
    return Outcome::kDone;
  }

  // The largest decompressed JSON object that can be scanned beside `stored_bytes` within the budget:
  // the largest t with CapacityFor(t) + ParseCharge(kind, t) <= the rest (CapacityFor adds at most a
  // quarter, and the record charge is 4 * min(t, max_record_bytes)).
  size_t MaxJson(LogKind kind, size_t stored_bytes) const {
    const size_t total = budget->total();
    const size_t fixed = stored_bytes + 2 * kReadPadding;
    if (fixed >= total) return 0;
    const size_t room = total - fixed;
    const size_t per_byte4 = 5 + 4 * ParseBytesPerByte(kind);  // four times the bytes per byte
    const size_t record = kind == LogKind::kCloudTrail ? options.cloudtrail.max_record_bytes : 0;
    size_t best = std::min(room / (per_byte4 + 16) * 4, record);  // t <= record: 4 more per byte
    if (room > 4 * record) best = std::max(best, (room - 4 * record) / per_byte4 * 4);
    return std::min(best, options.max_json_object);
  }

  Outcome ScanGzip(LogKind kind, const std::string& name, std::string& gz, std::string* own_stored,
                   HuntResults* r) {
    const size_t hint = GzipSizeHint(gz);
    // Deflate cannot expand more than about 1032:1: a larger ISIZE is garbage, and a smaller one than
    // half the input too (both leave the size to be found by streaming).
    const bool plausible = hint == 0 || (hint >= gz.size() / 2 && hint / 1032 <= gz.size());
    const size_t limit = kind == LogKind::kFlowLogs ? options.whole_object_limit : MaxJson(kind, gz.size());
    if (plausible && hint <= limit) {
      // Whole-object decompression at memory speed when there is room now; flow logs stream otherwise.
      const size_t parse = ParseCharge(kind, hint);
      // Flow logs never wait for it (nullptr: nothing to drop): streaming needs little room.
      const Room room = MakeRoom(gz.size(), hint, parse, kind == LogKind::kFlowLogs ? nullptr : own_stored);
      if (room == Room::kDropped) return Outcome::kReread;
      if (room == Room::kHeld) {
        Status s = GunzipWhole(gz, hint, &buffer);
        if (s) {
          ScanText(kind, name, buffer.view(), r);
          return Outcome::kDone;
        }
        if (s.error().kind != ErrorKind::kInvalidArgument) {  // corrupt or truncated
          SkipObject(r, name, s.error().message);
          return Outcome::kDone;
        }
        // Bigger than the trailer said (several members): find the size by streaming.
      }
    }
    if (kind == LogKind::kFlowLogs) return StreamFlows(name, gz, own_stored, r);
    return StreamJson(kind, name, gz, own_stored, r);
  }

  // A JSON object whose size the trailer does not tell: measured by streaming first (nothing kept), then
  // streamed into a buffer of that size if it fits, so that no worker ever grows a buffer past its lease.
  Outcome StreamJson(LogKind kind, const std::string& name, std::string_view gz, std::string* own_stored,
                     HuntResults* r) {
    const size_t pieces = options.stream_chunk;
    if (std::optional<Outcome> next = Reserve(name, gz.size(), pieces, 0, gz.size() + pieces, own_stored, r))
      return *next;
    const size_t max = MaxJson(kind, gz.size());
    size_t size = 0;
    Status measured = GunzipStream(gz, options.stream_chunk, [&](std::string_view piece) -> Status {
      size += piece.size();
      if (size > max) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "decompressed JSON object is over " + Bytes(max) +
                             ": parsing it would need more than the hunt's memory budget of " +
                             Bytes(budget->total()) + " (or over max_json_object)");
      }
      return Ok();
    });
    if (!measured) {
      r->bytes_scanned += size;
      SkipObject(r, name, measured.error().message);
      return Outcome::kDone;
    }
    // The second stream holds its piece beside the buffer.
    if (std::optional<Outcome> next = Reserve(name, gz.size(), size + pieces, ParseCharge(kind, size),
                                              size + ParseCharge(kind, size), own_stored, r))
      return *next;
    buffer.Clear();
    buffer.Reserve(size);
    Status s = GunzipStream(gz, options.stream_chunk, [&](std::string_view piece) -> Status {
      if (buffer.size() + piece.size() > size) return MakeError(ErrorKind::kParse, "changed while read");
      buffer.Append(piece);
      return Ok();
    });
    if (!s) {
      SkipObject(r, name, s.error().message);
      return Outcome::kDone;
    }
    buffer.SetSize(buffer.size());
    ScanText(kind, name, buffer.view(), r);
    return Outcome::kDone;
  }

  Outcome ScanStored(LogKind kind, const std::string& name, std::string& bytes, std::string* own_stored,
                     HuntResults* r) {
    return IsGzip(bytes) ? ScanGzip(kind, name, bytes, own_stored, r)
                         : ScanPlain(kind, name, bytes, own_stored, r);
  }

  void Scan(LogKind kind, const std::string& name, std::string& bytes, HuntResults* r) {
    current = &bytes;
    ++r->objects;
    r->bytes_read += bytes.size();
    ScanStored(kind, name, bytes, nullptr, r);  // never kReread: nothing is dropped without own_stored
    AfterObject(nullptr);
  }

  void ScanObject(LogKind kind, Source& source, const ObjectInfo& object, HuntResults* r) {
    ++r->objects;
    if (!object.not_read.empty()) {
      SkipObject(r, object.name, object.not_read);
      return;
    }
    const size_t listed = static_cast<size_t>(object.size);
    current = &stored;
    while (true) {
      // Room for the stored bytes before they are read: the listing gave their size.
      if (stored.capacity() < listed + kReadPadding) {
        // Grown by ReadInto, the string could double its capacity past what the lease covers.
        stored.clear();
        stored.shrink_to_fit();
      }
      if (MakeRoom(listed, 0, 0, &stored) == Room::kNever) {
        SkipObject(r, object.name,
                   "stored object of " + Bytes(listed) + " is over the hunt's memory budget of " +
                       Bytes(budget->total()));
        break;
      }
      if (Status s = source.ReadInto(object.name, listed, &stored); !s) {
        SkipObject(r, object.name, s.error().message);
        break;
      }
      if (ScanStored(kind, object.name, stored, &stored, r) == Outcome::kDone) {
        r->bytes_read += stored.size();
        break;
      }
    }
    AfterObject(&stored);
  }

  // A worker that took much of the budget, or that others wait for, gives back what it holds: reuse of
  // the buffers only pays for the many small objects of a log.
  void AfterObject(std::string* own_stored) {
    object_floor = 0;
    current = own_stored;  // what stays held: our own string, not the caller's
    if (budget->waiting() || lease.held() > budget->total() / 8) DropHeld(own_stored);
  }
};

ObjectScanner::ObjectScanner(const Selectors& selectors, const ScanOptions& options, MemoryBudget* budget)
    : impl_(std::make_unique<Impl>(selectors, options, budget)) {}
ObjectScanner::~ObjectScanner() = default;

void ObjectScanner::Scan(LogKind kind, const std::string& name, std::string* stored, HuntResults* results) {
  impl_->Scan(kind, name, *stored, results);
}

void ObjectScanner::ScanObject(LogKind kind, Source& source, const ObjectInfo& object, HuntResults* results) {
  impl_->ScanObject(kind, source, object, results);
}

Result<HuntResults> RunHunt(const Selectors& selectors, const std::vector<SourceSpec>& sources,
                            const ScanOptions& options) {
  struct Work {
    LogKind kind;
    Source* source;
    ObjectInfo object;
  };
  std::vector<Work> work;
  ScanProgress progress;
  for (const SourceSpec& spec : sources) {
    if (options.cloudtrail_only && spec.kind != LogKind::kCloudTrail) continue;
    Result<std::vector<ObjectInfo>> listed = spec.source->List(ListOptionsFor(spec.kind, selectors));
    if (!listed) return WithContext(listed.error(), std::string(LogKindName(spec.kind)));
    for (ObjectInfo& object : *listed) {
      progress.bytes_total += object.size;
      work.push_back({spec.kind, spec.source.get(), std::move(object)});
    }
  }
  progress.objects_total = work.size();

  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (threads <= 0) threads = 1;
  if (static_cast<size_t>(threads) > work.size())
    threads = static_cast<int>(std::max<size_t>(work.size(), 1));

  std::atomic<size_t> next{0};
  std::atomic<uint64_t> done{0};
  std::atomic<uint64_t> bytes_done{0};
  std::mutex progress_mu;
  auto last_report = std::chrono::steady_clock::now();
  std::vector<HuntResults> partials(static_cast<size_t>(threads));

  // One budget for every worker: what each holds is leased from it (memory_budget.h).
  MemoryBudget budget(options.memory_budget);
  auto worker = [&](size_t index) {
    ObjectScanner scanner(selectors, options, &budget);
    HuntResults& results = partials[index];
    for (size_t i = next.fetch_add(1); i < work.size(); i = next.fetch_add(1)) {
      const Work& w = work[i];
      scanner.ScanObject(w.kind, *w.source, w.object, &results);
      done.fetch_add(1);
      bytes_done.fetch_add(w.object.size);
      if (options.progress) {
        std::unique_lock<std::mutex> lock(progress_mu, std::try_to_lock);
        const auto now = std::chrono::steady_clock::now();
        if (lock.owns_lock() && now - last_report > kProgressInterval) {
          last_report = now;
          ScanProgress p = progress;
          p.objects_done = done.load();
          p.bytes_read = bytes_done.load();
          options.progress(p);
        }
      }
    }
  };
  // One long-lived worker per thread, each pulling the next object: per-worker readers and buffers are
  // reused across objects, and at most `threads` objects are in memory at once.
  ParallelFor(static_cast<size_t>(threads), static_cast<size_t>(threads), worker);

  HuntResults merged;
  for (HuntResults& partial : partials) merged.Merge(std::move(partial));
  merged.Finalize();
  return merged;
}

}  // namespace cordon::hunt
