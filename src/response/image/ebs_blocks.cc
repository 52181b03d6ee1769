#include "response/image/ebs_blocks.h"

#include "base/encoding.h"
#include "base/hash.h"

namespace cordon::response::image {
namespace {

// ListSnapshotBlocks' largest page (the API allows 100 to 10,000): fewest calls for a large volume.
constexpr int kBlocksPerPage = 10000;
// Far beyond a 64 TiB volume's 128 Mi blocks at 10,000 a page: a service that never stops paging
// cannot hang us.
constexpr int kMaxPages = 20000;

std::string Where(const std::string& snapshot, int64_t index) {
  return snapshot + " block " + std::to_string(index);
}

}  // namespace

std::string BlockChecksum(std::string_view data) { return Base64Encode(Sha256(data)); }

Result<SnapshotLayout> ListBlocks(aws::Client& client, const std::string& snapshot_id) {
  SnapshotLayout layout;
  layout.snapshot_id = snapshot_id;
  Json input = {{"SnapshotId", snapshot_id}, {"MaxResults", kBlocksPerPage}};
  for (int page = 0; page < kMaxPages; ++page) {
    auto out = client.Call("ebs", "ListSnapshotBlocks", input);
    if (!out) return MakeError(out.error());
    layout.volume_gib = out->value("VolumeSize", layout.volume_gib);
    layout.block_size = out->value("BlockSize", layout.block_size);
    for (const Json& b : out->value("Blocks", Json::array()))
      layout.blocks.push_back({b.value("BlockIndex", int64_t{-1}), b.value("BlockToken", std::string())});
    std::string next = out->value("NextToken", std::string());
    if (next.empty()) break;
    input["NextToken"] = next;
  }
  if (layout.block_size <= 0 || layout.volume_gib <= 0 || layout.image_size() % layout.block_size != 0)
    return MakeError(ErrorKind::kParse, snapshot_id + ": EBS lists a block size of " +
                                            std::to_string(layout.block_size) + " bytes for a volume of " +
                                            std::to_string(layout.volume_gib) + " GiB");
  int64_t last = -1;
  for (const SnapshotBlock& b : layout.blocks) {
    // The FAQ promises unique indexes in numerical order; the image layout depends on it.
    if (b.index <= last || b.index >= layout.block_count() || b.token.empty())
      return MakeError(ErrorKind::kParse, Where(snapshot_id, b.index) +
                                              ": listed out of order, twice, "
                                              "past the volume's end or without a token");
    last = b.index;
  }
  return layout;
}

Status ReadBlock(aws::Client& client, const SnapshotLayout& layout, const SnapshotBlock& block,
                 std::string* data) {
  aws::CallOptions options;
  options.payload_out = data;
  auto out = client.Call(
      "ebs", "GetSnapshotBlock",
      Json{{"SnapshotId", layout.snapshot_id}, {"BlockIndex", block.index}, {"BlockToken", block.token}},
      options);
  if (!out) {
    Error e = out.error();
    e.message = Where(layout.snapshot_id, block.index) + ": " + e.message;
    return MakeError(std::move(e));
  }
  const std::string where = Where(layout.snapshot_id, block.index);
  const std::string algorithm = out->value("ChecksumAlgorithm", std::string());
  if (algorithm != "SHA256")
    return MakeError(ErrorKind::kParse,
                     where + ": EBS sent checksum algorithm '" + algorithm + "', not SHA256");
  if (static_cast<int64_t>(data->size()) != layout.block_size)
    return MakeError(ErrorKind::kParse, where + ": " + std::to_string(data->size()) +
                                            " bytes, not the block size " +
                                            std::to_string(layout.block_size));
  const std::string sent = out->value("Checksum", std::string());
  if (BlockChecksum(*data) != sent)
    return MakeError(ErrorKind::kParse, where + ": checksum mismatch: EBS sent " + sent +
                                            ", the bytes hash to " + BlockChecksum(*data) +
                                            " (the block was corrupted in transit or at rest)");
  return Ok();
}

}  // namespace cordon::response::image
