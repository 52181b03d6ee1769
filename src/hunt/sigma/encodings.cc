#include "hunt/sigma/encodings.h"

#include <array>

#include "base/encoding.h"

namespace cordon::hunt::sigma {

std::string EncodeBase64(std::string_view bytes) { return Base64Encode(bytes); }

std::vector<std::string> EncodeBase64Offsets(std::string_view bytes) {
  // Shifted by i bytes, the first start[i] characters and the last end[...] characters also encode the
  // unknown neighbours, so they are cut.
  constexpr std::array<size_t, 3> kStart = {0, 2, 3};
  constexpr std::array<size_t, 3> kEnd = {0, 3, 2};
  std::vector<std::string> out;
  for (size_t i = 0; i < 3; ++i) {
    const std::string encoded = Base64Encode(std::string(i, ' ') + std::string(bytes));
    const size_t cut_end = kEnd[(bytes.size() + i) % 3];
    if (encoded.size() < kStart[i] + cut_end) continue;
    std::string part = encoded.substr(kStart[i], encoded.size() - kStart[i] - cut_end);
    // The '=' padding depends on where the value ends in the longer text: never part of the search.
    while (!part.empty() && part.back() == '=') part.pop_back();
    if (!part.empty()) out.push_back(std::move(part));
  }
  return out;
}

namespace {

// Decodes one UTF-8 character at text[*pos]; false for malformed input.
bool NextCodePoint(std::string_view text, size_t* pos, uint32_t* cp) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(*pos);
  size_t len = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (len == 0 || *pos + len > text.size()) return false;
  *cp = len == 1 ? lead : lead & (0x7F >> len);
  for (size_t i = 1; i < len; ++i) {
    if ((byte(*pos + i) & 0xC0) != 0x80) return false;
    *cp = (*cp << 6) | (byte(*pos + i) & 0x3F);
  }
  *pos += len;
  return true;
}

void PutUnit(uint16_t unit, bool big_endian, std::string* out) {
  const char hi = static_cast<char>(unit >> 8);
  const char lo = static_cast<char>(unit & 0xFF);
  if (big_endian) {
    *out += hi;
    *out += lo;
  } else {
    *out += lo;
    *out += hi;
  }
}

}  // namespace

std::optional<std::string> EncodeUtf16(std::string_view text, bool big_endian, bool bom) {
  std::string out;
  if (bom) PutUnit(0xFEFF, big_endian, &out);
  for (size_t pos = 0; pos < text.size();) {
    uint32_t cp = 0;
    if (!NextCodePoint(text, &pos, &cp)) return std::nullopt;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      PutUnit(static_cast<uint16_t>(0xD800 + (cp >> 10)), big_endian, &out);
      PutUnit(static_cast<uint16_t>(0xDC00 + (cp & 0x3FF)), big_endian, &out);
    } else {
      PutUnit(static_cast<uint16_t>(cp), big_endian, &out);
    }
  }
  return out;
}

std::optional<std::vector<std::string>> WindashVariants(std::string_view text, size_t limit) {
  static const std::array<std::string_view, 5> kDashes = {"-", "/", "\xE2\x80\x93", "\xE2\x80\x94",
                                                          "\xE2\x80\x95"};
  std::vector<std::string> out = {""};
  for (size_t pos = 0; pos < text.size();) {
    size_t dash_len = 0;
    for (std::string_view dash : kDashes) {
      if (text.substr(pos, dash.size()) == dash) dash_len = dash.size();
    }
    if (dash_len == 0) {
      for (std::string& s : out) s += text[pos];
      ++pos;
      continue;
    }
    if (out.size() * kDashes.size() > limit) return std::nullopt;
    std::vector<std::string> next;
    for (const std::string& s : out) {
      for (std::string_view dash : kDashes) next.push_back(s + std::string(dash));
    }
    out = std::move(next);
    pos += dash_len;
  }
  return out;
}

}  // namespace cordon::hunt::sigma
