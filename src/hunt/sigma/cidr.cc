#include "hunt/sigma/cidr.h"

#include <arpa/inet.h>

#include <charconv>
#include <string>

namespace cordon::hunt::sigma {
namespace {

// Parses an address into 16 bytes (IPv4 in the first 4); false when it is neither family.
bool ParseAddress(std::string_view text, bool* v6, std::array<uint8_t, 16>* out) {
  const std::string s(text);
  out->fill(0);
  if (inet_pton(AF_INET, s.c_str(), out->data()) == 1) {
    *v6 = false;
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), out->data()) == 1) {
    *v6 = true;
    return true;
  }
  return false;
}

}  // namespace

std::optional<Cidr> Cidr::Parse(std::string_view text) {
  Cidr cidr;
  const size_t slash = text.find('/');
  if (!ParseAddress(text.substr(0, slash), &cidr.v6, &cidr.network)) return std::nullopt;
  const int max = cidr.v6 ? 128 : 32;
  cidr.prefix = max;
  if (slash != std::string_view::npos) {
    std::string_view bits = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), cidr.prefix);
    if (ec != std::errc() || end != bits.data() + bits.size() || cidr.prefix < 0 || cidr.prefix > max)
      return std::nullopt;
  }
  return cidr;
}

bool Cidr::Contains(std::string_view address) const {
  bool is_v6 = false;
  std::array<uint8_t, 16> bytes;
  if (!ParseAddress(address, &is_v6, &bytes) || is_v6 != v6) return false;
  int bits = prefix;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xFF : static_cast<uint8_t>(0xFF << (8 - bits));
    if ((bytes[i] & mask) != (network[i] & mask)) return false;
  }
  return true;
}

}  // namespace cordon::hunt::sigma
