// Runs the hunt in Amazon Athena (`cordon hunt --engine athena`): the --emit athena SQL goes through
// StartQueryExecution, is polled to completion and paged back, and the rows become HuntResults so the
// local engine's writers print them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "hunt/results.h"
#include "hunt/selectors.h"

namespace cordon::aws {
class Client;
}  // namespace cordon::aws

namespace cordon::hunt {

struct AthenaOptions {
  std::string output_location;  // s3://bucket/prefix/ for the result files (ResultConfiguration)
  std::string database;         // QueryExecutionContext.Database; empty: the workgroup's default
  std::string catalog;          // QueryExecutionContext.Catalog; empty: AwsDataCatalog
  std::string workgroup;        // empty: the account's default (primary)
  // Polling GetQueryExecution: the first wait, doubled after each poll up to the cap, and the total
  // time after which the query is stopped (StopQueryExecution) and the hunt fails.
  std::chrono::milliseconds poll_first{200};
  std::chrono::milliseconds poll_max{5000};
  std::chrono::milliseconds timeout{std::chrono::minutes(30)};
};

// One query's result: column names (lower case, from ResultSetMetadata) and rows; a null cell is nullopt.
struct AthenaTable {
  std::string query_execution_id;
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
  // The cell of `column` in `row`, or "" when the column is missing or the cell is null.
  std::string Cell(size_t row, std::string_view column) const;
};

// Starts one statement, waits for it (sleeping on the client's clock) and reads every page of results.
// The header row Athena puts first in a SELECT's results is dropped. A query that ends FAILED or
// CANCELLED, or outlives options.timeout, fails with Athena's reason in the message.
Result<AthenaTable> RunAthenaQuery(aws::Client* client, const std::string& sql, const AthenaOptions& options);

// The statements of `text`, split at the ";" ending each one, without the ";" (Athena takes one
// statement per query). Blank pieces are dropped; comments stay with the statement that follows them.
std::vector<std::string> SplitStatements(const std::string& text);

// Runs EmitQueries("athena", selectors) and turns the rows into results: the CloudTrail statement's rows
// into `events` (by/on from its relation column), the flow statement's into `flows`. Each row's `file`
// is "athena:<query execution id>". Fields the SQL does not select (resources, selector hits) stay
// empty, except the "by" selector hits found in the identity columns. `results` comes back Finalize()d.
Result<HuntResults> RunAthenaHunt(aws::Client* client, const Selectors& selectors,
                                  const AthenaOptions& options);

// The row conversions, apart for tests.
CloudTrailEvent EventFromAthenaRow(const AthenaTable& table, size_t row, const Selectors& selectors);
void AddFlowAthenaRow(const AthenaTable& table, size_t row, HuntResults* results);

}  // namespace cordon::hunt
