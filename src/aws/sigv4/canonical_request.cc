#include "aws/sigv4/canonical_request.h"

#include <algorithm>
#include <array>

#include "aws/sigv4/request_url.h"
#include "base/encoding.h"
#include "base/hash.h"
#include "base/strings.h"

namespace cordon::aws::sigv4 {
namespace {

// Headers that hop-by-hop machinery (proxies, curl, tracing) may add, drop or rewrite after signing.
constexpr std::array<std::string_view, 6> kUnsignedHeaders = {
    "authorization", "connection", "expect", "transfer-encoding", "user-agent", "x-amzn-trace-id",
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

// Trims the value and turns every run of whitespace inside it into a single space.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

bool IsSigned(std::string_view lower_name, const SigningParams& p) {
  if (std::find(kUnsignedHeaders.begin(), kUnsignedHeaders.end(), lower_name) != kUnsignedHeaders.end()) {
    return false;
  }
  return !(p.omit_session_token && lower_name == "x-amz-security-token");
}

// `path` is not empty (CanonicalUri handles that case).
std::string NormalizePath(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  for (std::string_view segment : segments) {
    out += '/';
    out += segment;
  }
  if (segments.empty() || path.back() == '/') out += '/';
  return out;
}

}  // namespace

std::string CanonicalUri(std::string_view path, const SigningParams& p) {
  if (path.empty()) return "/";
  std::string out = p.normalize_path ? NormalizePath(path) : std::string(path);
  return p.double_encode_path ? UriEncode(out, /*keep_slash=*/true) : out;
}

QueryParams ParseQuery(std::string_view query) {
  QueryParams out;
  for (const std::string& piece : Split(query, '&')) {
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    std::string_view key = std::string_view(piece).substr(0, eq);
    std::string_view value =
        eq == std::string::npos ? std::string_view() : std::string_view(piece).substr(eq + 1);
    out.emplace_back(UriDecode(key), UriDecode(value));
  }
  return out;
}

std::string CanonicalQueryString(const QueryParams& params) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const auto& [key, value] : params) encoded.emplace_back(UriEncode(key), UriEncode(value));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [key, value] : encoded) {
    if (!out.empty()) out += '&';
    out += key;
    out += '=';
    out += value;
  }
  return out;
}

std::string CanonicalHeaders(const HttpRequest& req, const SigningParams& p, std::string* signed_headers) {
  std::vector<std::pair<std::string, std::string>> headers;  // lowercased name, canonical value
  headers.reserve(req.headers.entries.size() + 1);
  for (const auto& [name, value] : req.headers.entries) {
    std::string lower = ToLower(Trim(name));
    if (IsSigned(lower, p)) headers.emplace_back(std::move(lower), CanonicalHeaderValue(value));
  }
  if (req.headers.Find("host") == nullptr) {
    headers.emplace_back("host", detail::SplitRequestUrl(req.url).host_header);
  }
  // Stable, so values of one name keep the order they appear in.
  std::stable_sort(headers.begin(), headers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  std::string block;
  signed_headers->clear();
  for (size_t i = 0; i < headers.size(); ++i) {
    bool same_as_previous = i > 0 && headers[i].first == headers[i - 1].first;
    if (same_as_previous) {
      block += ',';
    } else {
      if (i > 0) block += '\n';
      if (!signed_headers->empty()) *signed_headers += ';';
      *signed_headers += headers[i].first;
      block += headers[i].first;
      block += ':';
    }
    block += headers[i].second;
  }
  if (!headers.empty()) block += '\n';
  return block;
}

std::string PayloadHash(const HttpRequest& req, const SigningParams& p) {
  return p.payload_hash.empty() ? Sha256Hex(req.body) : p.payload_hash;
}

std::string CanonicalRequest(const HttpRequest& req, const SigningParams& p, std::string* signed_headers) {
  return CanonicalRequest(req, p, QueryParams(), signed_headers);
}

std::string CanonicalRequest(const HttpRequest& req, const SigningParams& p, const QueryParams& extra_query,
                             std::string* signed_headers) {
  detail::RequestUrl url = detail::SplitRequestUrl(req.url);
  QueryParams query = ParseQuery(url.query);
  query.insert(query.end(), extra_query.begin(), extra_query.end());

  std::string out = req.method;
  out += '\n';
  out += CanonicalUri(url.path, p);
  out += '\n';
  out += CanonicalQueryString(query);
  out += '\n';
  out += CanonicalHeaders(req, p, signed_headers);
  out += '\n';
  out += *signed_headers;
  out += '\n';
  out += PayloadHash(req, p);
  return out;
}

}  // namespace cordon::aws::sigv4
