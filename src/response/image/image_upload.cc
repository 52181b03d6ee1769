#include "response/image/image_upload.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

#include "base/encoding.h"
#include "base/hash.h"
#include "base/thread_pool.h"

namespace cordon::response::image {
namespace {

constexpr int64_t kMiB = int64_t{1} << 20;
constexpr int64_t kMaxParts = 10000;
constexpr size_t kPartsInFlight = 4;  // 4 x 8 MiB in memory at once

std::filesystem::path StatePathFor(const std::filesystem::path& image) { return image.string() + ".upload"; }

Result<Json> LoadState(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Json::object();
  std::stringstream text;
  text << in.rdbuf();
  Json state = Json::parse(text.str(), nullptr, false);
  if (!state.is_object()) return MakeError(ErrorKind::kConflict, path.string() + " is not an upload state");
  return state;
}

Status SaveState(const std::filesystem::path& path, const Json& state) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << state.dump(1) << "\n";
    if (!out.flush()) return MakeError(ErrorKind::kIo, "cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return MakeError(ErrorKind::kIo, "cannot write " + path.string() + ": " + ec.message());
  return Ok();
}

Result<std::string> ReadPart(int fd, int64_t offset, int64_t n) {
  std::string data(static_cast<size_t>(n), '\0');
  size_t got = 0;
  while (got < data.size()) {
    ssize_t r = ::pread(fd, data.data() + got, data.size() - got, offset + static_cast<int64_t>(got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0)
      return MakeError(ErrorKind::kIo, std::string("cannot read the image: ") + std::strerror(errno));
    got += static_cast<size_t>(r);
  }
  return data;
}

// The recorded upload of this image to this object, or a new one.
Result<Json> StartOrResume(aws::Client& client, const DiskImage& image, const std::string& bucket,
                           const std::string& key, const std::filesystem::path& state_path) {
  auto state = LoadState(state_path);
  if (!state) return state;
  if (!state->empty()) {
    if (state->value("bucket", "") != bucket || state->value("key", "") != key ||
        state->value("sha256", "") != image.sha256)
      return MakeError(ErrorKind::kConflict, state_path.string() +
                                                 " records an upload of another image or to "
                                                 "another object: move it away to start over");
    return state;
  }
  auto created = client.Call(
      "s3", "CreateMultipartUpload",
      Json{{"Bucket", bucket},
           {"Key", key},
           {"ChecksumAlgorithm", "SHA256"},
           {"ContentType", "application/octet-stream"},
           {"Metadata", {{"cordon-sha256", image.sha256}, {"cordon-snapshot", image.snapshot_id}}}});
  if (!created) return MakeError(created.error());
  Json fresh = {{"bucket", bucket},
                {"key", key},
                {"sha256", image.sha256},
                {"upload_id", created->value("UploadId", "")},
                {"part_size", PartSizeFor(image.size)},
                {"parts", Json::object()}};
  if (auto s = SaveState(state_path, fresh); !s) return MakeError(s.error());
  return fresh;
}

}  // namespace

int64_t PartSizeFor(int64_t size) {
  int64_t part = 8 * kMiB;
  if (size > part * kMaxParts) part = ((size + kMaxParts - 1) / kMaxParts + kMiB - 1) / kMiB * kMiB;
  return part;
}

Result<UploadedImage> UploadImage(aws::Client& client, const DiskImage& image, const std::string& bucket,
                                  const std::string& key) {
  const std::filesystem::path state_path = StatePathFor(image.path);
  auto state = StartOrResume(client, image, bucket, key, state_path);
  if (!state) return MakeError(state.error());
  const std::string upload_id = (*state)["upload_id"].get<std::string>();
  const int64_t part_size = (*state)["part_size"].get<int64_t>();
  const int64_t parts = (image.size + part_size - 1) / part_size;
  UploadedImage result{"s3://" + bucket + "/" + key, "", "", parts, 0, part_size};

  int fd = ::open(image.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return MakeError(ErrorKind::kIo, "cannot open " + image.path.string() + ": " + std::strerror(errno));
  std::vector<int64_t> todo;
  for (int64_t n = 1; n <= parts; ++n)
    if ((*state)["parts"].contains(std::to_string(n)))
      ++result.parts_resumed;
    else
      todo.push_back(n);

  std::mutex mu;
  std::optional<Error> first_error;
  ParallelFor(todo.size(), kPartsInFlight, [&](size_t i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (first_error) return;
    }
    const int64_t n = todo[i], offset = (n - 1) * part_size;
    auto data = ReadPart(fd, offset, std::min(part_size, image.size - offset));
    Result<Json> out = data ? Result<Json>(Json()) : MakeError(data.error());
    std::string checksum;
    if (data) {
      checksum = Base64Encode(Sha256(*data));
      out = client.Call("s3", "UploadPart",
                        Json{{"Bucket", bucket},
                             {"Key", key},
                             {"UploadId", upload_id},
                             {"PartNumber", n},
                             {"ChecksumAlgorithm", "SHA256"},
                             {"ChecksumSHA256", checksum},
                             {"Body", Base64Encode(*data)}});
    }
    std::lock_guard<std::mutex> lock(mu);
    if (out && out->value("ChecksumSHA256", checksum) != checksum)
      out = MakeError(ErrorKind::kParse, "S3 acknowledged part " + std::to_string(n) + " with checksum " +
                                             out->value("ChecksumSHA256", "") + ", not " + checksum);
    if (out) {
      (*state)["parts"][std::to_string(n)] = {{"ETag", out->value("ETag", "")}, {"ChecksumSHA256", checksum}};
      if (auto s = SaveState(state_path, *state); !s) out = MakeError(s.error());
    }
    if (!out && !first_error) first_error = out.error();
  });
  ::close(fd);
  if (first_error) return MakeError(*first_error);

  // An upload completed before (a rerun of a finished image) has no upload id left to complete.
  if (!state->value("completed", false)) {
    Json completed = Json::array();
    for (int64_t n = 1; n <= parts; ++n) {
      const Json& p = (*state)["parts"][std::to_string(n)];
      completed.push_back({{"PartNumber", n}, {"ETag", p["ETag"]}, {"ChecksumSHA256", p["ChecksumSHA256"]}});
    }
    auto done = client.Call("s3", "CompleteMultipartUpload",
                            Json{{"Bucket", bucket},
                                 {"Key", key},
                                 {"UploadId", upload_id},
                                 {"MultipartUpload", {{"Parts", completed}}}});
    if (!done) return MakeError(done.error());
    (*state)["completed"] = true;
    (*state)["etag"] = done->value("ETag", "");
    if (auto s = SaveState(state_path, *state); !s) return MakeError(s.error());
  }
  auto head =
      client.Call("s3", "HeadObject", Json{{"Bucket", bucket}, {"Key", key}, {"ChecksumMode", "ENABLED"}});
  if (!head) return MakeError(head.error());
  if (head->value("ContentLength", int64_t{-1}) != image.size)
    return MakeError(ErrorKind::kParse,
                     result.url + " holds " + std::to_string(head->value("ContentLength", -1)) +
                         " bytes after the upload, not the image's " + std::to_string(image.size));
  result.etag = head->value("ETag", state->value("etag", ""));
  result.checksum = head->value("ChecksumSHA256", "");
  return result;
}

}  // namespace cordon::response::image
