// Helpers shared by the hunt tests (header-only; not part of the library). TestData() names a file
// under tests/data/ (::cordon::test::TestDataDir()), where the public samples the tests read are kept.
#pragma once

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "hunt/scanner.h"
#include "hunt/source.h"
#include "testing/temp_dir.h"
#include "testing/test_paths.h"

namespace cordon::hunt::testing {

inline std::string TestData(std::string_view relative) {
  return std::string(::cordon::test::TestDataDir()) + "/" + std::string(relative);
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// One gzip member of `data` (zlib, level 6).
inline std::string Gzip(std::string_view data, int level = 6) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

using cordon::test::TempDir;

// Runs a hunt over local paths.
inline HuntResults Hunt(const Selectors& selectors, const std::vector<std::pair<LogKind, std::string>>& paths,
                        const ScanOptions& options = {}) {
  std::vector<SourceSpec> sources;
  for (auto& [kind, path] : paths) sources.push_back({kind, std::make_unique<LocalSource>(path)});
  Result<HuntResults> r = RunHunt(selectors, sources, options);
  if (!r) throw std::runtime_error(r.error().message);
  return std::move(*r);
}

}  // namespace cordon::hunt::testing
