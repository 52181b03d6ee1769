#include "cli/target_flags.h"

#include <gtest/gtest.h>

namespace cordon::cli {
namespace {

TargetFlags AccountFlagsOf(bool organization, std::vector<std::string> accounts, std::string role) {
  TargetFlags f;
  f.texts = {"i-0123456789abcdef0"};
  f.organization = organization;
  f.accounts = std::move(accounts);
  f.role_name = std::move(role);
  return f;
}

TEST(AccountFlags, OrganizationWithARoleIsAccepted) {
  EXPECT_TRUE(CheckAccountFlags(AccountFlagsOf(true, {}, "IR")));
}

TEST(AccountFlags, OrganizationAndAccountsAreMutuallyExclusive) {
  auto s = CheckAccountFlags(AccountFlagsOf(true, {"111111111111"}, "IR"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(s.error().message.find("mutually exclusive"), std::string::npos) << s.error().message;
}

TEST(AccountFlags, OrganizationNeedsARole) {
  auto s = CheckAccountFlags(AccountFlagsOf(true, {}, ""));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message.rfind("--organization needs --role-name", 0), 0u) << s.error().message;
}

TEST(AccountFlags, ARoleAloneHasNothingToGoWith) {
  auto s = CheckAccountFlags(AccountFlagsOf(false, {}, "IR"));
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("--organization"), std::string::npos) << s.error().message;
}

}  // namespace
}  // namespace cordon::cli
