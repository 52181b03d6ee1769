// The Sigma scan of `cordon hunt --sigma` (RunHunt over the whole trail: read, decompress, walk the
// records, the rule index, the matcher) against the same reads and decompression alone, in one process
// on the same threads, run in pairs back to back. Driven by bench/hunt/run.sh --sigma-only.
//
//   hunt_sigma_bench CLOUDTRAIL_DIR RULES_PATH [RUNS]
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "base/thread_pool.h"
#include "hunt/byte_buffer.h"
#include "hunt/decompress.h"
#include "hunt/scanner.h"
#include "hunt/sigma/rule_loader.h"
#include "hunt/sigma/rule_set.h"
#include "hunt/token_matcher.h"

namespace {

using cordon::hunt::LocalSource;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// CPU seconds (user + system) of the whole process so far. On a shared machine the wall time also
// measures the other jobs; the CPU time is the work done.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return s(u.ru_utime) + s(u.ru_stime);
}

int Threads() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

// What RunHunt does before a reader sees an object: one worker per thread pulling the next object,
// reading it into a reused string and decompressing it whole into a reused buffer.
double DecompressOnly(const std::string& dir, uint64_t* bytes) {
  LocalSource source(dir);
  cordon::hunt::ListOptions list;
  list.suffixes = {".json.gz"};
  auto objects = source.List(list);
  if (!objects) return -1;
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> total{0};
  const auto start = Clock::now();
  cordon::ParallelFor(static_cast<size_t>(Threads()), static_cast<size_t>(Threads()), [&](size_t) {
    std::string stored;
    cordon::hunt::ByteBuffer buffer;
    for (size_t i = next.fetch_add(1); i < objects->size(); i = next.fetch_add(1)) {
      const auto& object = (*objects)[i];
      if (!source.ReadInto(object.name, static_cast<size_t>(object.size), &stored)) continue;
      if (cordon::hunt::GunzipWhole(stored, 256u << 20, &buffer)) total.fetch_add(buffer.size());
    }
  });
  const double s = Seconds(start);
  *bytes = total.load();
  return s;
}

double Sigma(const std::string& dir, const cordon::hunt::sigma::RuleSet& rules, size_t* matches) {
  std::vector<cordon::hunt::SourceSpec> sources;
  sources.push_back({cordon::hunt::LogKind::kCloudTrail, std::make_unique<LocalSource>(dir)});
  cordon::hunt::ScanOptions options;
  options.cloudtrail.sigma = &rules;
  const auto start = Clock::now();
  auto results = cordon::hunt::RunHunt(cordon::hunt::Selectors{}, sources, options);
  const double s = Seconds(start);
  if (!results) return -1;
  *matches = results->sigma_matches.size();
  return s;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s CLOUDTRAIL_DIR RULES_PATH [RUNS]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  auto loaded = cordon::hunt::sigma::LoadRules({argv[2]});
  if (!loaded) {
    std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
    return 2;
  }
  const size_t rule_count = loaded->rules.size();
  // The hunt command passes the same SIMD literal search (cli/hunt_command.cc).
  cordon::hunt::sigma::RuleSet rules(std::move(loaded->rules), cordon::hunt::detail::FindLiteral);
  std::vector<double> gunzip, sigma, ratio, cpu_ratio;
  uint64_t bytes = 0;
  size_t matches = 0;
  for (int r = 0; r < runs; ++r) {
    const double c0 = CpuSeconds();
    const double g = DecompressOnly(dir, &bytes);
    const double c1 = CpuSeconds();
    const double s = Sigma(dir, rules, &matches);
    const double c2 = CpuSeconds();
    if (g <= 0 || s <= 0) return 1;
    gunzip.push_back(g);
    sigma.push_back(s);
    ratio.push_back(s / g);
    cpu_ratio.push_back((c2 - c1) / (c1 - c0));
    std::printf(
        "  run %d: decompression %.3f s (%.3f s CPU), sigma scan %.3f s (%.3f s CPU), ratio %.2f wall, %.2f "
        "CPU\n",
        r + 1, g, c1 - c0, s, c2 - c1, s / g, (c2 - c1) / (c1 - c0));
  }
  std::printf("rules %zu, threads %d, decompressed %.1f MB, matches %zu\n", rule_count, Threads(),
              static_cast<double>(bytes) / 1e6, matches);
  std::printf("median decompression %.3f s (%.1f MB/s), median sigma scan %.3f s (%.1f MB/s)\n",
              Median(gunzip), static_cast<double>(bytes) / 1e6 / Median(gunzip), Median(sigma),
              static_cast<double>(bytes) / 1e6 / Median(sigma));
  std::printf("sigma scan / decompression: %.2fx wall, %.2fx CPU (medians of %d paired runs)\n",
              Median(ratio), Median(cpu_ratio), runs);
  return 0;
}
