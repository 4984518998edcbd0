// ImportRecords of the kinds an export writes, over a real server: who may
// import which kind, and what an imported ledger entry records.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/server/integration_fixture.h"

namespace portfolio {
namespace {

using grpc::StatusCode;
using testing::HasError;
using testing::IsOk;

class ImportKindsTest : public testing::IntegrationTest {
 protected:
  void SetUp() override {
    IntegrationTest::SetUp();
    CreateProject("mine");
  }

  // Creates a user with `role` and returns a token for it.
  std::string UserWithToken(const std::string& id, v1::UserRole role) {
    v1::CreateUserRequest create;
    create.set_user_id(id);
    create.mutable_user()->set_role(role);
    v1::User user;
    EXPECT_TRUE(IsOk(admin().CreateUser(Context().get(), create, &user)));
    v1::CreateTokenRequest request;
    request.set_parent("users/" + id);
    v1::CreateTokenResponse response;
    EXPECT_TRUE(IsOk(admin().CreateToken(Context().get(), request, &response)));
    return response.secret();
  }

  grpc::Status ImportAs(const std::string& token, v1::ImportKind kind,
                        const std::string& content,
                        v1::ImportRecordsResponse* out,
                        const std::string& request_id = "",
                        bool allow_duplicates = false) {
    v1::ImportRecordsRequest request;
    request.set_kind(kind);
    request.set_filename("file.csv");
    request.set_content(content);
    request.set_request_id(request_id);
    request.set_allow_duplicate_entries(allow_duplicates);
    return portfolios().ImportRecords(ContextWithToken(token).get(), request,
                                      out);
  }
};

TEST_F(ImportKindsTest, AManagerImportsMilestonesButNotUsersOrInvestments) {
  const std::string manager =
      UserWithToken("manager-zhao", v1::USER_ROLE_MANAGER);
  v1::ImportRecordsResponse response;
  const grpc::Status users = ImportAs(manager, v1::IMPORT_KIND_USERS,
                                      "id,role\nwu,admin\n", &response);
  EXPECT_TRUE(HasError(users, StatusCode::PERMISSION_DENIED,
                       "may not import users; an admin may"));
  const grpc::Status entries =
      ImportAs(manager, v1::IMPORT_KIND_INVESTMENTS,
               "project_id,period,amount\nmine,2024-03,100\n", &response);
  EXPECT_TRUE(HasError(entries, StatusCode::PERMISSION_DENIED,
                       "may not import investments"));
  EXPECT_EQ(ListLedger().entries.size(), 0u);
  v1::GetUserRequest get;
  get.set_name("users/wu");
  v1::User wu;
  EXPECT_EQ(admin().GetUser(Context().get(), get, &wu).error_code(),
            StatusCode::NOT_FOUND);

  // What managers do through the API they may import.
  EXPECT_TRUE(IsOk(ImportAs(manager, v1::IMPORT_KIND_MILESTONES,
                            "project_id,id,kind\nmine,m1,start\n", &response)));
  EXPECT_EQ(response.created_count(), 1);
  EXPECT_TRUE(IsOk(ImportAs(manager, v1::IMPORT_KIND_PERIODS,
                            "period,closed\n2024-03,true\n", &response)));
}

TEST_F(ImportKindsTest, ALeadMayNotImportAtAll) {
  const std::string lead = UserWithToken("lead-li", v1::USER_ROLE_LEAD);
  v1::ImportRecordsResponse response;
  EXPECT_EQ(ImportAs(lead, v1::IMPORT_KIND_MILESTONES,
                     "project_id,id,kind\nmine,m1,start\n", &response)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
}

TEST_F(ImportKindsTest, AnAdminsImportedEntriesCarryTheAdminTheTimeAndTheId) {
  v1::ImportRecordsResponse response;
  ASSERT_TRUE(IsOk(ImportAs(admin_token(), v1::IMPORT_KIND_INVESTMENTS,
                            "entry,project_id,period,amount,corrects,reason\n"
                            "1,mine,2024-03,3000万,,\n"
                            "2,mine,,-500万,1,重复统计\n",
                            &response, "move-investments")));
  EXPECT_EQ(response.created_count(), 2);
  const Ledger ledger = ListLedger();
  ASSERT_EQ(ledger.entries.size(), 2u);
  EXPECT_EQ(ledger.total_amount, 25'000'000);
  const v1::InvestmentEntry& fix = ledger.entries[1];
  EXPECT_EQ(fix.reported_by(), "admin");
  EXPECT_EQ(fix.report_time().seconds(), absl::ToUnixSeconds(clock().Now()));
  EXPECT_EQ(fix.request_id(), "move-investments");
  EXPECT_EQ(fix.corrects(), ledger.entries[0].name());
}

TEST_F(ImportKindsTest, AClosedMonthRefusesImportedEntriesNamingIt) {
  v1::ImportRecordsResponse response;
  ASSERT_TRUE(IsOk(ImportAs(admin_token(), v1::IMPORT_KIND_PERIODS,
                            "period,closed\n2024-03,true\n", &response)));
  const grpc::Status refused =
      ImportAs(admin_token(), v1::IMPORT_KIND_INVESTMENTS,
               "project_id,period,amount\nmine,2024-03,100\n", &response);
  EXPECT_TRUE(
      HasError(refused, StatusCode::FAILED_PRECONDITION,
               "file.csv line 2, column 6 (period): 2024-03 is closed"));
  EXPECT_EQ(ListLedger().entries.size(), 0u);
}

TEST_F(ImportKindsTest, AnInvestmentsFileImportedTwiceIsRefusedTheSecondTime) {
  // Two equal amounts for one month in one file are two entries: rows of a
  // file are not compared with each other.
  const std::string file =
      "project_id,period,amount\n"
      "mine,2024-03,3000万\n"
      "mine,2024-03,3000万\n"
      "mine,2024-04,100\n";
  v1::ImportRecordsResponse response;
  ASSERT_TRUE(IsOk(ImportAs(admin_token(), v1::IMPORT_KIND_INVESTMENTS, file,
                            &response, "first")));
  EXPECT_EQ(response.created_count(), 3);

  // The same file again, under another request id: nothing is appended.
  const grpc::Status again = ImportAs(
      admin_token(), v1::IMPORT_KIND_INVESTMENTS, file, &response, "second");
  EXPECT_TRUE(HasError(again, StatusCode::ALREADY_EXISTS,
                       "file.csv line 2, column 14 (amount): mine already "
                       "had an entry of 3,000.00万 (30,000,000 yuan) for "
                       "2024-03"));
  EXPECT_TRUE(HasError(again, StatusCode::ALREADY_EXISTS,
                       "before this import (entry 1, by admin)"));
  EXPECT_TRUE(
      HasError(again, StatusCode::ALREADY_EXISTS, "allow_duplicate_entries"));
  Ledger ledger = ListLedger();
  EXPECT_EQ(ledger.entries.size(), 3u);
  EXPECT_EQ(ledger.total_amount, 60'000'100);

  // Only the row already in is refused: a new month's row is not.
  EXPECT_TRUE(HasError(ImportAs(admin_token(), v1::IMPORT_KIND_INVESTMENTS,
                                "project_id,period,amount\n"
                                "mine,2024-05,7\n"
                                "mine,2024-04,100\n",
                                &response, "third"),
                       StatusCode::ALREADY_EXISTS, "line 3, column 14"));
  EXPECT_EQ(ListLedger().entries.size(), 3u);

  // Said to be separate amounts, they are appended.
  ASSERT_TRUE(IsOk(ImportAs(admin_token(), v1::IMPORT_KIND_INVESTMENTS, file,
                            &response, "fourth", /*allow_duplicates=*/true)));
  EXPECT_EQ(response.created_count(), 3);
  ledger = ListLedger();
  EXPECT_EQ(ledger.entries.size(), 6u);
  EXPECT_EQ(ledger.total_amount, 120'000'200);
}

TEST_F(ImportKindsTest, AnEntryCorrectedAwayDoesNotBlockTheSameAmount) {
  v1::ImportRecordsResponse response;
  ASSERT_TRUE(IsOk(ImportAs(admin_token(), v1::IMPORT_KIND_INVESTMENTS,
                            "entry,project_id,period,amount,corrects,reason\n"
                            "1,mine,2024-03,500,,\n"
                            "2,mine,,-500,1,填错项目\n",
                            &response, "first")));
  // 500 for March no longer stands in the ledger, so a report of it is new.
  ASSERT_TRUE(IsOk(ImportAs(admin_token(), v1::IMPORT_KIND_INVESTMENTS,
                            "project_id,period,amount\nmine,2024-03,500\n",
                            &response, "second")));
  EXPECT_EQ(ListLedger().total_amount, 500);
}

TEST_F(ImportKindsTest, AllowDuplicateEntriesIsForInvestmentsOnly) {
  v1::ImportRecordsResponse response;
  const grpc::Status refused =
      ImportAs(admin_token(), v1::IMPORT_KIND_MILESTONES,
               "project_id,id,kind\nmine,m1,start\n", &response, "",
               /*allow_duplicates=*/true);
  EXPECT_TRUE(HasError(refused, StatusCode::INVALID_ARGUMENT,
                       "allow_duplicate_entries: is for investments files "
                       "only"));
}

}  // namespace
}  // namespace portfolio
