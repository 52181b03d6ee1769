// The local hunt engine: lists the sources, reads and decompresses each object on a worker, and runs the
// reader for its kind of log.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "hunt/cloudtrail_reader.h"
#include "hunt/memory_budget.h"
#include "hunt/results.h"
#include "hunt/selectors.h"
#include "hunt/source.h"

namespace cordon::hunt {

enum class LogKind { kCloudTrail, kFlowLogs, kGuardDuty, kConfig };
std::string_view LogKindName(LogKind kind);

struct SourceSpec {
  LogKind kind;
  std::unique_ptr<Source> source;
};

struct ScanProgress {
  uint64_t objects_done = 0;
  uint64_t objects_total = 0;
  uint64_t bytes_read = 0;
  uint64_t bytes_total = 0;
};

struct ScanOptions {
  // Workers, each scanning one object at a time. 0: one per core.
  int threads = 0;
  // Gzip objects whose decompressed size is over this are streamed (zlib, bounded chunks) instead of
  // decompressed whole: flow logs line by line; JSON logs into a buffer of at most max_json_object bytes.
  size_t whole_object_limit = 256u << 20;
  size_t max_json_object = 1u << 30;
  size_t stream_chunk = 4u << 20;
  // The bytes all workers together may hold for objects: stored, decompressed, and what the readers
  // build over them (memory_budget.h). An object that cannot be scanned within it is skipped and
  // reported; JSON objects can be at most about a seventh of it (the parse needs its index), gzip flow
  // logs of any size are streamed. With the binary and the results, peak memory stays under 300 MB.
  size_t memory_budget = 224u << 20;
  // A flow log line longer than this is skipped and reported (real lines are under 1 KB).
  size_t max_line_bytes = 64u << 10;
  CloudTrailOptions cloudtrail;
  // Read only the CloudTrail sources (a rescan for more CloudTrail records, as role_chains.h does).
  bool cloudtrail_only = false;
  // Called now and then from a worker (never concurrently) while the scan runs.
  std::function<void(const ScanProgress&)> progress;
};

// Runs the hunt over every source. The objects' memory stays within options.memory_budget whatever the
// input and the number of threads; the matches come on top. An object that cannot be read, decompressed
// or scanned within the budget is recorded in HuntResults::skipped and the scan goes on, as is every
// entry a source listed but could not read (a FIFO, a broken link); only a source that cannot be listed
// at all (a missing folder) fails the whole hunt.
Result<HuntResults> RunHunt(const Selectors& selectors, const std::vector<SourceSpec>& sources,
                            const ScanOptions& options);

// Scans one object's stored bytes (compressed or not) as `kind`, into *results. Exposed for tests and
// fuzzers; RunHunt calls it on the workers. Scan() may write up to kReadPadding zero bytes past
// stored->size() (within its capacity, or into a copy); the contents are left as they were, so the caller
// can reuse the string's allocation for the next object.
//
// Memory: the scanner holds a Lease on `budget` (its own of options.memory_budget when null) for what it
// keeps in memory. ScanObject reads the object itself and may drop and read it again to wait for room;
// Scan is given bytes it cannot drop, so it never waits: what does not fit is skipped.
class ObjectScanner {
 public:
  ObjectScanner(const Selectors& selectors, const ScanOptions& options, MemoryBudget* budget = nullptr);
  ~ObjectScanner();
  void Scan(LogKind kind, const std::string& name, std::string* stored, HuntResults* results);
  // Reads `object` from `source` (at most its listed size) and scans it; a listed entry that is not to
  // be read (ObjectInfo::not_read) is reported as skipped.
  void ScanObject(LogKind kind, Source& source, const ObjectInfo& object, HuntResults* results);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cordon::hunt
