#include "hunt/local_walk.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <map>

#include "hunt/test_util.h"

namespace cordon::hunt {
namespace {

namespace fs = std::filesystem;
using testing::Gzip;
using testing::TempDir;
using testing::WriteFile;

const std::string kRecord =
    R"({"Records":[{"eventID":"e1","eventTime":"2024-01-01T00:00:00Z","sourceIPAddress":"10.0.3.8"}]})";

// Path relative to the root -> not_read ("" for files to read).
std::map<std::string, std::string> Listed(const fs::path& root, const ListOptions& options = {}) {
  LocalSource source(root.string());
  Result<std::vector<ObjectInfo>> listed = source.List(options);
  EXPECT_TRUE(listed) << (listed ? "" : listed.error().message);
  std::map<std::string, std::string> out;
  if (!listed) return out;
  for (const ObjectInfo& o : *listed) out[fs::path(o.name).lexically_relative(root).string()] = o.not_read;
  return out;
}

void MakeSocket(const fs::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string name = path.string();
  ASSERT_LT(name.size(), sizeof(addr.sun_path));
  std::copy(name.begin(), name.end(), addr.sun_path);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ::close(fd);
}

// Issue 16: logs behind a link to a folder were scanned as empty and "complete".
TEST(LocalWalk, FollowsLinksToFoldersAndFiles) {
  TempDir dir;
  WriteFile(dir.path() / "elsewhere" / "a.json", kRecord);
  WriteFile(dir.path() / "single.json", kRecord);
  fs::create_directories(dir.path() / "root");
  fs::create_directory_symlink(dir.path() / "elsewhere", dir.path() / "root" / "logs");
  fs::create_symlink(dir.path() / "single.json", dir.path() / "root" / "one.json");
  const auto listed = Listed(dir.path() / "root");
  EXPECT_EQ(listed, (std::map<std::string, std::string>{{"logs/a.json", ""}, {"one.json", ""}}));
}

// Every entry that is not read is listed with its reason; a FIFO is never opened (this test would hang).
TEST(LocalWalk, ReportsEveryEntryNotRead) {
  TempDir dir;
  const fs::path root = dir.path() / "r";
  WriteFile(root / "good.json", kRecord);
  ASSERT_EQ(::mkfifo((root / "pipe.json").c_str(), 0600), 0);
  MakeSocket(root / "sock");
  fs::create_symlink("/dev/null", root / "null.json");
  fs::create_symlink(root / "missing.json", root / "broken.json");
  fs::create_symlink(root / "self.json", root / "self.json");  // a link to itself: ELOOP
  fs::create_directory_symlink(root, root / "loop");           // back to the root
  WriteFile(root / "sub" / "x.json", kRecord);
  fs::create_directory_symlink(root / "sub", root / "sub-again");
  fs::create_symlink(root / "good.json", root / "alias.json");
  fs::create_directories(root / ".hidden");
  WriteFile(root / ".hidden" / "x.json", kRecord);
  const auto listed = Listed(root);
  auto reason = [&](const std::string& name) {
    auto it = listed.find(name);
    return it == listed.end() ? std::string("(not listed)") : it->second;
  };
  EXPECT_EQ(reason("good.json"), "");
  EXPECT_EQ(reason("pipe.json"), "FIFO (named pipe): not opened, reading it could block");
  EXPECT_EQ(reason("sock"), "socket: not a file");
  EXPECT_EQ(reason("null.json"), "character device: not a file");
  EXPECT_EQ(reason("broken.json").rfind("broken link to " + (root / "missing.json").string(), 0), 0u)
      << reason("broken.json");
  EXPECT_EQ(reason("self.json").rfind("link loop", 0), 0u) << reason("self.json");
  EXPECT_EQ(reason("loop"), "link loop: leads back to " + root.string() + " (not walked again)");
  // Whichever of sub and sub-again is met first is walked; the other is named, not walked twice.
  EXPECT_TRUE(
      (reason("sub/x.json") == "" && reason("sub-again").rfind("folder already walked as ", 0) == 0) ||
      (reason("sub-again/x.json") == "" && reason("sub").rfind("folder already walked as ", 0) == 0))
      << reason("sub") << " / " << reason("sub-again");
  EXPECT_TRUE((reason("good.json") == "" && reason("alias.json").rfind("same file as ", 0) == 0) ||
              (reason("alias.json") == "" && reason("good.json").rfind("same file as ", 0) == 0));
  EXPECT_EQ(listed.count(".hidden/x.json"), 0u);
}

// The hunt reports them in `skipped` and the exit status says partial; the logs it could read are read.
TEST(LocalWalk, HuntSkipsWhatWasNotRead) {
  TempDir dir;
  const fs::path root = dir.path() / "r";
  WriteFile(dir.path() / "real" / "a.json.gz", Gzip(kRecord));
  fs::create_directories(root);
  fs::create_directory_symlink(dir.path() / "real", root / "linked");
  ASSERT_EQ(::mkfifo((root / "pipe.json").c_str(), 0600), 0);
  Selectors s;
  s.ips = {"10.0.3.8"};
  HuntResults r = testing::Hunt(s, {{LogKind::kCloudTrail, root.string()}});
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].file, (root / "linked" / "a.json.gz").string());
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(r.skipped[0].file, (root / "pipe.json").string());
  EXPECT_EQ(r.skipped[0].unit, "object");
  EXPECT_EQ(r.skipped[0].reason, "FIFO (named pipe): not opened, reading it could block");
  EXPECT_EQ(r.objects, 2u);
  EXPECT_EQ(r.objects_skipped, 1u);
}

// A FIFO named on the command line is refused at once, not opened.
TEST(LocalWalk, FifoGivenAsTheSourceIsRefused) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir.path() / "p").c_str(), 0600), 0);
  LocalSource source((dir.path() / "p").string());
  Result<std::vector<ObjectInfo>> listed = source.List({});
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(listed.error().message.find("FIFO"), std::string::npos) << listed.error().message;
}

// A listed file swapped for a FIFO before it is read is refused without waiting for a writer.
TEST(LocalWalk, ReadRefusesAFifoWithoutBlocking) {
  TempDir dir;
  const fs::path p = dir.path() / "a.json";
  ASSERT_EQ(::mkfifo(p.c_str(), 0600), 0);
  LocalSource source(dir.path().string());
  std::string out;
  Status s = source.ReadInto(p.string(), SIZE_MAX, &out);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("FIFO"), std::string::npos) << s.error().message;
}

// Reading takes at most what the listing said (a file that grew, or a link to an endless device).
TEST(LocalWalk, ReadStopsPastTheListedSize) {
  TempDir dir;
  WriteFile(dir.path() / "a.json", std::string(1000, 'x'));
  LocalSource source(dir.path().string());
  std::string out;
  Status s = source.ReadInto((dir.path() / "a.json").string(), 999, &out);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("more than the 999 bytes"), std::string::npos) << s.error().message;
  EXPECT_TRUE(source.ReadInto((dir.path() / "a.json").string(), 1000, &out));
  EXPECT_EQ(out.size(), 1000u);
}

}  // namespace
}  // namespace cordon::hunt
