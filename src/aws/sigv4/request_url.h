// The pieces of an absolute request URL that signing needs: host, path and query.
#pragma once

#include <string>
#include <string_view>

namespace cordon::aws::sigv4::detail {

struct RequestUrl {
  std::string scheme;  // lowercased, e.g. "https"
  // The Host header value the URL implies: the host, plus ":port" when the port is not the scheme's
  // default (443 for https, 80 for http). User info ("user@") is dropped.
  std::string host_header;
  std::string path;             // as written, e.g. "/a%20b"; may be empty
  std::string query;            // without the '?'; empty when there is none
  bool has_query_mark = false;  // the URL has a '?', even if the query after it is empty

  // True when the URL has a scheme and a host, which signing needs.
  bool valid() const { return !scheme.empty() && !host_header.empty(); }
};

// Splits `url` (scheme://authority/path?query#fragment) without decoding anything. Never fails: for
// anything that is not an absolute URL the result is not valid(). The fragment is dropped.
RequestUrl SplitRequestUrl(std::string_view url);

}  // namespace cordon::aws::sigv4::detail
