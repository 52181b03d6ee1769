// libFuzzer target for gzip decompression: any bytes, read whole (libdeflate) and streamed (zlib). Both
// readers must agree: when the whole read succeeds the stream delivers the same bytes, and the whole
// read never returns more than its bound (a gzip bomb is refused, not inflated).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "hunt/byte_buffer.h"
#include "hunt/decompress.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cordon;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  constexpr size_t kMaxOutput = 1 << 20;
  hunt::ByteBuffer whole;
  const Status whole_status = hunt::GunzipWhole(input, kMaxOutput, &whole);
  if (whole_status) CORDON_FUZZ_CHECK(whole.size() <= kMaxOutput);
  if (!whole_status) {
    const ErrorKind kind = whole_status.error().kind;
    CORDON_FUZZ_CHECK(kind == ErrorKind::kParse || kind == ErrorKind::kInvalidArgument);
  }

  std::string streamed;
  const Status stream_status = hunt::GunzipStream(input, 4096, [&](std::string_view piece) -> Status {
    CORDON_FUZZ_CHECK(piece.size() <= 4096);
    streamed.append(piece);
    if (streamed.size() > 2 * kMaxOutput) return MakeError(ErrorKind::kInvalidArgument, "fuzz: enough");
    return {};
  });
  if (whole_status) {
    if (!stream_status) std::fprintf(stderr, "stream: %s\n", stream_status.error().message.c_str());
    CORDON_FUZZ_CHECK(stream_status);
    CORDON_FUZZ_CHECK(streamed == whole.view());
  }
  return 0;
}
