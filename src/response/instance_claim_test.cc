// The instance claim protocol against a fake EC2 that keeps one instance's tags: who holds it, a
// conflict names the holder and writes nothing, take-over, the race (a claim that appears between
// our write and our re-read), stale claims of a released case, and the take-over notes.
#include "response/instance_claim.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>

#include "aws/http/fake_transport.h"
#include "base/encoding.h"
#include "base/strings.h"
#include "evidence/test_util.h"
#include "testing/form_params.h"
#include "testing/static_credentials.h"

namespace cordon::response {
namespace {

constexpr char kIid[] = "i-0123456789abcdef0";

std::string Xml(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '<' ? "&lt;" : c == '&' ? "&amp;" : std::string(1, c);
  return out;
}

class InstanceClaimTest : public ::testing::Test {
 protected:
  InstanceClaimTest() : clock_(evidence::test::TestEpoch()) {
    transport_ =
        std::make_shared<aws::FakeTransport>([this](const aws::HttpRequest& r) { return Answer(r); });
    aws::ClientOptions options;
    options.region = "us-east-1";
    options.credentials = std::make_shared<test::StaticCredentials>();
    options.transport = transport_;
    options.retry.max_attempts = 1;
    options.rate_limit = aws::RateLimit::Unlimited();
    options.clock = &clock_;
    client_ = std::make_unique<aws::Client>(options);
    target_ = cloud::ResolvedTarget{kIid, "us-east-1", "vpc-1", "running", "instance id"};
  }

  Result<aws::HttpResponse> Answer(const aws::HttpRequest& r) {
    auto form = test::FormParams(r.body);
    const std::string action = form["Action"];
    calls_.push_back(action);
    const std::string ns = R"( xmlns="http://ec2.amazonaws.com/doc/2016-11-15/")";
    aws::HttpResponse out;
    out.status = 200;
    if (action == "DescribeInstances") {
      if (before_describe_) before_describe_();
      std::string items;
      for (const auto& [k, v] : tags_)
        items += "<item><key>" + Xml(k) + "</key><value>" + Xml(v) + "</value></item>";
      out.body = "<DescribeInstancesResponse" + ns +
                 "><requestId>r</requestId><reservationSet><item><reservationId>r-1</reservationId>"
                 "<instancesSet><item><instanceId>" +
                 kIid + "</instanceId><tagSet>" + items +
                 "</tagSet></item></instancesSet></item></reservationSet></DescribeInstancesResponse>";
      return out;
    }
    if (action == "CreateTags" || action == "DeleteTags") {
      for (int i = 1; form.count("Tag." + std::to_string(i) + ".Key"); ++i) {
        std::string key = form["Tag." + std::to_string(i) + ".Key"];
        std::string vkey = "Tag." + std::to_string(i) + ".Value";
        if (action == "CreateTags") {
          tags_[key] = form[vkey];
        } else if (!form.count(vkey) || tags_[key] == form[vkey]) {
          tags_.erase(key);  // as EC2: with a value, only when it matches
        }
      }
      out.body = "<" + action + "Response" + ns + "><requestId>r</requestId><return>true</return></" +
                 action + "Response>";
      if (action == "CreateTags" && after_create_) after_create_();
      return out;
    }
    return MakeError(ErrorKind::kInternal, "unexpected " + action);
  }

  int Writes() const {
    int n = 0;
    for (const auto& c : calls_) n += c != "DescribeInstances";
    return n;
  }
  void Contained(const std::string& id, const std::string& since = "2024-05-01T11:00:00Z") {
    tags_["incident-response"] = "quarantine:" + id;
    tags_["cordon:case"] = id;
    tags_["cordon:claim:" + id] = since;
  }
  ClaimOptions Fast() {
    ClaimOptions o;
    o.settle_polls = 3;
    o.settle_interval = std::chrono::milliseconds(500);
    return o;
  }

