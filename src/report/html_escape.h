// Text from the case (tags, CloudTrail fields, finding titles, AWS messages, notes: much of it chosen by
// an attacker) made safe to place in an HTML page, as element text or as a quoted attribute value.
#pragma once

#include <string>
#include <string_view>

namespace cordon::report {

// Escapes & < > " ' as character references, so the result can neither open a tag nor leave a quoted
// attribute. Control characters other than \t and \n (which HTML does not allow in text) and bytes that
// are not valid UTF-8 become U+FFFD, so the page stays well-formed UTF-8 whatever the input.
std::string HtmlEscape(std::string_view text);

}  // namespace cordon::report
