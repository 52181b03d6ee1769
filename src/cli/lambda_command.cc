#include "cli/lambda_command.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "automation/handover.h"
#include "automation/lambda_package.h"
#include "automation/lambda_runtime.h"
#include "automation/policy.h"
#include "aws/http/curl_transport.h"
#include "base/strings.h"
#include "cli/exit_codes.h"
#include "cli/json_log.h"
#include "cli/output.h"
#include "cli/result_output.h"
#include "response/bucket/bucket_ref.h"
#include "response/bucket/write_once.h"
#include "response/memory/capture_order.h"

namespace cordon::cli {
namespace {

std::string EnvText(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

// CORDON_POLICY: the policy's JSON itself (it starts with '{'), or a file's path; unset: contain every
// GuardDuty finding on an instance and every incident-response=contain tag change, as watch does.
Result<automation::Policy> LambdaPolicy() {
  std::string policy = EnvText("CORDON_POLICY");
  if (policy.empty()) return automation::DefaultPolicy("incident-response", "contain");
  auto parsed = std::string(Trim(policy)).starts_with("{") ? automation::ParsePolicy(policy, "CORDON_POLICY")
                                                           : automation::LoadPolicy(policy);
  if (!parsed) return parsed;
  if (parsed->CapturesMemory())
    return MakeError(ErrorKind::kInvalidArgument,
                     "CORDON_POLICY: contain+capture-memory is not supported by the Lambda runtime yet; "
                     "run `cordon watch --capture-memory ...` for those rules");
  return parsed;
}

// The function's configuration, from its environment (docs/response.md, "cordon as a Lambda function").
Result<automation::LambdaOptions> LambdaOptionsFromEnv() {
  automation::LambdaOptions o;
  auto policy = LambdaPolicy();
  if (!policy) return MakeError(policy.error());
  o.watch.policy = std::move(*policy);
  // /tmp is the only writable folder of a Lambda sandbox.
  std::string cases = EnvText("CORDON_CASES_DIR");
  o.watch.cases_root = cases.empty() ? "/tmp/cordon-cases" : cases;
  std::string responder = EnvText("CORDON_RESPONDER");
  o.watch.responder = responder.empty() ? "cordon-lambda" : responder;
  std::string asg = EnvText("CORDON_ASG");
  if (!asg.empty() && asg != "detach" && asg != "standby")
    return MakeError(ErrorKind::kInvalidArgument, "CORDON_ASG must be detach or standby");
  o.watch.response.asg_mode = asg == "standby" ? response::AsgMode::kStandby : response::AsgMode::kDetach;
  if (auto s = response::SelectMemoryCapture(response::MemoryCaptureOptions{}, &o.watch.selection); !s)
    return MakeError(s.error());
  o.watch.capture_selection = o.watch.selection;  // never used: a capturing policy is refused above
  if (std::string notify = EnvText("CORDON_NOTIFY"); !notify.empty()) {
    auto topic = automation::ParseNotifyTarget(notify);
    if (!topic) return WithContext(topic.error(), "CORDON_NOTIFY");
    o.watch.notify_topic = *topic;
  }
  // CORDON_EVIDENCE_BUCKET: as watch's --evidence-bucket, every case the function changes is exported
  // there and its journal anchored. Checked write-once at start (LambdaRuntime).
  if (std::string bucket = EnvText("CORDON_EVIDENCE_BUCKET"); !bucket.empty()) {
    auto ref = response::ParseBucketUri(bucket, "CORDON_EVIDENCE_BUCKET");
    if (!ref) return MakeError(ref.error());
    o.watch.evidence_bucket = *ref;
  }
  if (std::string max = EnvText("CORDON_LAMBDA_MAX_INVOCATIONS"); !max.empty()) {
    // from_chars refuses a sign, trailing text and a value past int, where strtol would wrap.
    int n = 0;
    auto [end, ec] = std::from_chars(max.data(), max.data() + max.size(), n);
    if (ec != std::errc() || end != max.data() + max.size() || n < 0)
      return MakeError(ErrorKind::kInvalidArgument,
                       "CORDON_LAMBDA_MAX_INVOCATIONS must be a whole number >= 0");
    o.max_invocations = n;
  }
  return o;
}

// A transport for the Runtime API: `next` blocks until an invocation comes, for as long as that takes
// (the sandbox may be frozen in between), so no request or stalled-read timeout.
aws::HttpOptions RuntimeHttpOptions() {
  aws::HttpOptions h;
  h.request_timeout = std::chrono::milliseconds(0);  // libcurl: no limit
  h.read_timeout = std::chrono::hours(24 * 365);
  return h;
}

int LambdaRuntime(const CommandContext& ctx) {
  const std::string api_host = EnvText("AWS_LAMBDA_RUNTIME_API");
  if (api_host.empty()) {
    PrintError("AWS_LAMBDA_RUNTIME_API is not set: `cordon lambda-runtime` runs inside AWS Lambda");
    return kExitUsage;
  }
  aws::CurlTransport transport(RuntimeHttpOptions());
  automation::RuntimeApi api(&transport, api_host);
  // An error before the first invocation goes to /init/error, where Lambda shows it for the function.
  auto init_failed = [&](const Error& e) {
    LogJsonLine(Json{{"log", "init-error"}, {"error", e.ToString()}});
    if (auto s = api.InitError({"Cordon.InitError", e.ToString()}); !s)
      LogJsonLine(Json{{"log", "error"}, {"error", s.error().ToString()}});
    return ExitCodeFor(e);
  };
  auto options = LambdaOptionsFromEnv();
  if (!options) return init_failed(options.error());
  auto client = ctx.Client();
  if (!client) return init_failed(client.error());
  Json start{{"log", "start"},
             {"runtime_api", api_host},
             {"cases_dir", options->watch.cases_root.string()},
             {"rules", options->watch.policy.rules.size()}};
  if (const auto& bucket = options->watch.evidence_bucket) {
    // Before the first invocation, as watch does: cases go only to a bucket that cannot be rewritten
    // (CORDON_ALLOW_UNLOCKED_BUCKET=1 is --allow-unlocked-bucket).
    auto lock = response::RequireWriteOnce(**client, *bucket, EnvText("CORDON_ALLOW_UNLOCKED_BUCKET") == "1",
                                           "CORDON_EVIDENCE_BUCKET");
    if (!lock) {
      Error e = lock.error();  // names the flag; the function's switch is a variable
      e.message += " (in Lambda: CORDON_ALLOW_UNLOCKED_BUCKET=1)";
      return init_failed(e);
    }
    options->watch.bucket_lock = *lock;
    start["evidence_bucket"] = bucket->Uri();
    start["bucket_lock"] = lock->Describe();
  }
  LogJsonLine(start);
  if (auto s = automation::RunLambdaLoop(**client, api, *options, LogJsonLine, nullptr); !s) {
    LogJsonLine(Json{{"log", "error"}, {"error", s.error().ToString()}});
    return ReportError(s.error());
  }
  return kExitOk;
}

struct PackageFlags {
  automation::PackageOptions options;
  bool no_strip = false;
  ResultFlags result;  // --output (default json), --query
};

int Package(PackageFlags& f) {
  f.options.strip = !f.no_strip;
  auto report = automation::BuildLambdaPackage(f.options);
  if (!report) return ReportError(report.error());
  Json out = {{"zip", f.options.out.string()}, {"bytes", report->zip_bytes}, {"files", report->files},
              {"runtime", "provided.al2023"},  {"architecture", "x86_64"},   {"handler", "bootstrap"}};
  if (int status = PrintResult(out, f.result); status != kExitOk) return status;
  PrintInfo("wrote " + f.options.out.string() + " (" + std::to_string(report->files.size()) + " files)");
  return kExitOk;
}

}  // namespace

CommandBody SetupLambdaRuntime(CLI::App& app) {
  app.description(
      "Run as an AWS Lambda function's runtime (what the bootstrap of `cordon automation package` runs):\n"
      "take invocations from the Runtime API at $AWS_LAMBDA_RUNTIME_API and handle each event as\n"
      "`cordon watch` would. Configured by the environment: CORDON_POLICY (JSON or a file), CORDON_NOTIFY,\n"
      "CORDON_CASES_DIR (default /tmp/cordon-cases), CORDON_RESPONDER, CORDON_ASG, CORDON_EVIDENCE_BUCKET\n"
      "(s3://BUCKET[/PREFIX]: each case exported and anchored there; CORDON_ALLOW_UNLOCKED_BUCKET=1).");
  return {[](const CommandContext& ctx) { return LambdaRuntime(ctx); }, {}};
}

CommandBody SetupAutomationPackage(CLI::App& app) {
  app.description(
      "Build the zip that runs cordon as a Lambda function on provided.al2023 (x86_64): a static\n"
      "bootstrap, this cordon binary, its dynamic loader, every shared library it needs and a CA bundle,\n"
      "so that it runs with nothing from the system (AL2023's glibc is older than this build's).");
  auto f = std::make_shared<PackageFlags>();
  app.add_option("--out", f->options.out, "the zip to write (default cordon-lambda.zip)");
  app.add_option("--binary", f->options.binary, "the cordon binary to package (default: this one)");
  app.add_option("--bootstrap", f->options.bootstrap,
                 "the static launcher (default: cordon-lambda-bootstrap beside the binary)");
  app.add_option("--ca-bundle", f->options.ca_bundle,
                 "the CA certificates to ship (default /etc/ssl/certs/ca-certificates.crt)");
  app.add_flag("--no-strip", f->no_strip, "keep the binary's debug sections (a larger zip)");
  f->result.output = "json";
  AddResultFlags(app, &f->result, "the package's contents");
  return {[f](const CommandContext&) { return Package(*f); }, [f] { return CheckResultFlags(f->result); }};
}

}  // namespace cordon::cli
