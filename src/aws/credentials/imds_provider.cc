#include "aws/credentials/imds_provider.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "base/json.h"
#include "base/strings.h"

namespace cordon::aws {
namespace {

constexpr std::string_view kIpv6Endpoint = "http://[fd00:ec2::254]/";
constexpr std::string_view kTokenPath = "latest/api/token";
constexpr std::string_view kCredentialsPath = "latest/meta-data/iam/security-credentials/";
constexpr std::string_view kTokenTtlSeconds = "21600";

std::optional<std::string> Setting(const Environment& env, std::string_view variable, const Profile* profile,
                                   std::string_view key) {
  if (std::optional<std::string> value = env.GetNonEmpty(variable)) return value;
  if (profile != nullptr) return profile->Get(key);
  return std::nullopt;
}

tl::unexpected<Error> NotFound(std::string message) {
  return MakeError(ErrorKind::kNotFound, "instance metadata: " + std::move(message));
}

}  // namespace

Result<ImdsSettings> ResolveImdsSettings(const Environment& env, const Profile* profile) {
  ImdsSettings settings;
  settings.disabled = env.IsTrue("AWS_EC2_METADATA_DISABLED");
  std::optional<std::string> mode =
      Setting(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", profile, "ec2_metadata_service_endpoint_mode");
  if (mode) {
    std::string lower = ToLower(Trim(*mode));
    if (lower == "ipv6") {
      settings.endpoint = std::string(kIpv6Endpoint);
    } else if (lower != "ipv4") {
      return MakeError(
          ErrorKind::kInvalidArgument,
          fmt::format("ec2_metadata_service_endpoint_mode must be IPv4 or IPv6, not '{}'", *mode));
    }
  }
  // An explicit endpoint wins over the mode, as in botocore.
  if (std::optional<std::string> endpoint =
          Setting(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT", profile, "ec2_metadata_service_endpoint")) {
    std::string lower = ToLower(*endpoint);
    if (!StartsWith(lower, "http://") && !StartsWith(lower, "https://")) {
      return MakeError(ErrorKind::kInvalidArgument,
                       fmt::format("the EC2 metadata endpoint '{}' is not an http(s) URL", *endpoint));
    }
    settings.endpoint = *endpoint;
  }
  if (std::optional<std::string> v1 =
          Setting(env, "AWS_EC2_METADATA_V1_DISABLED", profile, "ec2_metadata_v1_disabled")) {
    settings.v1_disabled = EqualsIgnoreCase(Trim(*v1), "true");
  }
  if (std::optional<std::string> attempts =
          Setting(env, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", profile, "metadata_service_num_attempts")) {
    std::string_view text = Trim(*attempts);
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "metadata_service_num_attempts must be a positive integer");
    }
    settings.attempts = value;
  }
  if (std::optional<std::string> timeout =
          Setting(env, "AWS_METADATA_SERVICE_TIMEOUT", profile, "metadata_service_timeout")) {
    std::string text(Trim(*timeout));
    char* end = nullptr;
    double seconds = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(seconds) || seconds <= 0) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "metadata_service_timeout must be a positive number of seconds");
    }
    settings.timeout = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  }
  return settings;
}

HttpOptions MetadataHttpOptions(const ImdsSettings& settings) {
  HttpOptions options;
  options.connect_timeout = settings.timeout;
  options.request_timeout = settings.timeout;
  return options;
}

std::string ImdsProvider::Url(std::string_view path) const {
  return settings_.endpoint + (EndsWith(settings_.endpoint, "/") ? "" : "/") + std::string(path);
}

Result<std::optional<std::string>> ImdsProvider::FetchToken() {
  HttpRequest request;
  request.method = "PUT";
  request.url = Url(kTokenPath);
  request.headers.Set("X-aws-ec2-metadata-token-ttl-seconds", std::string(kTokenTtlSeconds));
  for (int attempt = 0; attempt < settings_.attempts; ++attempt) {
    Result<HttpResponse> response = transport_->Send(request);
    if (!response) continue;  // no answer: retry, then fall back to IMDSv1 as botocore does
    if (response->status == 200 && !response->body.empty()) return response->body;
    if (response->status == 403 || response->status == 404 || response->status == 405) return std::nullopt;
    if (response->status == 400) return NotFound("the token request was rejected (HTTP 400)");
  }
  return std::nullopt;
}

Result<std::string> ImdsProvider::FetchWithRetry(std::string_view path,
                                                 const std::optional<std::string>& token, bool want_json) {
  HttpRequest request;
  request.method = "GET";
  request.url = Url(path);
  if (token) request.headers.Set("X-aws-ec2-metadata-token", *token);
  std::string last = "no answer";
  for (int attempt = 0; attempt < settings_.attempts; ++attempt) {
    Result<HttpResponse> response = transport_->Send(request);
    if (!response) {
      last = "no answer (" + response.error().message + ")";
      continue;
    }
    if (response->status != 200) {
      last = response->status == 404 ? "HTTP 404 (no instance profile attached?)"
                                     : fmt::format("HTTP {}", response->status);
      continue;
    }
    if (response->body.empty()) {
      last = "an empty answer";
      continue;
    }
    if (want_json && !Json::accept(response->body)) {
      last = "an answer that is not JSON";
      continue;
    }
    return response->body;
  }
  return NotFound(fmt::format("GET /{} got {}", path, last));
}

Result<Credentials> ImdsProvider::Get() {
  if (settings_.disabled) return NotFound("disabled by AWS_EC2_METADATA_DISABLED");
  Result<std::optional<std::string>> token = FetchToken();
  if (!token) return tl::unexpected(token.error());
  if (!*token && settings_.v1_disabled) {
    return NotFound("no IMDSv2 token (not on EC2, or the hop limit is too low) and IMDSv1 is disabled");
  }
  Result<std::string> roles = FetchWithRetry(kCredentialsPath, *token, /*want_json=*/false);
  if (!roles) return tl::unexpected(roles.error());
  // The listing has one role per line; an instance profile holds exactly one role.
  std::string role(Trim(std::string_view(*roles).substr(0, roles->find('\n'))));
  if (role.empty()) return NotFound("no role name in the instance profile listing");

  Result<std::string> body = FetchWithRetry(std::string(kCredentialsPath) + role, *token, /*want_json=*/true);
  if (!body) return tl::unexpected(body.error());
  Json doc = Json::parse(*body, nullptr, /*allow_exceptions=*/false);
  auto text = [&](const char* key) -> std::string {
    if (!doc.is_object()) return "";
    auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
  };
  Credentials creds;
  creds.access_key_id = text("AccessKeyId");
  creds.secret_access_key = text("SecretAccessKey");
  creds.session_token = text("Token");
  std::string expiration = text("Expiration");
  if (creds.empty() || creds.session_token.empty() || expiration.empty()) {
    std::string code = text("Code");
    return NotFound(
        fmt::format("role '{}' returned no credentials{}", role, code.empty() ? "" : " (" + code + ")"));
  }
  creds.expiration = ParseTimestamp(expiration);
  if (!creds.expiration) return NotFound(fmt::format("role '{}': Expiration is not a timestamp", role));
  creds.source = "imds:" + role;
  return creds;
}

}  // namespace cordon::aws
