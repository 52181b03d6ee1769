#include "evidence/sqlite.h"

#include <gtest/gtest.h>

#include "evidence/test_util.h"

namespace cordon::evidence::detail {
namespace {

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open((scratch_.path() / "t.db").string(), Database::Mode::kCreate);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)"));
  }
  test::ScratchDir scratch_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteTest, OpensDurably) {
  EXPECT_EQ(*db_->QueryText("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(*db_->QueryText("PRAGMA synchronous"), "2");  // FULL
  EXPECT_NE(*db_->QueryText("PRAGMA busy_timeout"), "0");
}

TEST_F(SqliteTest, BindsAndReadsBack) {
  auto insert = db_->Prepare("INSERT INTO t VALUES (?1, ?2)");
  ASSERT_TRUE(insert);
  std::string with_nul("a\0b", 3);
  insert->Bind(1, with_nul).Bind(2, int64_t{1} << 40);
  ASSERT_TRUE(insert->Run());
  auto select = db_->Prepare("SELECT k, v, NULL FROM t");
  ASSERT_TRUE(select);
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->Text(0), with_nul);
  EXPECT_EQ(select->Int(1), int64_t{1} << 40);
  EXPECT_TRUE(select->IsNull(2));
  EXPECT_EQ(select->Text(2), "");
  EXPECT_FALSE(*select->Step());
}

TEST_F(SqliteTest, MapsErrors) {
  ASSERT_TRUE(db_->Exec("INSERT INTO t VALUES ('x', 1)"));
  auto duplicate = db_->Exec("INSERT INTO t VALUES ('x', 2)");
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().kind, ErrorKind::kConflict);
  EXPECT_NE(duplicate.error().message.find("UNIQUE"), std::string::npos);
  EXPECT_FALSE(db_->Prepare("SELEKT 1"));
  auto missing = Database::Open((scratch_.path() / "none.db").string(), Database::Mode::kReadWrite);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kIo);
}

TEST_F(SqliteTest, TransactionRollsBackUnlessCommitted) {
  {
    auto txn = Transaction::Begin(db_.get(), Transaction::Kind::kWrite);
    ASSERT_TRUE(txn);
    ASSERT_TRUE(db_->Exec("INSERT INTO t VALUES ('dropped', 1)"));
  }
  {
    auto txn = Transaction::Begin(db_.get(), Transaction::Kind::kWrite);
    ASSERT_TRUE(txn);
    ASSERT_TRUE(db_->Exec("INSERT INTO t VALUES ('kept', 1)"));
    ASSERT_TRUE(txn->Commit());
  }
  EXPECT_EQ(*db_->QueryText("SELECT group_concat(k) FROM t"), "kept");
}

}  // namespace
}  // namespace cordon::evidence::detail
