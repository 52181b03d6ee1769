#include "aws/credentials/caching_provider.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace cordon::aws {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// Hands out credentials numbered by call ("AKID1", "AKID2", ...) that expire `lifetime` after the
// clock's now; can be told to fail.
class ScriptedProvider : public CredentialsProvider {
 public:
  ScriptedProvider(Clock* clock, std::optional<std::chrono::seconds> lifetime)
      : clock_(clock), lifetime_(lifetime) {}
  Result<Credentials> Get() override {
    int n = ++calls;
    if (fail) return MakeError(ErrorKind::kNetwork, "refresh failed");
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    Credentials creds;
    creds.access_key_id = "AKID" + std::to_string(n);
    creds.secret_access_key = "s";
    if (lifetime_) creds.expiration = clock_->Now() + *lifetime_;
    return creds;
  }
  std::string Name() const override { return "scripted"; }

  std::atomic<int> calls{0};
  std::atomic<bool> fail{false};
  std::chrono::milliseconds delay{0};

 private:
  Clock* clock_;
  std::optional<std::chrono::seconds> lifetime_;
};

class CachingProviderTest : public ::testing::Test {
 protected:
  FakeClock clock_{TimePoint{} + std::chrono::hours(1000)};
};

TEST_F(CachingProviderTest, ServesCachedCredentialsUntilTheAdvisoryWindow) {
  auto inner = std::make_shared<ScriptedProvider>(&clock_, minutes(60));
  CachingProvider cache(inner, &clock_);
  EXPECT_EQ(cache.Get()->access_key_id, "AKID1");
  clock_.SleepFor(minutes(54));  // 6 minutes left: still outside the 5-minute advisory window
  EXPECT_EQ(cache.Get()->access_key_id, "AKID1");
  EXPECT_EQ(inner->calls, 1);
}

TEST_F(CachingProviderTest, RefreshesBeforeExpiry) {
  auto inner = std::make_shared<ScriptedProvider>(&clock_, minutes(60));
  CachingProvider cache(inner, &clock_);
  ASSERT_TRUE(cache.Get());
  clock_.SleepFor(minutes(56));  // 4 minutes left: advisory refresh
  EXPECT_EQ(cache.Get()->access_key_id, "AKID2");
  EXPECT_EQ(cache.Get()->access_key_id, "AKID2");  // the new ones are good for an hour
  EXPECT_EQ(inner->calls, 2);
}

TEST_F(CachingProviderTest, FailedAdvisoryRefreshKeepsTheOldCredentials) {
  auto inner = std::make_shared<ScriptedProvider>(&clock_, minutes(60));
  CachingProvider cache(inner, &clock_);
  ASSERT_TRUE(cache.Get());
  clock_.SleepFor(minutes(57));
  inner->fail = true;
  auto creds = cache.Get();
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->access_key_id, "AKID1");
  EXPECT_EQ(inner->calls, 2);
}

TEST_F(CachingProviderTest, FailedMandatoryRefreshIsAnError) {
  auto inner = std::make_shared<ScriptedProvider>(&clock_, minutes(60));
  CachingProvider cache(inner, &clock_);
  ASSERT_TRUE(cache.Get());
  clock_.SleepFor(minutes(59) + seconds(30));  // 30 s left: inside the 1-minute mandatory window
  inner->fail = true;
  auto creds = cache.Get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().kind, ErrorKind::kNetwork);
  inner->fail = false;
  EXPECT_EQ(cache.Get()->access_key_id, "AKID3");  // errors are not cached
}

TEST_F(CachingProviderTest, CredentialsWithoutExpirationAreKeptForGood) {
  auto inner = std::make_shared<ScriptedProvider>(&clock_, std::nullopt);
  CachingProvider cache(inner, &clock_);
  ASSERT_TRUE(cache.Get());
  clock_.SleepFor(std::chrono::hours(24 * 365));
  ASSERT_TRUE(cache.Get());
  EXPECT_EQ(inner->calls, 1);
}

TEST_F(CachingProviderTest, InvalidateForcesARefresh) {
  auto inner = std::make_shared<ScriptedProvider>(&clock_, minutes(60));
  CachingProvider cache(inner, &clock_);
  ASSERT_TRUE(cache.Get());
  cache.Invalidate();
  EXPECT_EQ(cache.Get()->access_key_id, "AKID2");
}

TEST_F(CachingProviderTest, ConcurrentCallersShareOneRefresh) {
  auto inner = std::make_shared<ScriptedProvider>(&clock_, minutes(60));
  inner->delay = std::chrono::milliseconds(50);
  CachingProvider cache(inner, &clock_);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (cache.Get()) ++ok;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(inner->calls, 1);

  // In the advisory window, the callers that find a refresh running get the old credentials at once.
  clock_.SleepFor(minutes(57));
  threads.clear();
  std::atomic<int> old_ones{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto creds = cache.Get();
      if (creds && creds->access_key_id == "AKID1") ++old_ones;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(inner->calls, 2);
}

}  // namespace
}  // namespace cordon::aws
