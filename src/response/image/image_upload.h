// A disk image file to S3 as a multipart upload with SHA-256 checksums: every part carries its
// x-amz-checksum-sha256, S3 checks it on arrival, and CompleteMultipartUpload lists them again, so S3
// builds the object only from parts that arrived intact
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html). S3's own
// checksum of such an object is a checksum of the part checksums, so the image's SHA-256 goes with it
// as metadata (x-amz-meta-cordon-sha256) and into the case.
//
// Resumable: the upload id and each finished part are recorded in a state file beside the image
// ("<image>.upload", JSON, rewritten whole through a rename); a rerun sends only the missing parts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "aws/client.h"
#include "base/error.h"
#include "response/image/disk_image.h"

namespace cordon::response::image {

struct UploadedImage {
  std::string url;  // s3://bucket/key
  std::string etag;
  std::string checksum;  // S3's composite ChecksumSHA256 ("<base64>-<parts>")
  int64_t parts = 0, parts_resumed = 0, part_size = 0;
};

// Part size for an object of `size` bytes: 8 MiB, or larger in whole MiB to stay within S3's 10,000
// parts (the 5 MiB minimum part is far below).
int64_t PartSizeFor(int64_t size);

// Uploads image.path to s3://bucket/key. kConflict when the state file is of another upload.
Result<UploadedImage> UploadImage(aws::Client& client, const DiskImage& image, const std::string& bucket,
                                  const std::string& key);

}  // namespace cordon::response::image
