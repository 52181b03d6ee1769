// Test-only: reads paginators-1.json and waiters-2.json from the installed botocore.
//
// The data folder is $CORDON_BOTOCORE_DATA when set, else the one `python3 -c "import botocore"`
// finds (the same lookup src/aws/CMakeLists.txt does at configure time). Header-only so that it stays
// out of the cordon_aws_jmespath library.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/json.h"

namespace cordon::aws::testing {

// The services cordon embeds (src/aws/model/services.txt).
inline const std::vector<std::string>& CordonServices() {
  static const std::vector<std::string> kServices = {
      "ec2",    "autoscaling", "elb",        "elbv2",     "iam",    "sts",
      "ssm",    "s3",          "cloudtrail", "config",    "logs",   "cloudformation",
      "events", "sqs",         "sns",        "guardduty", "athena", "kms",
  };
  return kServices;
}

// botocore's data folder, or "" when botocore cannot be found.
inline std::string BotocoreDataDir() {
  static const std::string dir = [] {
    if (const char* env = std::getenv("CORDON_BOTOCORE_DATA"); env != nullptr && *env != '\0') {
      return std::string(env);
    }
    std::string out;
    FILE* pipe = popen(
        "python3 -c \"import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), 'data'))\" "
        "2>/dev/null",
        "r");
    if (pipe == nullptr) return out;
    char buffer[4096];
    while (fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
    pclose(pipe);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return std::filesystem::is_directory(out) ? out : std::string();
  }();
  return dir;
}

// The newest API version folder of `service` that has a service model, as botocore's loader picks it.
inline std::filesystem::path NewestApiDir(const std::string& service) {
  std::filesystem::path newest;
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(BotocoreDataDir()) / service, ec)) {
    if (!entry.is_directory()) continue;
    bool has_model = std::filesystem::exists(entry.path() / "service-2.json") ||
                     std::filesystem::exists(entry.path() / "service-2.json.gz");
    if (has_model && (newest.empty() || entry.path().filename() > newest.filename())) newest = entry.path();
  }
  return newest;
}

// The parsed file, or null when it does not exist or is not JSON.
inline Json ReadJsonFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Json();
  std::stringstream text;
  text << in.rdbuf();
  Json parsed = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? Json() : parsed;
}

// paginators-1.json's "pagination" with paginators-1.sdk-extras.json merged in; {} when none.
inline Json LoadPaginators(const std::string& service) {
  std::filesystem::path dir = NewestApiDir(service);
  Json doc = ReadJsonFile(dir / "paginators-1.json");
  Json pagination = doc.is_object() && doc.contains("pagination") ? doc["pagination"] : Json::object();
  Json extras = ReadJsonFile(dir / "paginators-1.sdk-extras.json");
  if (extras.is_object() && extras.contains("merge") && extras["merge"].contains("pagination")) {
    for (const auto& op : extras["merge"]["pagination"].items()) {
      for (const auto& member : op.value().items()) pagination[op.key()][member.key()] = member.value();
    }
  }
  return pagination;
}

// waiters-2.json's "waiters"; {} when the service has none.
inline Json LoadWaiters(const std::string& service) {
  Json doc = ReadJsonFile(NewestApiDir(service) / "waiters-2.json");
  return doc.is_object() && doc.contains("waiters") ? doc["waiters"] : Json::object();
}

}  // namespace cordon::aws::testing
