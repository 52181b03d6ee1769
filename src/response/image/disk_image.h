// One snapshot as a raw disk image file, read through the EBS direct APIs (ebs_blocks.h) with no
// instance and no volume:
//  1. list the blocks that hold data; lay the image out as a sparse file of the volume's size (blocks
//     EBS does not list were never written and stay holes, which read as zeros);
//  2. read the missing blocks in parallel (a bounded number at a time, throttling retried with
//     backoff by the client), check each against EBS's SHA-256, write it at its offset, then record it
//     in the progress file (image_progress.h): a rerun after a crash reads only what is not recorded;
//  3. hash the whole image in block order (zeros for the holes) once every block is in.
// The first failed block stops the image: blocks being read finish, no new ones start, and the error
// names the block. What was written stays, recorded, for the rerun.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "aws/client.h"
#include "base/error.h"

namespace cordon::response::image {

struct DiskImageOptions {
  size_t threads = 16;  // GetSnapshotBlock calls in flight at once
  // Called after each block lands (blocks landed, blocks to read this run); serialized, any thread.
  std::function<void(int64_t, int64_t)> on_block;
};

struct DiskImage {
  std::string snapshot_id;
  std::filesystem::path path;
  std::string sha256;  // lowercase hex of the whole image, block 0 to the last, holes as zeros
  int64_t size = 0;
  int64_t block_size = 0;
  int64_t blocks = 0;            // in the image (size / block_size)
  int64_t blocks_with_data = 0;  // listed by EBS
  int64_t blocks_read = 0;       // read from EBS in this run
  int64_t blocks_resumed = 0;    // already in the image from an earlier run, checked locally
};

// The progress file beside an image: "<image>.progress".
std::filesystem::path ProgressPathFor(const std::filesystem::path& image);

// Writes (or finishes writing) the image of `snapshot_id` at `path`. kConflict when `path` holds the
// progress of another image; kParse for a bad block (naming it); AWS and I/O errors as they come.
Result<DiskImage> WriteDiskImage(aws::Client& client, const std::string& snapshot_id,
                                 const std::filesystem::path& path, const DiskImageOptions& options);

// SHA-256 (hex) of the image file at `path` read in order, `block_size` bytes at a time, with the
// blocks not in `has_data` taken as zeros without reading them. For WriteDiskImage and for the upload,
// which hashes what it sends.
Result<std::string> HashImage(int fd, int64_t size, int64_t block_size, const std::vector<bool>& has_data);

}  // namespace cordon::response::image
