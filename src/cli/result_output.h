// --query and --output json|text|table as the AWS CLI has them, for the commands that print results:
// the command's JSON result, the JMESPath --query applied (aws/jmespath), printed as indented JSON,
// as the AWS CLI's text format (tab-separated, awscli/text.py) or as its table format (boxed).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"

namespace cordon::cli {

struct ResultFlags {
  std::string output = "text";  // text (cordon's own report unless --query), json, table
  std::string query;            // JMESPath; empty: the whole result
  // Whether the result is printed by PrintResult rather than the command's own text report.
  bool structured() const { return output != "text" || !query.empty(); }
};

// --output (text, json, table and `extra` choices, e.g. "jsonl") and --query.
void AddResultFlags(CLI::App& app, ResultFlags* flags, const std::string& what = "the results",
                    const std::vector<std::string>& extra = {});

// Checks --query compiles (kInvalidArgument naming the column), before any AWS call.
Status CheckResultFlags(const ResultFlags& flags);

// Prints `result` on stdout as `flags` say ("text" here is the AWS CLI's text format).
// Returns kExitOk, or the usage exit code after printing why the query failed at run time.
int PrintResult(const Json& result, const ResultFlags& flags);

// The AWS CLI's text and table renderings of `data` (exposed for the unit test).
std::string AwsText(const Json& data);
std::string AwsTable(const Json& data, const std::string& title);

}  // namespace cordon::cli
