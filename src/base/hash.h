// SHA-256 and HMAC-SHA256 (OpenSSL), as raw bytes or lowercase hex.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace cordon {

std::string Sha256(std::string_view data);                            // 32 raw bytes
std::string Sha256Hex(std::string_view data);                         // 64 lowercase hex characters
std::string HmacSha256(std::string_view key, std::string_view data);  // 32 raw bytes
std::string HexEncode(std::string_view bytes);

// Incremental SHA-256 for data that arrives in pieces (evidence files, streamed downloads).
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void Update(std::string_view data);
  std::string FinishHex();  // the hasher must not be used afterwards

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cordon
