// The read side of the EBS direct APIs (service "ebs", REST-JSON): which blocks of a snapshot hold
// data (ListSnapshotBlocks) and one block's bytes, checked against the checksum EBS sends with it
// (GetSnapshotBlock). https://docs.aws.amazon.com/ebs/latest/APIReference/API_ListSnapshotBlocks.html
// and API_GetSnapshotBlock.html. No instance and no volume is involved.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aws/client.h"
#include "base/error.h"

namespace cordon::response::image {

struct SnapshotBlock {
  int64_t index = 0;
  std::string token;  // BlockToken, valid until the listing's ExpiryTime (7 days on AWS)
};

// A snapshot as the EBS direct APIs see it. Blocks not listed were never written: they read as zeros.
struct SnapshotLayout {
  std::string snapshot_id;
  int64_t volume_gib = 0;
  int64_t block_size = 0;             // 524288 on AWS
  std::vector<SnapshotBlock> blocks;  // increasing index order, as EBS lists them

  int64_t image_size() const { return volume_gib << 30; }
  int64_t block_count() const { return block_size > 0 ? image_size() / block_size : 0; }
};

// Every page of ListSnapshotBlocks. kParse when EBS answers a block size that does not divide the
// volume, or a block index outside it (an image could not be laid out from it).
Result<SnapshotLayout> ListBlocks(aws::Client& client, const std::string& snapshot_id);

// GetSnapshotBlock of one listed block, its bytes in *data. kParse naming the snapshot and block when
// the checksum is not SHA-256 or does not match the bytes, or the length is not the block size.
// Throttling and transient errors are retried by the client (with backoff) before they come back.
Status ReadBlock(aws::Client& client, const SnapshotLayout& layout, const SnapshotBlock& block,
                 std::string* data);

// base64(SHA-256(data)), as EBS's x-amz-Checksum carries it.
std::string BlockChecksum(std::string_view data);

}  // namespace cordon::response::image
