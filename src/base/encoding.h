// Text encodings used on the wire: base64, RFC 3986 percent-encoding.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cordon {

std::string Base64Encode(std::string_view bytes);
// Returns nullopt when `text` is not valid base64 (padding optional; whitespace ignored).
std::optional<std::string> Base64Decode(std::string_view text);

// Percent-encodes every byte except the RFC 3986 unreserved set (A-Z a-z 0-9 - _ . ~).
// With keep_slash, '/' is left as is (S3 object keys in paths).
std::string UriEncode(std::string_view text, bool keep_slash = false);
// application/x-www-form-urlencoded as botocore writes query-protocol bodies: UriEncode, but a space
// is '+'. AWS accepts both forms; emulators that re-encode the parsed form to check the SigV4 payload
// hash (moto) only accept botocore's.
std::string FormEncode(std::string_view text);
// Decodes %XX sequences; with plus_as_space, '+' becomes ' ' (form encoding).
std::string UriDecode(std::string_view text, bool plus_as_space = false);

}  // namespace cordon