  FakeClock clock_;
  std::shared_ptr<aws::FakeTransport> transport_;
  std::unique_ptr<aws::Client> client_;
  cloud::ResolvedTarget target_;
  std::map<std::string, std::string> tags_{{"Name", "web-1"}};
  std::vector<std::string> calls_;
  std::function<void()> after_create_, before_describe_;
};

TEST(ClaimFromTags, HolderIsTheQuarantinedCaseElseTheEarliestLiveClaim) {
  auto tags = [](const std::vector<std::pair<std::string, std::string>>& kv) {
    Json a = Json::array();
    for (auto& [k, v] : kv) a.push_back(Json{{"Key", k}, {"Value", v}});
    return a;
  };
  EXPECT_EQ(ClaimFromTags(tags({{"Name", "x"}})).holder_case, "");
  ClaimState held = ClaimFromTags(tags({{"incident-response", "quarantine:A"},
                                        {"cordon:case", "A"},
                                        {"cordon:claim:A", "2024-05-01T10:00:00Z"},
                                        {"cordon:claim:B", "2024-05-01T09:00:00Z"}}));
  EXPECT_EQ(held.holder_case, "A");
  EXPECT_EQ(held.since, "2024-05-01T10:00:00Z");
  EXPECT_TRUE(held.contained);
  ClaimState pending = ClaimFromTags(
      tags({{"cordon:claim:B", "2024-05-01T10:00:00Z"}, {"cordon:claim:A", "2024-05-01T10:00:00Z"}}));
  EXPECT_EQ(pending.holder_case, "A");  // same time: the smaller case id
  EXPECT_FALSE(pending.contained);
  ClaimState released = ClaimFromTags(tags({{"incident-response", "released:A"},
                                            {"cordon:case", "A"},
                                            {"cordon:claim:A", "2024-05-01T10:00:00Z"}}));
  EXPECT_EQ(released.holder_case, "");
  // A contained case from before claims existed still holds it.
  EXPECT_EQ(ClaimFromTags(tags({{"incident-response", "quarantine:A"}, {"cordon:case", "A"}})).holder_case,
            "A");
}

TEST_F(InstanceClaimTest, UnclaimedInstanceIsClaimed) {
  auto c = ClaimInstance(*client_, target_, "IR-1", "", Fast());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->holder_case, "IR-1");
  EXPECT_EQ(c->since, "2024-05-01T12:00:00Z");
  EXPECT_EQ(tags_["cordon:claim:IR-1"], "2024-05-01T12:00:00Z");
  auto read = ReadClaim(*client_, target_);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->holder_case, "IR-1");
  EXPECT_FALSE(read->contained);
}

TEST_F(InstanceClaimTest, HolderRerunWritesNothing) {
  Contained("A");
  auto c = ClaimInstance(*client_, target_, "A", "", Fast());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->holder_case, "A");
  EXPECT_EQ(Writes(), 0);
}

TEST_F(InstanceClaimTest, OtherCaseIsRefusedNamingTheHolderAndWritesNothing) {
  Contained("A");
  auto before = tags_;
  auto c = ClaimInstance(*client_, target_, "B", "", Fast());
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(c.error().message,
            std::string("instance ") + kIid +
                " is claimed by case A (since 2024-05-01T11:00:00Z); contain it under that case, or pass "
                "--take-over A to move it to this case");
  EXPECT_EQ(tags_, before);
  EXPECT_EQ(Writes(), 0);
}

TEST_F(InstanceClaimTest, PendingClaimOfAnotherCaseIsRefusedToo) {
  tags_["cordon:claim:A"] = "2024-05-01T11:59:00Z";  // A is between its claim and its tag step
  auto c = ClaimInstance(*client_, target_, "B", "", Fast());
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().kind, ErrorKind::kConflict);
  EXPECT_NE(c.error().message.find("claimed by case A"), std::string::npos);
  EXPECT_EQ(Writes(), 0);
}

TEST_F(InstanceClaimTest, TakeOverMovesTheClaim) {
  Contained("A");
  auto c = ClaimInstance(*client_, target_, "B", "A", Fast());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->holder_case, "B");
  EXPECT_EQ(c->taken_over_from, "A");
  EXPECT_FALSE(tags_.count("cordon:claim:A"));
  EXPECT_EQ(tags_["cordon:claim:B"], "2024-05-01T12:00:00Z");
  EXPECT_EQ(tags_["cordon:case"], "B");
  // Until B's tag step runs, A no longer holds it: a rerun of A is refused naming B.
  auto a = ClaimInstance(*client_, target_, "A", "", Fast());
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().message.find("claimed by case B"), std::string::npos) << a.error().message;
}

// A crash after the take-over's tag writes, before B's tag step: the same command again continues.
TEST_F(InstanceClaimTest, TakeOverRerunAfterACrashContinues) {
  tags_ = {{"incident-response", "quarantine:A"},
           {"cordon:case", "B"},
           {"cordon:claim:B", "2024-05-01T11:30:00Z"}};
  auto c = ClaimInstance(*client_, target_, "B", "A", Fast());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->holder_case, "B");
  EXPECT_EQ(c->since, "2024-05-01T11:30:00Z");
  EXPECT_EQ(Writes(), 0);
}

// A crash between B's claim and its tag step: the rerun keeps the first claim.
TEST_F(InstanceClaimTest, OwnPendingClaimIsKept) {
  tags_["cordon:claim:B"] = "2024-05-01T11:30:00Z";
  auto c = ClaimInstance(*client_, target_, "B", "", Fast());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->since, "2024-05-01T11:30:00Z");
  EXPECT_EQ(Writes(), 0);
}

TEST_F(InstanceClaimTest, TakeOverMustNameTheHolder) {
  Contained("A");
  auto c = ClaimInstance(*client_, target_, "B", "C", Fast());
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(c.error().message.find("claimed by case A, not C"), std::string::npos) << c.error().message;
  tags_.clear();
  auto none = ClaimInstance(*client_, target_, "B", "A", Fast());
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(Writes(), 0);
  auto self = ClaimInstance(*client_, target_, "B", "B", Fast());
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().kind, ErrorKind::kInvalidArgument);
}

