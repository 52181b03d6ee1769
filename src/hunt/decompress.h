// Gzip decompression for log objects: whole-object libdeflate first, zlib streaming as the fallback.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "hunt/byte_buffer.h"

namespace cordon::hunt {

// True when `data` starts with the gzip magic bytes (1f 8b).
bool IsGzip(std::string_view data);

// Decompresses a whole gzip object (one or several concatenated members, as `cat a.gz b.gz` makes) into
// `*out` with libdeflate. The output size is guessed from each member's ISIZE trailer and the buffer grows
// when the guess was wrong (ISIZE is the size mod 2^32, and only the last member's is readable up front).
// Fails with kParse on corrupt or truncated data, naming what is wrong, and with kInvalidArgument when the
// output would exceed `max_output` bytes (the caller then streams instead). On failure `*out` is unspecified.
// `*out` is reused: its allocation is kept between calls.
Status GunzipWhole(std::string_view data, size_t max_output, ByteBuffer* out);

// Streams a gzip object (any number of members) through zlib, handing decompressed pieces of at most
// `chunk_size` bytes to `sink` in order; memory stays bounded by chunk_size. Stops early, returning the
// sink's error, if the sink fails. Truncated or corrupt input is a kParse error after the pieces that
// decompressed cleanly were delivered.
Status GunzipStream(std::string_view data, size_t chunk_size,
                    const std::function<Status(std::string_view piece)>& sink);

// Reads the ISIZE trailer of the last member: the uncompressed size mod 2^32 (0 when data is too short).
size_t GzipSizeHint(std::string_view data);

}  // namespace cordon::hunt
