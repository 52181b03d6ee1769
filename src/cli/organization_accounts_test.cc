#include "cli/organization_accounts.h"

#include <gtest/gtest.h>

namespace cordon::cli {
namespace {

// The ListAccounts answer's Account shape (Organizations API Reference, "Account"): State is the
// account's lifecycle (PENDING_ACTIVATION, ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED); Status, retired
// on 2026-09-09, is read only when State is absent.
TEST(OrganizationAccounts, OnlyActiveAccountsAreSearched) {
  const Json listed = Json::parse(R"({"Accounts": [
      {"Id": "111111111111", "State": "ACTIVE", "Status": "ACTIVE"},
      {"Id": "222222222222", "State": "SUSPENDED", "Status": "SUSPENDED"},
      {"Id": "333333333333", "State": "PENDING_CLOSURE"},
      {"Id": "444444444444", "State": "CLOSED"},
      {"Id": "555555555555", "State": "PENDING_ACTIVATION"},
      {"Id": "666666666666", "Status": "ACTIVE"},
      {"Id": "777777777777", "Status": "SUSPENDED"},
      {"Id": "111111111111", "State": "ACTIVE"},
      {"State": "ACTIVE"}]})");
  EXPECT_EQ(ActiveAccountIds(listed), (std::vector<std::string>{"111111111111", "666666666666"}));
}

TEST(OrganizationAccounts, StateWinsOverTheRetiredStatus) {
  const Json listed =
      Json::parse(R"({"Accounts": [{"Id": "111111111111", "State": "CLOSED", "Status": "ACTIVE"}]})");
  EXPECT_TRUE(ActiveAccountIds(listed).empty());
}

TEST(OrganizationAccounts, AnAnswerWithoutAccountsHasNone) {
  EXPECT_TRUE(ActiveAccountIds(Json::object()).empty());
  EXPECT_TRUE(ActiveAccountIds(Json::parse(R"({"Accounts": null})")).empty());
}

}  // namespace
}  // namespace cordon::cli
