#include "cli/config_file.h"

#include <cstdlib>
#include <filesystem>
#include <utility>

#include "cli/json_input.h"

namespace cordon::cli {
namespace {

namespace fs = std::filesystem;

std::string Env(const char* name, bool* set = nullptr) {
  const char* v = std::getenv(name);
  if (set) *set = v != nullptr;
  return v ? v : "";
}

tl::unexpected<Error> Bad(const std::string& path, const std::string& what) {
  return MakeError(ErrorKind::kInvalidArgument, "configuration file " + path + ": " + what);
}

// Relative entries are relative to the file's folder, not to wherever the responder runs cordon;
// "~/" is the home folder, as a shell would expand it.
std::string Resolve(const std::string& entry, const std::string& config_path) {
  if (entry.rfind("s3://", 0) == 0) return entry;
  if (entry.rfind("~/", 0) == 0) return (fs::path(Env("HOME")) / entry.substr(2)).string();
  const fs::path p(entry);
  if (p.is_absolute()) return entry;
  return (fs::path(config_path).parent_path() / p).lexically_normal().string();
}

}  // namespace

std::string ConfigFilePath(bool* explicit_path) {
  bool set = false;
  std::string path = Env("CORDON_CONFIG", &set);
  *explicit_path = set;
  if (set) return path;
  if (std::string xdg = Env("XDG_CONFIG_HOME"); !xdg.empty()) return xdg + "/cordon/config.json";
  if (std::string home = Env("HOME"); !home.empty()) return home + "/.config/cordon/config.json";
  return "";
}

Result<ConfigFile> ParseConfigFile(const std::string& path, const Json& doc) {
  ConfigFile config;
  config.path = path;
  if (!doc.is_object()) return Bad(path, "expected a JSON object, like {\"hunt\": {\"cloudtrail\": [...]}}");
  for (const auto& [key, value] : doc.items()) {
    if (key == "cases_dir") {
      if (!value.is_string() || value.get<std::string>().empty())
        return Bad(path, "\"cases_dir\" must be a folder's path");
      if (value.get<std::string>().rfind("s3://", 0) == 0)
        return Bad(path, "\"cases_dir\" must be a local folder, not an S3 prefix");
      config.cases_dir = Resolve(value.get<std::string>(), path);
      continue;
    }
    if (key != "hunt") return Bad(path, "unknown key \"" + key + "\" (known: cases_dir, hunt)");
    if (!value.is_object()) return Bad(path, "\"hunt\" must be an object");
  }
  const Json hunt = doc.value("hunt", Json::object());
  const std::pair<const char*, std::vector<std::string>*> lists[] = {{"cloudtrail", &config.hunt.cloudtrail},
                                                                     {"flow_logs", &config.hunt.flow_logs},
                                                                     {"guardduty", &config.hunt.guardduty},
                                                                     {"config", &config.hunt.config}};
  for (const auto& [key, value] : hunt.items()) {
    std::vector<std::string>* out = nullptr;
    for (const auto& [name, list] : lists)
      if (key == name) out = list;
    if (!out) {
      return Bad(path, "unknown key \"hunt." + key + "\" (known: cloudtrail, flow_logs, guardduty, config)");
    }
    const Json entries = value.is_string() ? Json::array({value}) : value;
    if (!entries.is_array()) return Bad(path, "\"hunt." + key + "\" must be a path or a list of paths");
    for (const Json& entry : entries) {
      if (!entry.is_string() || entry.get<std::string>().empty()) {
        return Bad(path, "\"hunt." + key + "\" holds " + entry.dump() + ", not a path or s3:// prefix");
      }
      out->push_back(Resolve(entry.get<std::string>(), path));
    }
  }
  return config;
}

Result<ConfigFile> LoadConfigFile() {
  bool explicit_path = false;
  const std::string path = ConfigFilePath(&explicit_path);
  if (path.empty()) return ConfigFile{};
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    // Most responders have no file; only a file they named must be there.
    if (!explicit_path) return ConfigFile{};
    return Bad(path, "does not exist (named by $CORDON_CONFIG)");
  }
  if (fs::is_directory(path, ec)) return Bad(path, "is a folder, not a file");
  Result<Json> doc = ReadJsonArgument("@" + path);
  if (!doc) return MakeError(ErrorKind::kInvalidArgument, "configuration file: " + doc.error().message);
  return ParseConfigFile(path, *doc);
}

}  // namespace cordon::cli
