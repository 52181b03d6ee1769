// Test support for the Sigma tests (included only by *_test.cc files): SigmaHQ's 57 CloudTrail rules
// and every record of the CloudTrail samples in tests/data.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "hunt/sigma/rule_loader.h"
#include "hunt/sigma/rule_set.h"
#include "testing/test_paths.h"

namespace cordon::hunt::sigma::test {

inline RuleSet SigmaHqRules() {
  Result<LoadedRules> loaded = LoadRules({std::string(::cordon::test::TestDataDir()) + "/sigma/rules"});
  EXPECT_TRUE(loaded);
  EXPECT_EQ(loaded->rules.size(), 57u);
  return RuleSet(std::move(loaded->rules));
}

// Every record of the samples: delivery objects, arrays and JSON Lines.
inline std::vector<nlohmann::json> SampleRecords() {
  std::vector<nlohmann::json> records;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           std::string(::cordon::test::TestDataDir()) + "/cloudtrail")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
    if (doc.is_discarded()) {  // JSON Lines
      std::istringstream lines(text.str());
      for (std::string line; std::getline(lines, line);) {
        nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
        if (!record.is_discarded()) records.push_back(std::move(record));
      }
    } else if (doc.is_object() && doc.contains("Records")) {
      for (auto& r : doc["Records"]) records.push_back(std::move(r));
    } else if (doc.is_array()) {
      for (auto& r : doc) records.push_back(std::move(r));
    }
  }
  return records;
}

}  // namespace cordon::hunt::sigma::test
