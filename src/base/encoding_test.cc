#include "base/encoding.h"

#include <gtest/gtest.h>

#include <vector>

namespace cordon {

TEST(Base64Test, RoundTripsEveryLengthModThree) {
  for (std::string s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar",
                                                std::string("\0\xff\x10", 3)}) {
    auto decoded = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(decoded.has_value()) << s;
    EXPECT_EQ(*decoded, s);
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
}

TEST(Base64Test, RejectsGarbage) {
  EXPECT_FALSE(Base64Decode("Zm9v!").has_value());
  EXPECT_FALSE(Base64Decode("Zm8=x").has_value());
  EXPECT_FALSE(Base64Decode("Z").has_value());
}

TEST(FormEncodeTest, SpacesArePlusEverythingElseAsUriEncode) {
  EXPECT_EQ(FormEncode("cordon isolation group (no rules)"), "cordon+isolation+group+%28no+rules%29");
  EXPECT_EQ(FormEncode(" a+b "), "+a%2Bb+");
  EXPECT_EQ(FormEncode(""), "");
  EXPECT_EQ(UriDecode(FormEncode("x y+z/ü"), /*plus_as_space=*/true), "x y+z/ü");
}

TEST(UriEncodeTest, KeepsOnlyUnreserved) {
  EXPECT_EQ(UriEncode("a b/c~d+e=f&ü"), "a%20b%2Fc~d%2Be%3Df%26%C3%BC");
  EXPECT_EQ(UriEncode("dir/key name", /*keep_slash=*/true), "dir/key%20name");
  EXPECT_EQ(UriDecode("a%20b%2Fc+d"), "a b/c+d");
  EXPECT_EQ(UriDecode("a+b", /*plus_as_space=*/true), "a b");
  EXPECT_EQ(UriDecode("100%"), "100%");
}

}  // namespace cordon
