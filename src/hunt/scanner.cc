#include "hunt/scanner.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "base/thread_pool.h"
#include "hunt/byte_buffer.h"
#include "hunt/decompress.h"
#include "hunt/findings_reader.h"
#include "hunt/flow_log_reader.h"

namespace cordon::hunt {
namespace {

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

struct ObjectScanner::Impl {
  Impl(const Selectors& s, const ScanOptions& o)
      : options(o), cloudtrail(s, o.cloudtrail), flows(s), guardduty(s), config(s) {}

  const ScanOptions& options;
  CloudTrailReader cloudtrail;
  FlowLogReader flows;
  GuardDutyReader guardduty;
  ConfigReader config;
  ByteBuffer buffer;  // decompressed objects, reused

  void SkipObject(HuntResults* r, const std::string& name, std::string reason) {
    ++r->objects_skipped;
    r->skipped.push_back({name, "object", 1, std::move(reason)});
  }

  void ScanText(LogKind kind, const std::string& name, std::string_view text, HuntResults* r) {
    r->bytes_scanned += text.size();
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      SkipObject(r, name, text.empty() ? "empty file" : "file holds only whitespace");
      return;
    }
    switch (kind) {
      case LogKind::kCloudTrail:
        cloudtrail.Scan(name, text, r);
        break;
      case LogKind::kFlowLogs:
        flows.Scan(name, text, r);
        break;
      case LogKind::kGuardDuty:
        guardduty.Scan(name, text, r);
        break;
      case LogKind::kConfig:
        config.Scan(name, text, r);
        break;
    }
  }

  void Scan(LogKind kind, const std::string& name, std::string& stored, HuntResults* r) {
    ++r->objects;
    r->bytes_read += stored.size();
    if (!IsGzip(stored)) {
      if (stored.capacity() >= stored.size() + kReadPadding) {
        // The source reserved the padding: no copy. Zero it so reads past the end are deterministic.
        const size_t size = stored.size();
        stored.resize(size + kReadPadding, '\0');
        stored.resize(size);
        ScanText(kind, name, stored, r);
      } else {
        buffer.Clear();
        buffer.Append(stored);
        buffer.SetSize(buffer.size());
        ScanText(kind, name, buffer.view(), r);
      }
      return;
    }
    const size_t hint = GzipSizeHint(stored);
    if (hint <= options.whole_object_limit) {
      Status s = GunzipWhole(stored, options.whole_object_limit, &buffer);
      if (s) {
        ScanText(kind, name, buffer.view(), r);
        return;
      }
      if (s.error().kind != ErrorKind::kInvalidArgument) {  // corrupt or truncated
        SkipObject(r, name, s.error().message);
        return;
      }
      // Bigger than the hint said (multi-member objects): stream it.
    }
    if (kind == LogKind::kFlowLogs) {
      flows.Begin(name, r);
      uint64_t scanned = 0;
      Status s = GunzipStream(stored, options.stream_chunk, [&](std::string_view piece) -> Status {
        scanned += piece.size();
        flows.Feed(piece);
        return Ok();
      });
      flows.Finish();
      r->bytes_scanned += scanned;
      if (!s) SkipObject(r, name, s.error().message + " (the lines before it were scanned)");
      return;
    }
    buffer.Clear();
    Status s = GunzipStream(stored, options.stream_chunk, [&](std::string_view piece) -> Status {
      if (buffer.size() + piece.size() > options.max_json_object) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "decompressed object is over " + std::to_string(options.max_json_object) + " bytes");
      }
      buffer.Append(piece);
      return Ok();
    });
    if (!s) {
      SkipObject(r, name, s.error().message);
      return;
    }
    buffer.SetSize(buffer.size());
    ScanText(kind, name, buffer.view(), r);
  }
};

ObjectScanner::ObjectScanner(const Selectors& selectors, const ScanOptions& options)
    : impl_(std::make_unique<Impl>(selectors, options)) {}
ObjectScanner::~ObjectScanner() = default;

void ObjectScanner::Scan(LogKind kind, const std::string& name, std::string* stored, HuntResults* results) {
  impl_->Scan(kind, name, *stored, results);
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

  auto worker = [&](size_t index) {
    ObjectScanner scanner(selectors, options);
    HuntResults& results = partials[index];
    std::string stored;  // compressed bytes, reused from object to object (see Source::ReadInto)
    for (size_t i = next.fetch_add(1); i < work.size(); i = next.fetch_add(1)) {
      const Work& w = work[i];
      if (Status s = w.source->ReadInto(w.object.name, &stored); !s) {
        ++results.objects;
        ++results.objects_skipped;
        results.skipped.push_back({w.object.name, "object", 1, s.error().message});
      } else {
        scanner.Scan(w.kind, w.object.name, &stored, &results);
      }
      done.fetch_add(1);
      bytes_done.fetch_add(w.object.size);
      if (options.progress) {
        std::unique_lock<std::mutex> lock(progress_mu, std::try_to_lock);
        const auto now = std::chrono::steady_clock::now();
        if (lock.owns_lock() && now - last_report > std::chrono::milliseconds(500)) {
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
