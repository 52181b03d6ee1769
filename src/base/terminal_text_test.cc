#include "base/terminal_text.h"

#include <gtest/gtest.h>

#include <string>

namespace cordon {
namespace {

TEST(TerminalText, NeutralizeControlsEscapesTerminalControls) {
  // An OSC 8 hyperlink, a CSI colour, BEL, CR (overwrites the line), NUL and DEL: all made visible.
  EXPECT_EQ(NeutralizeControls("\x1b]8;;http://evil\x07"
                               "click\x1b]8;;\x07"),
            "\\x1b]8;;http://evil\\x07click\\x1b]8;;\\x07");
  EXPECT_EQ(NeutralizeControls("\x1b[31mred\r"), "\\x1b[31mred\\x0d");
  EXPECT_EQ(NeutralizeControls(std::string("a\0b\x7f", 4)), "a\\x00b\\x7f");
  // C1 controls as UTF-8 (U+009B is CSI, U+009D OSC), and as stray 8-bit bytes.
  EXPECT_EQ(NeutralizeControls("x\xc2\x9b"
                               "31m\xc2\x9d"),
            "x\\u009b31m\\u009d");
  EXPECT_EQ(NeutralizeControls("x\x9b"
                               "31m"),
            "x\\x9b31m");
}

TEST(TerminalText, NeutralizeControlsKeepsTextAsIs) {
  EXPECT_EQ(NeutralizeControls("line one\n\tline two"), "line one\n\tline two");
  // UTF-8 that merely contains bytes 0x80..0x9F as continuation bytes: "é" (C3 A9), "…" (E2 80 A6),
  // "€" (E2 82 AC), U+00A0 (C2 A0), an emoji (F0 9F 98 80).
  const std::string text = "caf\xc3\xa9\xe2\x80\xa6 \xe2\x82\xac\xc2\xa0\xf0\x9f\x98\x80";
  EXPECT_EQ(NeutralizeControls(text), text);
  EXPECT_EQ(NeutralizeControls("back\\slash ~"), "back\\slash ~");
  EXPECT_EQ(NeutralizeControls(""), "");
}

TEST(TerminalText, OneLineKeepsAValueOnItsLine) {
  EXPECT_EQ(OneLine("web\n  ! no findings\tx"), "web\\x0a  ! no findings\\x09x");
  EXPECT_EQ(OneLine("\x1b[2K\r"), "\\x1b[2K\\x0d");
  EXPECT_EQ(OneLine("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(NeutralizeControls(OneLine("a\nb\x1b")), OneLine("a\nb\x1b"));
}

}  // namespace
}  // namespace cordon
