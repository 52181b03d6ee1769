#include "cli/image_command.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/result_output.h"
#include "hunt/s3_source.h"
#include "response/image/disk_image.h"
#include "response/image/image_upload.h"

namespace cordon::cli {
namespace {

struct ImageFlags {
  std::vector<std::string> snapshots;
  std::string to;
  ResultFlags result;  // --output, --query
  size_t threads = 16;
};

// A case snapshot to image: its id, the instance it came from and that instance's region.
struct CaseSnapshot {
  std::string snapshot_id, target, region;
};

Result<std::vector<CaseSnapshot>> CaseSnapshots(evidence::CaseStore& store, const ImageFlags& f,
                                                const std::string& default_region) {
  auto items = store.evidence().List();
  if (!items) return MakeError(items.error());
  std::map<std::string, std::string> regions;  // instance -> region, from the recorded pre-state
  if (auto pre = store.pre_state().All(); pre)
    for (const auto& r : *pre) regions[r.target] = r.state.value("region", default_region);
  std::vector<CaseSnapshot> all;
  for (const auto& item : *items) {
    if (item.kind != evidence::EvidenceKind::kSnapshot) continue;
    bool seen = false;
    for (const auto& s : all) seen = seen || s.snapshot_id == item.location;
    if (seen) continue;
    all.push_back(
        {item.location, item.target, regions.count(item.target) ? regions[item.target] : default_region});
  }
  if (f.snapshots.empty()) {
    if (all.empty())
      return MakeError(ErrorKind::kNotFound, "the case holds no snapshots: run contain or preserve");
    return all;
  }
  std::vector<CaseSnapshot> picked;
  for (const std::string& want : f.snapshots) {
    bool found = false;
    for (const auto& s : all)
      if (s.snapshot_id == want) picked.push_back(s), found = true;
    if (!found)
      return MakeError(ErrorKind::kNotFound,
                       want + " is not one of the case's snapshots (cordon case show lists them)");
  }
  return picked;
}

// The client for one region's EBS reads: the command's client, with a rate limit sized for the EBS
// direct APIs (about 1,000 GetSnapshotBlock calls a second per snapshot, as coldsnap's users report)
// instead of the EC2-sized default, and more attempts, since a long image meets throttling often.
std::shared_ptr<aws::Client> EbsClient(const aws::Client& base, const std::string& region) {
  aws::ClientOptions options = *base.options();
  options.region = region;
  options.rate_limit = aws::RateLimit{1000, 1000};
  options.retry.max_attempts = std::max(options.retry.max_attempts, 10);
  return std::make_shared<aws::Client>(options);
}

evidence::EvidenceItem ImageEvidence(const CommandContext& ctx, const CaseSnapshot& snap,
                                     const response::image::DiskImage& image, const std::string& location) {
  evidence::EvidenceItem item;
  item.target = snap.target;
  item.kind = evidence::EvidenceKind::kFile;
  item.location = location;
  item.sha256 = image.sha256;
  item.size = image.size;
  item.source = "ebs:GetSnapshotBlock " + snap.snapshot_id + " (" + std::to_string(image.blocks_with_data) +
                " of " + std::to_string(image.blocks) + " blocks hold data)";
  item.collector = ctx.case_flags.responder;
  item.step = "image";
  item.details = Json{{"type", "disk-image"},
                      {"snapshot_id", snap.snapshot_id},
                      {"block_size", image.block_size},
                      {"blocks", image.blocks},
                      {"blocks_with_data", image.blocks_with_data},
                      {"local_path", std::filesystem::absolute(image.path).string()}};
  return item;
}

int ImageOne(const CommandContext& ctx, evidence::CaseStore& store, const ImageFlags& f,
             const CaseSnapshot& snap, Json* report) {
  auto base = ctx.Client();
  if (!base) return ReportError(base.error());
  auto client = EbsClient(**base, snap.region);
  std::string bucket, prefix;
  const bool to_s3 = f.to.starts_with("s3://");
  if (to_s3) {
    if (auto s = hunt::ParseS3Url(f.to, &bucket, &prefix); !s) return ReportError(s.error());
  }
  // An S3 image is assembled on the responder's disk first (sparse: only blocks with data take
  // space), which is what makes both halves resumable; it stays there as a second copy.
  const std::filesystem::path dir = to_s3 ? ctx.CaseDir() / "images" : std::filesystem::path(f.to);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return ReportError(Error{ErrorKind::kIo, "cannot create " + dir.string() + ": " + ec.message()});
  response::image::DiskImageOptions options;
  options.threads = f.threads;
  int64_t last_percent = -1;
  options.on_block = [&](int64_t landed, int64_t total) {
    const int64_t percent = total ? landed * 100 / total : 100;
    if (percent / 10 != last_percent / 10)
      PrintInfo(snap.snapshot_id + ": " + std::to_string(landed) + "/" + std::to_string(total) +
                " blocks read");
    last_percent = percent;
  };
  auto image =
      response::image::WriteDiskImage(*client, snap.snapshot_id, dir / (snap.snapshot_id + ".img"), options);
  if (!image) return ReportError(image.error());
  std::string location = std::filesystem::absolute(image->path).string();
  Json upload;
  if (to_s3) {
    const std::string key =
        (prefix.empty() || prefix.ends_with("/") ? prefix : prefix + "/") + snap.snapshot_id + ".img";
    auto up = response::image::UploadImage(*client, *image, bucket, key);
    if (!up) return ReportError(up.error());
    location = up->url;
    upload = {{"url", up->url},
              {"etag", up->etag},
              {"checksum_sha256", up->checksum},
              {"parts", up->parts},
              {"parts_resumed", up->parts_resumed},
              {"part_size", up->part_size}};
  }
  evidence::EvidenceItem item = ImageEvidence(ctx, snap, *image, location);
  if (!upload.is_null()) item.details["s3"] = upload;
  auto added = store.evidence().AddEvidence(item);
  if (!added) return ReportError(added.error());
  *report = {{"snapshot_id", snap.snapshot_id},
             {"target", snap.target},
             {"sha256", image->sha256},
             {"size", image->size},
             {"location", location},
             {"blocks", image->blocks},
             {"blocks_with_data", image->blocks_with_data},
             {"blocks_read", image->blocks_read},
             {"blocks_resumed", image->blocks_resumed},
             {"evidence_id", added->id}};
  if (!upload.is_null()) (*report)["s3"] = upload;
  if (!f.result.structured())  // each image's line as it is done; the others print all at the end
    std::printf("%s  %s  %lld bytes, %lld blocks with data (%lld read, %lld already done)  %s\n",
                image->sha256.c_str(), snap.snapshot_id.c_str(), static_cast<long long>(image->size),
                static_cast<long long>(image->blocks_with_data), static_cast<long long>(image->blocks_read),
                static_cast<long long>(image->blocks_resumed), location.c_str());
  return kExitOk;
}

}  // namespace

CommandBody SetupImage(CLI::App& app) {
  app.description(
      "Read the case's snapshots through the EBS direct APIs into raw disk images (no instance, no volume), "
      "each block checked against EBS's SHA-256, the image's SHA-256 recorded in the case. A rerun after a "
      "crash reads only what is missing. Needs ebs:ListSnapshotBlocks and ebs:GetSnapshotBlock (and "
      "s3:PutObject for --to s3://).");
  auto f = std::make_shared<ImageFlags>();
  app.add_option("--snapshot", f->snapshots, "image only these of the case's snapshots (repeatable)");
  app.add_option("--to", f->to, "s3://BUCKET/PREFIX (a checksummed multipart upload) or a folder")
      ->required();
  app.add_option("--threads", f->threads, "blocks read at once (default 16)")->check(CLI::Range(1, 64));
  AddResultFlags(app, &f->result, "the images");
  return {[f](const CommandContext& ctx) {
            auto store = ctx.OpenCase("image");
            if (!store) return ReportError(store.error());
            auto base = ctx.Client();
            if (!base) return ReportError(base.error());
            auto snaps = CaseSnapshots(**store, *f, (*base)->region());
            if (!snaps) return ReportError(snaps.error());
            Json images = Json::array();
            for (const CaseSnapshot& snap : *snaps) {
              Json report;
              if (int rc = ImageOne(ctx, **store, *f, snap, &report); rc != kExitOk) return rc;
              images.push_back(report);
            }
            return f->result.structured() ? PrintResult(Json{{"images", images}}, f->result) : kExitOk;
          },
          [f]() -> Status {
            if (f->to.empty())
              return MakeError(ErrorKind::kInvalidArgument, "--to needs s3://BUCKET/PREFIX or a folder");
            return CheckResultFlags(f->result);
          }};
}

}  // namespace cordon::cli
