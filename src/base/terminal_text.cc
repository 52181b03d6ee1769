#include "base/terminal_text.h"

namespace cordon {
namespace {

// `keep_layout`: newline and tab pass (text laid out by cordon) or are escaped too (one value).
std::string Neutralize(std::string_view text, bool keep_layout) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  size_t continuation = 0;  // continuation bytes still expected by the UTF-8 sequence being copied
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80 && c <= 0xbf && continuation > 0) {
      --continuation;
      out += static_cast<char>(c);
      continue;
    }
    continuation = 0;
    if ((c < 0x20 && !(keep_layout && (c == '\n' || c == '\t'))) || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      const auto c1 = static_cast<unsigned char>(text[++i]);
      out += "\\u00";
      out += kHex[c1 >> 4];
      out += kHex[c1 & 0xf];
    } else {
      if (c >= 0xc2 && c <= 0xdf) {
        continuation = 1;
      } else if (c >= 0xe0 && c <= 0xef) {
        continuation = 2;
      } else if (c >= 0xf0 && c <= 0xf4) {
        continuation = 3;
      }
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

std::string NeutralizeControls(std::string_view text) { return Neutralize(text, /*keep_layout=*/true); }

std::string OneLine(std::string_view value) { return Neutralize(value, /*keep_layout=*/false); }

}  // namespace cordon
