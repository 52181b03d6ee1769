#include "response/after_effect.h"

#include <gtest/gtest.h>

namespace cordon::response {
namespace {

Result<Json> Failed(const std::string& code) {
  Error e{ErrorKind::kInvalidArgument, "refused", code, 400, "r-1"};
  return tl::unexpected(e);
}

TEST(AfterEffect, ARepeatRefusedIsDoneOnlyWhenLiveStateShowsTheEffect) {
  int reads = 0;
  auto shows = [&](bool done) {
    return [&reads, done]() -> Result<bool> {
      ++reads;
      return done;
    };
  };
  // refused with the code of a repeat, and the effect is there: done
  auto r = AcceptAfterEffect(Failed("ValidationError"), {"ValidationError"}, shows(true));
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, Json::object());
  // the effect is not there: the refusal stands
  r = AcceptAfterEffect(Failed("ValidationError"), {"ValidationError"}, shows(false));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "ValidationError");
  // another error, or a success, is never looked into
  r = AcceptAfterEffect(Failed("AccessDenied"), {"ValidationError"}, shows(true));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "AccessDenied");
  r = AcceptAfterEffect(Result<Json>(Json{{"ok", true}}), {"ValidationError"}, shows(false));
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)["ok"], true);
  EXPECT_EQ(reads, 2);
}

TEST(AfterEffect, AFailedReadOfLiveStateIsTheError) {
  auto r = AcceptAfterEffect(Failed("InvalidAssociationID.NotFound"), {"InvalidAssociationID.NotFound"},
                             []() -> Result<bool> { return MakeError(ErrorKind::kNetwork, "reset"); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kNetwork);
}

}  // namespace
}  // namespace cordon::response