// A's claim lands between B's write and B's re-read, and is earlier: B withdraws.
TEST_F(InstanceClaimTest, LaterClaimWithdrawsWhenAnEarlierOneAppears) {
  after_create_ = [this] {
    tags_["cordon:claim:A"] = "2024-05-01T11:59:59Z";
    after_create_ = nullptr;
  };
  auto c = ClaimInstance(*client_, target_, "B", "", Fast());
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().kind, ErrorKind::kConflict);
  EXPECT_NE(c.error().message.find("being claimed at the same time by case A"), std::string::npos)
      << c.error().message;
  EXPECT_FALSE(tags_.count("cordon:claim:B"));
  EXPECT_TRUE(tags_.count("cordon:claim:A"));
}

// C's later claim appears; B is earliest, waits, and wins once C has withdrawn.
TEST_F(InstanceClaimTest, EarliestClaimWaitsForTheOtherToWithdraw) {
  after_create_ = [this] {
    tags_["cordon:claim:C"] = "2024-05-01T12:00:01Z";
    after_create_ = nullptr;
  };
  int describes = 0;
  before_describe_ = [&] {
    if (++describes == 3) tags_.erase("cordon:claim:C");  // C saw B and withdrew
  };
  auto c = ClaimInstance(*client_, target_, "B", "", Fast());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->holder_case, "B");
  EXPECT_EQ(clock_.slept(), std::chrono::milliseconds(500));
}

// ... and gives up (withdrawing) when the other claim stays: it may have won without seeing ours.
TEST_F(InstanceClaimTest, EarliestClaimGivesUpWhenTheOtherStays) {
  after_create_ = [this] {
    tags_["cordon:claim:C"] = "2024-05-01T12:00:01Z";
    after_create_ = nullptr;
  };
  auto c = ClaimInstance(*client_, target_, "B", "", Fast());
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().kind, ErrorKind::kConflict);
  EXPECT_NE(c.error().message.find("case C"), std::string::npos);
  EXPECT_FALSE(tags_.count("cordon:claim:B"));
  EXPECT_EQ(clock_.slept(), std::chrono::milliseconds(1500));
}

// The other case's tag step lands meanwhile: it holds the instance.
TEST_F(InstanceClaimTest, WithdrawsWhenAnotherCaseTagsTheInstanceMeanwhile) {
  after_create_ = [this] {
    after_create_ = nullptr;
    Contained("A", "2024-05-01T12:00:05Z");
    tags_.erase("cordon:claim:B");  // A's tag step removes other claims
  };
  auto c = ClaimInstance(*client_, target_, "B", "", Fast());
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("claimed by case A"), std::string::npos) << c.error().message;
}

TEST_F(InstanceClaimTest, ReleasedCaseClaimIsStaleAndRemoved) {
  Contained("A");
  tags_["incident-response"] = "released:A";
  auto c = ClaimInstance(*client_, target_, "B", "", Fast());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->holder_case, "B");
  EXPECT_FALSE(tags_.count("cordon:claim:A"));
}

TEST(RecordTakeOver, NotesInBothCases) {
  evidence::test::ScratchDir scratch;
  auto a = evidence::CaseStore::Open(scratch.path() / "A", evidence::CaseInfo{"alice", ""});
  auto b = evidence::CaseStore::Open(scratch.path() / "B", evidence::CaseInfo{"bob", ""});
  ASSERT_TRUE(a && b);
  a->reset();  // the old case is opened again by RecordTakeOver
  ClaimState claim{"B", "2024-05-01T12:00:00Z", false, "A"};
  ASSERT_TRUE(RecordTakeOver(**b, scratch.path(), kIid, claim, "bob"));
  auto note_of = [](evidence::CaseStore& s) -> Json {
    auto records = s.journal().Records();
    for (const auto& r : *records)
      if (r.kind == "note") return Json::parse(r.payload);
    return Json();
  };
  Json nb = note_of(**b);
  EXPECT_EQ(nb["take_over"]["from"], "A");
  EXPECT_EQ(nb["take_over"]["to"], "B");
  EXPECT_NE(nb["text"].get<std::string>().find("recorded in case A"), std::string::npos) << nb.dump();
  auto reopened = evidence::CaseStore::OpenExisting(scratch.path() / "A");
  ASSERT_TRUE(reopened);
  Json na = note_of(**reopened);
  EXPECT_EQ(na["take_over"]["to"], "B");
  EXPECT_NE(na["text"].get<std::string>().find("taken over by case B"), std::string::npos) << na.dump();
}

TEST(RecordTakeOver, SaysWhenTheOldCaseIsNotOnThisMachine) {
  evidence::test::ScratchDir scratch;
  auto b = evidence::CaseStore::Open(scratch.path() / "B", evidence::CaseInfo{"bob", ""});
  ASSERT_TRUE(b);
  ClaimState claim{"B", "2024-05-01T12:00:00Z", false, "A"};
  ASSERT_TRUE(RecordTakeOver(**b, scratch.path(), kIid, claim, "bob"));
  auto records = (*b)->journal().Records();
  bool found = false;
  for (const auto& r : *records)
    if (r.kind == "note") found = r.payload.find("case A is not on this machine") != std::string::npos;
  EXPECT_TRUE(found);
  EXPECT_FALSE(std::filesystem::exists(scratch.path() / "A"));
}

}  // namespace
}  // namespace cordon::response
