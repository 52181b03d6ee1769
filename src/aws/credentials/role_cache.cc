#include "aws/credentials/role_cache.h"

#include "aws/credentials/cache_file.h"
#include "base/json.h"

namespace cordon::aws {
namespace {

// Python's json.dumps() text of a string (ensure_ascii, as botocore calls it).
std::string PyString(const std::string& text) { return Json(text).dump(-1, ' ', /*ensure_ascii=*/true); }

}  // namespace

std::string RoleCachePath(const Environment& env, const AssumeRoleRequest& request,
                          bool configured_session_name) {
  std::string dir = AwsCacheDir(env, "cli/cache");
  if (dir.empty()) return "";
  // json.dumps(sort_keys=True) with its default separators: ", " and ": ".
  std::string args = "{";
  auto add = [&args](const char* key, const std::string& value) {
    if (args.size() > 1) args += ", ";
    args += PyString(key) + ": " + value;
  };
  if (request.duration_seconds > 0) add("DurationSeconds", std::to_string(request.duration_seconds));
  if (!request.external_id.empty()) add("ExternalId", PyString(request.external_id));
  add("RoleArn", PyString(request.role_arn));
  if (configured_session_name) add("RoleSessionName", PyString(request.session_name));
  if (!request.serial_number.empty()) add("SerialNumber", PyString(request.serial_number));
  args += "}";
  return dir + "/" + Sha1Hex(args) + ".json";
}

std::optional<Credentials> LoadCachedRole(const std::string& path, TimePoint now) {
  if (path.empty()) return std::nullopt;
  Result<Json> doc = ReadCacheFile(path);
  if (!doc) return std::nullopt;
  auto c = doc->find("Credentials");
  if (c == doc->end() || !c->is_object()) return std::nullopt;
  Credentials creds;
  auto text = [&c](const char* key) {
    auto it = c->find(key);
    return it != c->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  creds.access_key_id = text("AccessKeyId");
  creds.secret_access_key = text("SecretAccessKey");
  creds.session_token = text("SessionToken");
  creds.expiration = ParseTimestamp(text("Expiration"));
  if (creds.empty() || !creds.expiration || *creds.expiration - now <= kRoleCacheExpiryWindow)
    return std::nullopt;
  return creds;
}

Status StoreCachedRole(const std::string& path, const Credentials& creds) {
  if (path.empty() || !creds.expiration) return Ok();
  Json doc = {{"Credentials",
               {{"AccessKeyId", creds.access_key_id},
                {"SecretAccessKey", creds.secret_access_key},
                {"SessionToken", creds.session_token},
                {"Expiration", FormatIsoLikeBoto3(*creds.expiration)}}}};
  return WriteCacheFile(path, doc);
}

}  // namespace cordon::aws
