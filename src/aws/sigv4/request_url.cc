#include "aws/sigv4/request_url.h"

#include "base/strings.h"

namespace cordon::aws::sigv4::detail {

RequestUrl SplitRequestUrl(std::string_view url) {
  RequestUrl out;
  if (size_t hash = url.find('#'); hash != std::string_view::npos) url = url.substr(0, hash);
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return out;
  out.scheme = ToLower(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);

  size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);

  // The port follows the last ':' unless that ':' is inside an IPv6 literal ("[::1]").
  std::string_view host = authority, port;
  size_t colon = authority.rfind(':');
  size_t bracket = authority.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  bool default_port =
      port.empty() || (out.scheme == "https" && port == "443") || (out.scheme == "http" && port == "80");
  if (!host.empty())
    out.host_header = default_port ? std::string(host) : std::string(host) + ":" + std::string(port);

  size_t question = rest.find('?');
  out.path = std::string(rest.substr(0, question));
  if (question != std::string_view::npos) {
    out.has_query_mark = true;
    out.query = std::string(rest.substr(question + 1));
  }
  return out;
}

}  // namespace cordon::aws::sigv4::detail
