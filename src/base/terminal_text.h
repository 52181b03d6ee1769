// Text from AWS or from logs (tags, CloudTrail fields, finding titles, file names, error messages)
// made safe to write to a terminal, which an attacker's escape sequences could otherwise drive
// (erase lines, hide text, plant links).
#pragma once

#include <string>
#include <string_view>

namespace cordon {

// Every C0 control but \n and \t, DEL and ESC become "\x1b"-style escapes, and the C1 controls
// (U+0080..U+009F, 0xC2 0x80..0x9F in UTF-8) become "\u009b"; a stray byte 0x80..0x9F outside a
// UTF-8 sequence (an 8-bit CSI to some terminals) becomes "\x9b". Everything else, including other
// UTF-8 and invalid bytes, is kept as is.
std::string NeutralizeControls(std::string_view text);

// One value from AWS or a log (a tag, a CloudTrail field, a file name) for a line of text: as
// NeutralizeControls, and newline and tab escaped too ("\x0a", "\x09"), so that the value cannot
// start a line of its own: a tag "web\n  ! no findings" would otherwise print a fake line.
// NeutralizeControls of the whole text after it changes nothing more.
std::string OneLine(std::string_view value);

}  // namespace cordon
