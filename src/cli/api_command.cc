#include "cli/api_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "aws/jmespath/jmespath.h"
#include "cli/exit_codes.h"
#include "cli/json_input.h"
#include "cli/output.h"
#include "cli/result_output.h"

namespace cordon::cli {

namespace {

struct ApiFlags {
  std::string service, operation, input_text, output_file;
  ResultFlags result;  // --output (default json), --query
  bool paginate = false;
  Json input;  // from input_text, by Check
};

// The input is read before the client is made: a bad file or JSON is a usage error, whatever the
// credentials.
Status Check(ApiFlags& f) {
  auto input = ReadJsonArgument(f.input_text);
  if (!input) return MakeError(input.error());
  if (!input->is_object())
    return MakeError(ErrorKind::kInvalidArgument,
                     "the input must be a JSON object, e.g. '{\"InstanceIds\": [\"i-0123456789abcdef0\"]}'");
  f.input = std::move(*input);
  return CheckResultFlags(f.result);
}

int Api(const CommandContext& ctx, const ApiFlags& f) {
  auto client = ctx.Client();
  if (!client) return ReportError(client.error());
  aws::CallOptions options;
  options.output_file = f.output_file;
  auto result = f.paginate ? (*client)->CallAll(f.service, f.operation, f.input, options)
                           : (*client)->Call(f.service, f.operation, f.input, options);
  if (!result) return ReportError(result.error());
  if (f.result.output != "json") return PrintResult(*result, f.result);
  // JSON indented 4, as the AWS CLI prints it (PrintResult indents 2, as cordon's own documents).
  Json out = std::move(*result);
  if (!f.result.query.empty()) {
    auto searched = jmespath::Search(f.result.query, out);
    if (!searched) return ReportError(searched.error());
    out = std::move(*searched);
  }
  std::string text = out.dump(4, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
  return kExitOk;
}

}  // namespace

CommandBody SetupApi(CLI::App& app) {
  app.description(
      "Call any embedded AWS operation; prints its output as JSON, shaped as boto3 returns it "
      "(without ResponseMetadata).");
  auto f = std::make_shared<ApiFlags>();
  app.add_option("service", f->service, "botocore service name, e.g. ec2, elbv2, logs")->required();
  app.add_option("operation", f->operation, "operation name, e.g. DescribeInstances")->required();
  app.add_option("input", f->input_text, "input as JSON, or @file (@- for stdin)");
  app.add_flag("--paginate", f->paginate, "follow every page and merge them, as boto3's build_full_result()");
  app.add_option("--output-file", f->output_file,
                 "write a streaming payload (S3 GetObject Body) to this file");
  f->result.output = "json";
  AddResultFlags(app, &f->result, "the output");
  return {[f](const CommandContext& ctx) { return Api(ctx, *f); }, [f] { return Check(*f); }};
}

}  // namespace cordon::cli
