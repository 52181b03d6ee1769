// Where log objects come from: a local folder or file, or S3 (s3_source.h), behind one interface.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/time.h"

namespace cordon::aws {
class Client;
}  // namespace cordon::aws

namespace cordon::hunt {

struct ObjectInfo {
  std::string name;   // a path for local sources, a key for S3; used in reports
  uint64_t size = 0;  // stored (possibly compressed) size in bytes
  // Non-empty: an entry the source found but will not read (a FIFO, a device, a broken link, a link
  // loop), and why. The hunt reports it as skipped, so that nothing is left out silently.
  std::string not_read;
};

struct ListOptions {
  // Objects under an AWS date layout (.../CloudTrail/<region>/YYYY/MM/DD/..., .../vpcflowlogs/<region>/
  // YYYY/MM/DD/...) whose day lies outside [since - 1 day, until + 1 day] are not listed. The day of margin
  // covers events delivered into the next day's folder. Objects not under such a layout are always listed.
  std::optional<TimePoint> since;
  std::optional<TimePoint> until;
  // Only names ending in one of these (case-insensitive) are listed, e.g. ".json", ".json.gz". Empty: all.
  std::vector<std::string> suffixes;
  // Names containing one of these path pieces are not listed (e.g. "/CloudTrail-Digest/").
  std::vector<std::string> exclude;
};

// A set of log objects. The S3 implementation lists with the date prefixes of ListOptions (see
// DayPrefixes in date_layout.h) and streams objects through the AWS client; a folder holding the same
// keys must give identical results. Implementations must allow concurrent Read() calls.
class Source {
 public:
  virtual ~Source() = default;
  // "s3://bucket/prefix" or the path, for messages.
  virtual std::string Describe() const = 0;
  // Every object to scan, sorted by name. Fails when the source itself cannot be read.
  virtual Result<std::vector<ObjectInfo>> List(const ListOptions& options) = 0;
  // The object's stored bytes (still compressed). The returned string's capacity() exceeds its size() by
  // at least kReadPadding when the implementation can arrange it, which saves the readers a copy.
  virtual Result<std::string> Read(const std::string& name) = 0;
  // Read() into *out, whose allocation implementations may reuse: the scan's workers read object after
  // object into one string each, which spares a fresh allocation (and its page faults) per object.
  // An object of more than `max_bytes` fails (kInvalidArgument) without more than max_bytes (plus a
  // read buffer) being held: a file that grew since it was listed, or one an attacker made endless.
  // On failure *out is unspecified. The default moves Read()'s result into *out.
  virtual Status ReadInto(const std::string& name, size_t max_bytes, std::string* out);
};

// A local file (listed as itself, whatever its name) or a folder, walked recursively (local_walk.h:
// links are followed, each folder and file is read once, loops are detected by device and inode).
// Hidden entries (".name") are skipped. Entries that are not regular files (FIFOs, sockets, devices,
// broken links, loops) are listed with ObjectInfo::not_read and never opened. Reads open only regular
// files, without blocking (a file swapped for a FIFO after the listing is refused, not waited on).
class LocalSource : public Source {
 public:
  explicit LocalSource(std::string path) : path_(std::move(path)) {}
  std::string Describe() const override { return path_; }
  Result<std::vector<ObjectInfo>> List(const ListOptions& options) override;
  Result<std::string> Read(const std::string& name) override;
  Status ReadInto(const std::string& name, size_t max_bytes, std::string* out) override;

 private:
  std::string path_;
};

// Whether a listed name passes ListOptions' suffixes and exclude (not the date window).
bool WantedName(const std::string& name, const ListOptions& options);

// A source for the text given on the command line: a path, or s3://bucket/prefix read through `client`
// (which must outlive the source). An s3:// spec with a null client, or a malformed one, fails
// (kInvalidArgument); paths never touch the client.
Result<std::unique_ptr<Source>> OpenSource(const std::string& spec, aws::Client* client = nullptr);

}  // namespace cordon::hunt
