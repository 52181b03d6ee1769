// Test-only: reads and writes HTTP/1.1 requests in the plain-text form the SigV4 test suites use
// (request.txt, *-signed-request.txt, .req, .sreq), and failure messages that never show key material.
// Header-only so the library does not carry it.
#pragma once

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "aws/credentials/credentials.h"
#include "aws/http/http.h"
#include "base/encoding.h"
#include "base/strings.h"

namespace cordon::aws::sigv4::test_util {

// A request as written. Header values are kept exactly as they follow the ':' (leading spaces
// included), and a folded header's continuation lines are appended with their '\n', so writing the
// request back gives the same bytes. Signing normalizes the whitespace anyway.
struct RawRequest {
  std::string method;
  std::string target;  // as on the request line: may hold spaces and raw UTF-8
  std::string version;
  HttpHeaders headers;
  std::string body;
};

// Parses `text`: a request line ("METHOD target VERSION", where the target may contain spaces),
// header lines (a line starting with a space or tab continues the previous header), then an optional
// empty line and the body. Lines end in '\n' (a '\r' before it is dropped); the last one may have no
// line end. Returns nullopt when the request line lacks a method, target or version, or a header line
// has no ':'.
inline std::optional<RawRequest> ParseRawRequest(std::string_view text) {
  size_t pos = 0;
  // Reads the next line into *line; false at the end of the text.
  auto next_line = [&](std::string_view* line) {
    if (pos >= text.size()) return false;
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    *line = text.substr(pos, end - pos);
    if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
    pos = end + 1;
    return true;
  };

  RawRequest out;
  std::string_view line;
  if (!next_line(&line)) return std::nullopt;
  size_t first_space = line.find(' '), last_space = line.rfind(' ');
  if (first_space == std::string_view::npos || last_space <= first_space + 1) return std::nullopt;
  out.method = std::string(line.substr(0, first_space));
  out.target = std::string(line.substr(first_space + 1, last_space - first_space - 1));
  out.version = std::string(line.substr(last_space + 1));

  while (next_line(&line)) {
    if (line.empty()) {
      out.body = pos < text.size() ? std::string(text.substr(pos)) : std::string();
      break;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      if (out.headers.entries.empty()) return std::nullopt;
      out.headers.entries.back().second += '\n';
      out.headers.entries.back().second += line;
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    out.headers.Add(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
  }
  return out;
}

// The request to sign: url = "https://" + the Host header + the target, unchanged (so a target with
// raw spaces or UTF-8 stays raw, as the suites sign it). Nullopt without a Host header.
inline std::optional<HttpRequest> ToHttpRequest(const RawRequest& raw) {
  const std::string* host = raw.headers.Find("Host");
  if (host == nullptr) return std::nullopt;
  HttpRequest req;
  req.method = raw.method;
  req.url = "https://" + std::string(Trim(*host)) + raw.target;
  req.headers = raw.headers;
  req.body = raw.body;
  return req;
}

// The request-target of an absolute URL: everything after scheme://authority.
inline std::string TargetOf(std::string_view url) {
  size_t scheme_end = url.find("://");
  size_t start = scheme_end == std::string_view::npos ? 0 : url.find_first_of("/?", scheme_end + 3);
  return start == std::string_view::npos ? std::string() : std::string(url.substr(start));
}

// Writes `req` as the aws-c-auth suite writes signed requests: "METHOD target HTTP/1.1\n", one
// "Name:value\n" per header, an empty line, then the body.
inline std::string WriteRawRequest(const HttpRequest& req) {
  std::string out = req.method + " " + TargetOf(req.url) + " HTTP/1.1\n";
  for (const auto& [name, value] : req.headers.entries) out += name + ":" + value + "\n";
  out += "\n";
  out += req.body;
  return out;
}

// The bytes of a file; nullopt when it cannot be read.
inline std::optional<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// `text` with the secret key and the session token (raw or URI-encoded) replaced by placeholders, for
// failure messages: key material is never printed, not even the suites' example keys.
inline std::string Redact(std::string text, const Credentials& creds) {
  auto replace_all = [&text](const std::string& from, std::string_view to) {
    if (from.empty()) return;
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
  };
  replace_all(creds.secret_access_key, "<secret-access-key>");
  replace_all(UriEncode(creds.secret_access_key), "<secret-access-key>");
  replace_all(creds.session_token, "<session-token>");
  replace_all(UriEncode(creds.session_token), "<session-token>");
  return text;
}

// Describes how `actual` differs from `expected` (empty when equal), redacted as Redact does, with the
// offset of the first differing byte so whitespace differences are easy to find.
inline std::string DescribeDifference(const std::string& actual, const std::string& expected,
                                      const Credentials& creds) {
  if (actual == expected) return std::string();
  size_t at = 0;
  while (at < actual.size() && at < expected.size() && actual[at] == expected[at]) ++at;
  return "first difference at byte " + std::to_string(at) + " (lengths " + std::to_string(actual.size()) +
         " vs " + std::to_string(expected.size()) + ")\n--- expected ---\n" + Redact(expected, creds) +
         "\n--- actual ---\n" + Redact(actual, creds) + "\n---";
}

}  // namespace cordon::aws::sigv4::test_util
