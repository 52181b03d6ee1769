#include "aws/credentials/client_settings.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "base/strings.h"

namespace cordon::aws {

std::string ServiceIdSnakeCase(std::string_view service_id) {
  std::string out = ToLower(Trim(service_id));
  for (char& c : out)
    if (c == ' ' || c == '-') c = '_';
  return out;
}

std::optional<std::string> ClientSettings::Lookup(std::string_view variable, std::string_view key) const {
  if (std::optional<std::string> value = env_.GetNonEmpty(variable)) return value;
  std::optional<std::string> value = config_->Get(profile_, key);
  if (value && value->empty()) return std::nullopt;
  return value;
}

std::optional<std::string> ClientSettings::Region() const {
  if (std::optional<std::string> region = env_.GetNonEmpty("AWS_REGION")) return region;
  return Lookup("AWS_DEFAULT_REGION", "region");
}

Result<std::optional<std::string>> ClientSettings::EndpointUrl(std::string_view service_id) const {
  if (std::optional<std::string> ignore =
          Lookup("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls");
      ignore && EqualsIgnoreCase(Trim(*ignore), "true")) {
    return std::nullopt;
  }
  std::string snake = ServiceIdSnakeCase(service_id);
  std::string upper = snake;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (std::optional<std::string> url = env_.GetNonEmpty("AWS_ENDPOINT_URL_" + upper)) return url;
  if (std::optional<std::string> url = env_.GetNonEmpty("AWS_ENDPOINT_URL")) return url;

  const Profile* profile = config_->Find(profile_);
  if (profile == nullptr) return std::nullopt;
  if (std::optional<std::string> section_name = profile->Get("services")) {
    const Profile* services = config_->FindServices(*section_name);
    if (services == nullptr) {
      return MakeError(ErrorKind::kInvalidArgument,
                       fmt::format("profile '{}' uses the services section '{}', which does not exist in {}",
                                   profile_, *section_name, config_->config_path()));
    }
    if (std::optional<std::string> url = services->GetSub(snake, "endpoint_url"); url && !url->empty())
      return url;
  }
  std::optional<std::string> url = profile->Get("endpoint_url");
  if (url && url->empty()) return std::nullopt;
  return url;
}

Result<std::optional<int>> ClientSettings::MaxAttempts() const {
  std::optional<std::string> text = Lookup("AWS_MAX_ATTEMPTS", "max_attempts");
  if (!text) return std::nullopt;
  std::string_view trimmed = Trim(*text);
  int value = 0;
  auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
  if (ec != std::errc() || end != trimmed.data() + trimmed.size() || value < 1) {
    return MakeError(ErrorKind::kInvalidArgument,
                     fmt::format("max_attempts must be a positive integer, not '{}'", *text));
  }
  return value;
}

Result<std::optional<std::string>> ClientSettings::RetryMode() const {
  std::optional<std::string> mode = Lookup("AWS_RETRY_MODE", "retry_mode");
  if (!mode) return std::nullopt;
  std::string value(Trim(*mode));
  if (value != "legacy" && value != "standard" && value != "adaptive") {
    return MakeError(ErrorKind::kInvalidArgument,
                     fmt::format("retry_mode must be legacy, standard or adaptive, not '{}'", *mode));
  }
  return value;
}

}  // namespace cordon::aws
