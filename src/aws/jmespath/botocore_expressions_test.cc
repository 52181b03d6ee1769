// Every JMESPath expression in the paginators and waiters of the services cordon embeds compiles, and
// every waiter config is valid.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aws/jmespath/botocore_test_files.h"
#include "aws/jmespath/jmespath.h"
#include "aws/paging/waiter.h"

namespace cordon::aws {
namespace {

struct Found {
  std::string where;  // "ec2 paginator DescribeInstances output_token"
  std::string expression;
};

void Collect(const std::string& where, const Json& value, std::vector<Found>* out) {
  if (value.is_string()) out->push_back({where, value.get<std::string>()});
  if (value.is_array()) {
    for (const Json& item : value) Collect(where, item, out);
  }
}

std::vector<Found> AllExpressions() {
  std::vector<Found> found;
  for (const std::string& service : testing::CordonServices()) {
    const Json paginators = testing::LoadPaginators(service);
    for (const auto& op : paginators.items()) {
      for (const char* key : {"output_token", "result_key", "more_results", "non_aggregate_keys"}) {
        if (op.value().contains(key)) {
          Collect(service + " paginator " + op.key() + " " + key, op.value()[key], &found);
        }
      }
    }
    const Json waiters = testing::LoadWaiters(service);
    for (const auto& waiter : waiters.items()) {
      for (const Json& acceptor : waiter.value()["acceptors"]) {
        if (acceptor.contains("argument")) {
          Collect(service + " waiter " + waiter.key() + " " + acceptor.value("matcher", ""),
                  acceptor["argument"], &found);
        }
      }
    }
  }
  return found;
}

TEST(BotocoreExpressionsTest, BotocoreIsInstalledWithEveryService) {
  ASSERT_FALSE(testing::BotocoreDataDir().empty())
      << "botocore not found: install it or set CORDON_BOTOCORE_DATA";
  for (const std::string& service : testing::CordonServices()) {
    EXPECT_FALSE(testing::NewestApiDir(service).empty()) << service;
  }
}

TEST(BotocoreExpressionsTest, EveryPaginatorAndWaiterExpressionCompiles) {
  ASSERT_FALSE(testing::BotocoreDataDir().empty());
  std::vector<Found> found = AllExpressions();
  // A few hundred paginators alone; far fewer means the files were not read.
  EXPECT_GT(found.size(), 500u);
  std::string failures;
  for (const Found& f : found) {
    auto compiled = jmespath::Compile(f.expression);
    if (!compiled) failures += "\n  " + f.where + ": " + compiled.error().message;
  }
  EXPECT_TRUE(failures.empty()) << "expressions that do not compile:" << failures;
}

TEST(BotocoreExpressionsTest, EveryWaiterConfigIsValid) {
  ASSERT_FALSE(testing::BotocoreDataDir().empty());
  int waiters = 0;
  std::string failures;
  for (const std::string& service : testing::CordonServices()) {
    const Json configs = testing::LoadWaiters(service);
    for (const auto& waiter : configs.items()) {
      ++waiters;
      if (Status valid = ValidateWaiter(waiter.value()); !valid) {
        failures += "\n  " + service + " " + waiter.key() + ": " + valid.error().message;
      }
    }
  }
  EXPECT_GT(waiters, 50);
  EXPECT_TRUE(failures.empty()) << "invalid waiters:" << failures;
}

}  // namespace
}  // namespace cordon::aws
