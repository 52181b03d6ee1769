#include "hunt/decompress.h"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

namespace cordon::hunt {
namespace {

struct DecompressorDeleter {
  void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
};

// One decompressor per thread: allocation is cheap but not free, and objects are many.
libdeflate_decompressor* ThreadDecompressor() {
  thread_local std::unique_ptr<libdeflate_decompressor, DecompressorDeleter> d(
      libdeflate_alloc_decompressor());
  return d.get();
}

}  // namespace

bool IsGzip(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

size_t GzipSizeHint(std::string_view data) {
  if (data.size() < 18) return 0;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(data.data() + data.size() - 4);
  return static_cast<size_t>(p[0]) | static_cast<size_t>(p[1]) << 8 | static_cast<size_t>(p[2]) << 16 |
         static_cast<size_t>(p[3]) << 24;
}

Status GunzipWhole(std::string_view data, size_t max_output, ByteBuffer* out) {
  // Zero bytes are no gzip object (the streaming reader says so too; the fuzzer holds them to agree).
  if (data.empty()) return MakeError(ErrorKind::kParse, "not gzip data (empty)");
  libdeflate_decompressor* d = ThreadDecompressor();
  if (d == nullptr) return MakeError(ErrorKind::kInternal, "libdeflate: out of memory");
  // The first guess: the last member's ISIZE, exact for the common single-member object. Deflate cannot
  // expand more than about 1032:1, so a larger ISIZE is garbage (a truncated or corrupt object) and the
  // guess falls back to 8x the input.
  size_t guess = GzipSizeHint(data);
  if (guess == 0 || guess < data.size() / 2 || guess > data.size() * 1032) guess = data.size() * 8 + 4096;
  if (guess > max_output) guess = max_output;
  out->Clear();
  out->Reserve(guess);
  size_t in_pos = 0;
  size_t used = 0;
  int member = 0;
  while (in_pos < data.size()) {
    std::string_view rest = data.substr(in_pos);
    if (member > 0 && rest.find_first_not_of('\0') == std::string_view::npos) break;  // zero padding
    if (!IsGzip(rest)) {
      return MakeError(ErrorKind::kParse,
                       member == 0 ? std::string("not gzip data")
                                   : "trailing garbage after gzip member " + std::to_string(member));
    }
    // libdeflate skips a header CRC (FHCRC) without checking it, zlib checks it: leave such a member
    // to the streaming reader, so that both readers accept the same objects (real gzip writers
    // almost never set the flag, so this costs nothing in practice).
    constexpr unsigned char kFlagHeaderCrc = 0x02;
    if (rest.size() > 3 && (static_cast<unsigned char>(rest[3]) & kFlagHeaderCrc) != 0)
      return MakeError(ErrorKind::kInvalidArgument, "gzip header CRC present: stream it");
    while (true) {
      size_t in_used = 0;
      size_t produced = 0;
      // The buffer may be bigger than max_output (reused, with headroom): never produce more than that.
      const size_t room = std::min(out->capacity(), max_output) - used;
      const libdeflate_result r = libdeflate_gzip_decompress_ex(
          d, rest.data(), rest.size(), out->data() + used, room, &in_used, &produced);
      if (r == LIBDEFLATE_SUCCESS) {
        in_pos += in_used;
        used += produced;
        break;
      }
      if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
        if (out->capacity() >= max_output) {
          return MakeError(ErrorKind::kInvalidArgument,
                           "decompressed size exceeds " + std::to_string(max_output) + " bytes");
        }
        // Keep what earlier members produced: Reserve copies the first size() bytes.
        out->SetSize(used);
        out->Reserve(std::min(max_output, out->capacity() * 2));
        continue;
      }
      // libdeflate reports a deflate stream or trailer that is cut short as BAD_DATA.
      return MakeError(ErrorKind::kParse, "corrupt or truncated gzip data in member " +
                                              std::to_string(member + 1) + " (input byte " +
                                              std::to_string(in_pos) + ")");
    }
    ++member;
  }
  out->SetSize(used);
  return Ok();
}

Status GunzipStream(std::string_view data, size_t chunk_size,
                    const std::function<Status(std::string_view piece)>& sink) {
  z_stream zs;
  std::memset(&zs, 0, sizeof(zs));
  // 16 + MAX_WBITS: expect the gzip wrapper.
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
    return MakeError(ErrorKind::kInternal, "zlib: inflateInit2 failed");
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, inflateEnd);
  std::string buffer(chunk_size == 0 ? 1 : chunk_size, '\0');
  auto consumed = [&] {
    return static_cast<size_t>(reinterpret_cast<const char*>(zs.next_in) - data.data());
  };
  // zlib counts in uInt: feed at most 1 GiB at a time.
  auto refill = [&] {
    const size_t rest = data.size() - consumed();
    zs.avail_in = static_cast<uInt>(rest > (size_t{1} << 30) ? (size_t{1} << 30) : rest);
  };
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  refill();
  int member = 0;
  while (consumed() < data.size()) {
    if (member > 0) {
      std::string_view rest = data.substr(consumed());
      // Zero padding after the last member is tolerated, as gzip -d does.
      if (rest.find_first_not_of('\0') == std::string_view::npos) break;
      if (!IsGzip(rest)) {
        return MakeError(ErrorKind::kParse, "trailing garbage after gzip member " + std::to_string(member));
      }
      inflateReset(&zs);
    }
    while (true) {
      zs.next_out = reinterpret_cast<Bytef*>(buffer.data());
      zs.avail_out = static_cast<uInt>(buffer.size());
      const int rc = inflate(&zs, Z_NO_FLUSH);
      const size_t produced = buffer.size() - zs.avail_out;
      if (produced > 0) {
        Status s = sink(std::string_view(buffer.data(), produced));
        if (!s) return s;
      }
      if (rc == Z_STREAM_END) break;
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return MakeError(ErrorKind::kParse, std::string("corrupt gzip data in member ") +
                                                std::to_string(member + 1) + ": " +
                                                (zs.msg ? zs.msg : "inflate error"));
      }
      if (zs.avail_in == 0) {
        refill();
        if (zs.avail_in == 0 && produced == 0) {
          return MakeError(ErrorKind::kParse, "truncated gzip data in member " + std::to_string(member + 1));
        }
      }
    }
    if (zs.avail_in == 0) refill();
    ++member;
  }
  if (member == 0) return MakeError(ErrorKind::kParse, "not gzip data");
  return Ok();
}

}  // namespace cordon::hunt
