#include "cli/api_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "aws/jmespath/jmespath.h"
#include "cli/aws_flags.h"
#include "cli/exit_codes.h"
#include "cli/json_input.h"
#include "cli/output.h"
#include "cli/parse_flags.h"

namespace cordon::cli {

int RunApi(int argc, char** argv) {
  CLI::App app{
      "Call any embedded AWS operation; prints its output as JSON, shaped as boto3 returns it "
      "(without ResponseMetadata).",
      "cordon api"};
  std::string service, operation, input_text;
  bool paginate = false;
  std::string output_file, query;
  aws::ClientFlags flags;
  app.add_option("service", service, "botocore service name, e.g. ec2, elbv2, logs")->required();
  app.add_option("operation", operation, "operation name, e.g. DescribeInstances")->required();
  app.add_option("input", input_text, "input as JSON, or @file (@- for stdin)");
  app.add_flag("--paginate", paginate, "follow every page and merge them, as boto3's build_full_result()");
  app.add_option("--output-file", output_file, "write a streaming payload (S3 GetObject Body) to this file");
  app.add_option("--query", query, "JMESPath expression applied to the output");
  AddAwsFlags(app, &flags);
  if (auto done = ParseFlags(app, argc, argv)) return *done;
  auto input = ReadJsonArgument(input_text);
  if (!input) return ReportError(input.error());
  if (!input->is_object()) {
    PrintError("the input must be a JSON object, e.g. '{\"InstanceIds\": [\"i-0123456789abcdef0\"]}'");
    return kExitUsage;
  }
  auto client = aws::MakeClient(flags);
  if (!client) return ReportError(client.error());
  aws::CallOptions options;
  options.output_file = output_file;
  auto result = paginate ? (*client)->CallAll(service, operation, *input, options)
                         : (*client)->Call(service, operation, *input, options);
  if (!result) return ReportError(result.error());
  Json out = std::move(*result);
  if (!query.empty()) {
    auto searched = jmespath::Search(query, out);
    if (!searched) return ReportError(searched.error());
    out = std::move(*searched);
  }
  std::string text = out.dump(4, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
  return kExitOk;
}

}  // namespace cordon::cli
