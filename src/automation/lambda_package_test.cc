// ParseLdd on what Debian 12's ldd prints for cordon (trimmed), and its refusals.
#include "automation/lambda_package.h"

#include <gtest/gtest.h>

namespace cordon::automation {
namespace {

constexpr char kLdd[] =
    "\tlinux-vdso.so.1 (0x00007fd9f1c58000)\n"
    "\tlibcurl.so.4 => /lib/x86_64-linux-gnu/libcurl.so.4 (0x00007fd9f1b96000)\n"
    "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fd9f061e000)\n"
    "\t/lib64/ld-linux-x86-64.so.2 (0x00007fd9f1c5a000)\n"
    "\tlibldap-2.5.so.0 => /lib/x86_64-linux-gnu/libldap-2.5.so.0 (0x00007fd9f0516000)\n";

TEST(ParseLdd, LibrariesByTheirSonameAndTheLoader) {
  auto out = ParseLdd(kLdd);
  ASSERT_TRUE(out) << out.error().ToString();
  EXPECT_EQ(out->loader, "/lib64/ld-linux-x86-64.so.2");
  ASSERT_EQ(out->libraries.size(), 3u);
  EXPECT_EQ(out->libraries[0].soname, "libcurl.so.4");
  EXPECT_EQ(out->libraries[0].path, "/lib/x86_64-linux-gnu/libcurl.so.4");
  EXPECT_EQ(out->libraries[2].soname, "libldap-2.5.so.0");
}

TEST(ParseLdd, AMissingLibraryOrNoLoaderIsRefused) {
  auto missing = ParseLdd("\tlibfoo.so.1 => not found\n\t/lib64/ld-linux-x86-64.so.2 (0x1)\n");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("libfoo.so.1"), std::string::npos);
  EXPECT_FALSE(ParseLdd("\tstatically linked\n"));
}

}  // namespace
}  // namespace cordon::automation
