// An IPv4 or IPv6 network (the `cidr` modifier) and the test of an address against it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace cordon::hunt::sigma {

struct Cidr {
  bool v6 = false;
  std::array<uint8_t, 16> network{};
  int prefix = 0;

  // "10.0.0.0/8", "2001:db8::/32"; a bare address is a /32 or /128. nullopt when malformed.
  static std::optional<Cidr> Parse(std::string_view text);
  // Whether `address` (an IP in text form) lies inside; false for anything that is not an address.
  bool Contains(std::string_view address) const;
};

}  // namespace cordon::hunt::sigma
