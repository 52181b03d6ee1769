#include "aws/credentials/container_provider.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include "base/json.h"
#include "base/read_file.h"
#include "base/strings.h"

namespace cordon::aws {
namespace {

constexpr std::string_view kEcsHost = "http://169.254.170.2";
constexpr int kAttempts = 3;
constexpr std::chrono::milliseconds kRetryDelay{1000};

// The host of an absolute URL, without brackets for IPv6 literals; "" when there is none.
std::string HostOf(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  size_t at = rest.rfind('@');
  if (at != std::string_view::npos) rest = rest.substr(at + 1);
  if (StartsWith(rest, "[")) {
    size_t close = rest.find(']');
    return close == std::string_view::npos ? "" : ToLower(rest.substr(1, close - 1));
  }
  return ToLower(rest.substr(0, rest.find(':')));
}

bool IsLoopback(const std::string& host) {
  in_addr v4;
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6;
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

Result<Credentials> ParseContainerCredentials(std::string_view body) {
  Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object())
    return MakeError(ErrorKind::kParse, "the response is not a JSON object");
  auto text = [&](const char* key) -> std::string {
    auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
  };
  Credentials creds;
  creds.access_key_id = text("AccessKeyId");
  creds.secret_access_key = text("SecretAccessKey");
  creds.session_token = text("Token");
  if (creds.empty()) return MakeError(ErrorKind::kParse, "the response has no AccessKeyId/SecretAccessKey");
  if (std::string expiration = text("Expiration"); !expiration.empty()) {
    creds.expiration = ParseTimestamp(expiration);
    if (!creds.expiration)
      return MakeError(ErrorKind::kParse, "the response's Expiration is not a timestamp");
  }
  creds.source = "container";
  return creds;
}

}  // namespace

bool ContainerHostAllowed(std::string_view url) {
  if (StartsWith(ToLower(url), "https://")) return !HostOf(url).empty();
  if (!StartsWith(ToLower(url), "http://")) return false;
  std::string host = HostOf(url);
  for (std::string_view allowed : {"169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost"})
    if (host == allowed) return true;
  return IsLoopback(host);
}

Result<Credentials> ContainerProvider::Get() {
  std::optional<std::string> relative = env_.Get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  std::optional<std::string> full = env_.Get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (!relative && !full) {
    return MakeError(
        ErrorKind::kNotFound,
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set");
  }
  HttpRequest request;
  request.method = "GET";
  request.url = relative ? std::string(kEcsHost) + *relative : *full;
  if (!ContainerHostAllowed(request.url)) {
    return MakeError(ErrorKind::kInvalidArgument,
                     fmt::format("container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI host '{}' is not "
                                 "allowed; use https, a loopback address, or one of 169.254.170.2, "
                                 "169.254.170.23, fd00:ec2::23, localhost",
                                 HostOf(request.url)));
  }
  request.headers.Set("Accept", "application/json");

  std::optional<std::string> token;
  if (std::optional<std::string> file = env_.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    Result<std::string> text = ReadSmallFile(*file);
    if (!text) return MakeError(ErrorKind::kIo, "container credentials token: " + text.error().message);
    token = std::move(*text);
  } else {
    token = env_.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }
  if (token) {
    if (token->find_first_of("\r\n") != std::string::npos) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "container credentials: the authorization token contains a line break");
    }
    request.headers.Set("Authorization", *token);
  }

  Result<Credentials> creds = MakeError(ErrorKind::kInternal, "no attempt made");
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    creds = FetchOnce(request);
    if (creds) return creds;
    if (attempt < kAttempts) clock_->SleepFor(kRetryDelay);
  }
  return WithContext(creds.error(),
                     fmt::format("container credentials from {} ({} attempts)", request.url, kAttempts));
}

Result<Credentials> ContainerProvider::FetchOnce(const HttpRequest& request) {
  Result<HttpResponse> response = transport_->Send(request);
  if (!response) return tl::unexpected(response.error());
  if (response->status != 200) {
    Error error{ErrorKind::kService, fmt::format("HTTP {}", response->status), "", response->status, ""};
    if (response->status >= 500) error.kind = ErrorKind::kTransient;
    return MakeError(std::move(error));
  }
  return ParseContainerCredentials(response->body);
}

}  // namespace cordon::aws
