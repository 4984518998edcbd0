// Money over time on a real server: annual plans (ProjectService) and the
// append-only investment ledger (InvestmentService).
#include <algorithm>
#include <limits>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/amount.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/server/integration_fixture.h"
#include "tests/support/test_store.h"

namespace portfolio {
namespace {

using grpc::StatusCode;
using testing::HasError;
using testing::IsFieldError;
using testing::IsOk;
using testing::kThisMonth;
using testing::kThisYear;

int64_t Sum(const google::protobuf::RepeatedField<int64_t>& amounts) {
  return std::accumulate(amounts.begin(), amounts.end(), int64_t{0});
}

class PlansTest : public testing::IntegrationTest {
 protected:
  void SetUp() override {
    IntegrationTest::SetUp();
    CreateProject("alpha");
  }

  static std::string PlanName(int year) {
    return absl::StrCat("projects/alpha/plans/", year);
  }

  // Sent with every update; a revision of an existing plan needs one.
  std::string revision_reason_ = "年中调整 (test revision)";

  grpc::Status TryUpdate(int year, int64_t amount,
                         const std::vector<int64_t>& monthly,
                         bool allow_missing, const std::string& etag,
                         v1::AnnualPlan* out) {
    v1::UpdateAnnualPlanRequest request;
    request.mutable_annual_plan()->set_name(PlanName(year));
    request.mutable_annual_plan()->set_amount(amount);
    request.mutable_annual_plan()->set_etag(etag);
    request.mutable_annual_plan()->set_revision_reason(revision_reason_);
    for (int64_t m : monthly) request.mutable_annual_plan()->add_monthly(m);
    request.set_allow_missing(allow_missing);
    return projects().UpdateAnnualPlan(Context().get(), request, out);
  }

  grpc::Status TryGet(const std::string& name, v1::AnnualPlan* out) {
    v1::GetAnnualPlanRequest request;
    request.set_name(name);
    return projects().GetAnnualPlan(Context().get(), request, out);
  }

  // Twelve months summing to 2,400,000: slow first half, fast second.
  static std::vector<int64_t> BackLoaded() {
    return {100'000, 100'000, 100'000, 100'000, 100'000, 100'000,
            300'000, 300'000, 300'000, 300'000, 300'000, 300'000};
  }
};

TEST_F(PlansTest, AllowMissingCreatesThePlan) {
  v1::AnnualPlan plan;
  ASSERT_TRUE(IsOk(TryUpdate(2024, 1'200'000, {}, true, "", &plan)));

  EXPECT_EQ(plan.name(), PlanName(2024));
  EXPECT_EQ(plan.year(), 2024);
  EXPECT_EQ(plan.amount(), 1'200'000);
  EXPECT_FALSE(plan.etag().empty());
  v1::AnnualPlan read;
  ASSERT_TRUE(IsOk(TryGet(PlanName(2024), &read)));
  EXPECT_EQ(read.SerializeAsString(), plan.SerializeAsString());
}

TEST_F(PlansTest, EmptyMonthlyIsSplitEvenlyWithTheRemainderLast) {
  const int64_t amount = 1'000'007;  // 83,333 a month, 11 yuan left over
  const v1::AnnualPlan plan = SetPlan("alpha", 2024, amount);

  ASSERT_EQ(plan.monthly_size(), 12);
  EXPECT_EQ(Sum(plan.monthly()), amount);
  const auto [low, high] =
      std::minmax_element(plan.monthly().begin(), plan.monthly().end());
  EXPECT_LE(*high - *low, 1);
  EXPECT_TRUE(std::is_sorted(plan.monthly().begin(), plan.monthly().end()))
      << "remainder yuan go to the last months";
}

TEST_F(PlansTest, ExplicitMonthlyIsKeptAsGiven) {
  const std::vector<int64_t> monthly = BackLoaded();
  const v1::AnnualPlan plan = SetPlan("alpha", 2024, 2'400'000, monthly);

  EXPECT_EQ(std::vector<int64_t>(plan.monthly().begin(), plan.monthly().end()),
            monthly);
}

TEST_F(PlansTest, MonthlyNotSummingToAmountIsRefusedAndWritesNothing) {
  std::vector<int64_t> monthly = BackLoaded();
  monthly[11] += 1;
  v1::AnnualPlan out;

  EXPECT_TRUE(HasError(TryUpdate(2024, 2'400'000, monthly, true, "", &out),
                       StatusCode::INVALID_ARGUMENT, "monthly"));
  EXPECT_TRUE(
      HasError(TryGet(PlanName(2024), &out), StatusCode::NOT_FOUND, "alpha"));
}

TEST_F(PlansTest, MonthlyNotSummingLeavesTheExistingPlanUnchanged) {
  const v1::AnnualPlan before = SetPlan("alpha", 2024, 1'200'000);
  std::vector<int64_t> monthly = BackLoaded();
  monthly[0] -= 1;
  v1::AnnualPlan out;

  EXPECT_TRUE(HasError(TryUpdate(2024, 2'400'000, monthly, true, "", &out),
                       StatusCode::INVALID_ARGUMENT, "monthly"));
  v1::AnnualPlan after;
  ASSERT_TRUE(IsOk(TryGet(PlanName(2024), &after)));
  EXPECT_EQ(after.SerializeAsString(), before.SerializeAsString());
}

TEST_F(PlansTest, MonthlyNotSummingNamesTheMonthlyFieldInBadRequest) {
  std::vector<int64_t> monthly = BackLoaded();
  monthly[5] = 0;
  v1::AnnualPlan out;

  const grpc::Status status =
      TryUpdate(2024, 2'400'000, monthly, true, "", &out);

  EXPECT_TRUE(HasError(status, StatusCode::INVALID_ARGUMENT, "monthly"));
  EXPECT_EQ(testing::ViolatedField(status), "annual_plan.monthly");
}

TEST_F(PlansTest, AmountMustBeGreaterThanZero) {
  for (int64_t amount : {int64_t{0}, int64_t{-5}}) {
    SCOPED_TRACE(amount);
    v1::AnnualPlan out;
    EXPECT_TRUE(IsFieldError(TryUpdate(2024, amount, {}, true, "", &out),
                             StatusCode::INVALID_ARGUMENT,
                             "annual_plan.amount"));
  }
}

TEST_F(PlansTest, WithoutAllowMissingAMissingPlanIsNotFound) {
  v1::AnnualPlan out;
  EXPECT_TRUE(HasError(TryUpdate(2024, 1'200'000, {}, false, "", &out),
                       StatusCode::NOT_FOUND, "alpha"));
  EXPECT_TRUE(
      HasError(TryGet(PlanName(2024), &out), StatusCode::NOT_FOUND, "alpha"));
}

TEST_F(PlansTest, AStaleEtagIsAborted) {
  const v1::AnnualPlan first = SetPlan("alpha", 2024, 1'200'000);
  v1::AnnualPlan second;
  ASSERT_TRUE(
      IsOk(TryUpdate(2024, 1'500'000, {}, false, first.etag(), &second)));
  EXPECT_NE(second.etag(), first.etag());
  v1::AnnualPlan out;

  EXPECT_TRUE(
      IsFieldError(TryUpdate(2024, 1'800'000, {}, false, first.etag(), &out),
                   StatusCode::ABORTED, "etag"));
  v1::AnnualPlan read;
  ASSERT_TRUE(IsOk(TryGet(PlanName(2024), &read)));
  EXPECT_EQ(read.amount(), 1'500'000);
}

TEST_F(PlansTest, GetAPlanOfAnotherYearIsNotFound) {
  SetPlan("alpha", 2024, 1'200'000);
  v1::AnnualPlan out;
  EXPECT_TRUE(
      HasError(TryGet(PlanName(2023), &out), StatusCode::NOT_FOUND, "2023"));
}

TEST_F(PlansTest, GetAMalformedPlanNameIsInvalidArgument) {
  v1::AnnualPlan out;
  EXPECT_TRUE(IsFieldError(TryGet("projects/alpha/plans/next-year", &out),
                           StatusCode::INVALID_ARGUMENT, "name"));
}

TEST_F(PlansTest, ListAnnualPlansReturnsEveryYear) {
  SetPlan("alpha", 2023, 900'000);
  SetPlan("alpha", 2024, 1'200'000);
  v1::ListAnnualPlansRequest request;
  request.set_parent("projects/alpha");
  v1::ListAnnualPlansResponse response;

  ASSERT_TRUE(
      IsOk(projects().ListAnnualPlans(Context().get(), request, &response)));
  std::set<std::string> names;
  for (const v1::AnnualPlan& p : response.annual_plans())
    names.insert(p.name());
  EXPECT_EQ(names, (std::set<std::string>{PlanName(2023), PlanName(2024)}));
}

TEST_F(PlansTest, ListAnnualPlansOfAnUnknownProjectIsNotFound) {
  v1::ListAnnualPlansRequest request;
  request.set_parent("projects/ghost");
  v1::ListAnnualPlansResponse response;

  EXPECT_TRUE(
      HasError(projects().ListAnnualPlans(Context().get(), request, &response),
               StatusCode::NOT_FOUND, "ghost"));
}

// --- The ledger -------------------------------------------------------------

class LedgerTest : public testing::IntegrationTest {
 protected:
  void SetUp() override {
    IntegrationTest::SetUp();
    CreateProject("alpha");
    CreateProject("beta");
  }

  static v1::LogInvestmentRequest LogRequest(int year, int month,
                                             int64_t amount) {
    v1::LogInvestmentRequest request;
    request.set_parent("projects/alpha");
    request.mutable_period()->set_year(year);
    request.mutable_period()->set_month(month);
    request.set_amount(amount);
    return request;
  }

  grpc::Status TryLog(const v1::LogInvestmentRequest& request,
                      v1::InvestmentEntry* out = nullptr) {
    v1::InvestmentEntry ignored;
    return investments().LogInvestment(Context().get(), request,
                                       out != nullptr ? out : &ignored);
  }

  static v1::CorrectInvestmentRequest Delta(const std::string& entry,
                                            int64_t delta) {
    v1::CorrectInvestmentRequest request;
    request.set_name(entry);
    request.set_delta(delta);
    request.set_reason("统计口径调整");
    return request;
  }

  static v1::CorrectInvestmentRequest CorrectTo(const std::string& entry,
                                                int64_t amount) {
    v1::CorrectInvestmentRequest request;
    request.set_name(entry);
    request.set_corrected_amount(amount);
    request.set_reason("报错了");
    return request;
  }

  grpc::Status TryCorrect(const v1::CorrectInvestmentRequest& request,
                          v1::InvestmentEntry* out = nullptr) {
    v1::InvestmentEntry ignored;
    return investments().CorrectInvestment(Context().get(), request,
                                           out != nullptr ? out : &ignored);
  }
};

// The cap on one amount holds for what a corrected entry comes to, by
// delta as by corrected_amount: an entry cannot be grown past it in steps.
TEST_F(LedgerTest, ADeltaMayNotGrowAnEntryPastTheLargestAmount) {
  v1::InvestmentEntry entry;
  ASSERT_TRUE(IsOk(TryLog(LogRequest(2024, 6, kMaxAmount - 10), &entry)));
  EXPECT_TRUE(IsOk(TryCorrect(Delta(entry.name(), 10))));
  const grpc::Status past = TryCorrect(Delta(entry.name(), 1));
  EXPECT_EQ(past.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StartsWith(past.error_message(), "delta: "))
      << past.error_message();
  EXPECT_TRUE(IsOk(TryCorrect(Delta(entry.name(), -1))));
  EXPECT_EQ(ListLedger().total_amount, kMaxAmount - 1);
}

TEST_F(LedgerTest, LogAppendsAnEntryToTheProject) {
  const v1::InvestmentEntry entry = Log("alpha", 2024, 6, 350'000, "req-log-1");

  EXPECT_TRUE(absl::StartsWith(entry.name(), "projects/alpha/investments/"))
      << entry.name();
  EXPECT_EQ(entry.period().year(), 2024);
  EXPECT_EQ(entry.period().month(), 6);
  EXPECT_EQ(entry.amount(), 350'000);
  EXPECT_EQ(entry.request_id(), "req-log-1");
  EXPECT_FALSE(entry.reported_by().empty());
  EXPECT_EQ(entry.report_time().seconds(),
            absl::ToUnixSeconds(testing::TestNow()));
  const Ledger ledger = ListLedger("projects/alpha");
  ASSERT_EQ(ledger.entries.size(), 1u);
  EXPECT_EQ(ledger.entries[0].SerializeAsString(), entry.SerializeAsString());
}

TEST_F(LedgerTest, LogAZeroOrNegativeAmountIsInvalidArgument) {
  for (int64_t amount : {int64_t{0}, int64_t{-100}}) {
    SCOPED_TRACE(amount);
    EXPECT_TRUE(IsFieldError(TryLog(LogRequest(2024, 6, amount)),
                             StatusCode::INVALID_ARGUMENT, "amount"));
  }
  EXPECT_TRUE(ListLedger().entries.empty());
}

TEST_F(LedgerTest, LogAboveTheLimitIsInvalidArgumentSoTotalsCannotOverflow) {
  // Two entries of INT64_MAX would overflow every sum of the year.
  EXPECT_TRUE(IsFieldError(
      TryLog(LogRequest(2024, 6, std::numeric_limits<int64_t>::max())),
      StatusCode::INVALID_ARGUMENT, "amount"));
  EXPECT_TRUE(IsOk(TryLog(LogRequest(2024, 6, kMaxAmount))));
  EXPECT_TRUE(IsOk(TryLog(LogRequest(2024, 5, kMaxAmount))));
  EXPECT_EQ(ListLedger().total_amount, 2 * kMaxAmount);
}

// The ledger as a whole stays summable: an entry that would take its size
// past kMaxLedgerMagnitude is refused, naming the field, and writes
// nothing. (The size is set by hand: reaching it by calls would take
// 90,000 entries of the largest amount.)
TEST_F(LedgerTest, AnEntryPastTheLedgersSizeIsRefusedNamingTheAmount) {
  ASSERT_TRUE(IsOk(TryLog(LogRequest(2024, 6, 1'000))));
  ASSERT_EQ(
      testing::RunSql(data_dir() + "/portfolio.db",
                      absl::StrCat("UPDATE ledger_extent SET magnitude = ",
                                   kMaxLedgerMagnitude - 500)),
      "");
  const grpc::Status refused = TryLog(LogRequest(2024, 6, 501));
  EXPECT_TRUE(IsFieldError(refused, StatusCode::FAILED_PRECONDITION, "amount"));
  EXPECT_TRUE(
      absl::StrContains(refused.error_message(), "9,000,000,000,000,000,000"))
      << refused.error_message();
  EXPECT_EQ(ListLedger().total_amount, 1'000);
  EXPECT_TRUE(IsOk(TryLog(LogRequest(2024, 6, 500))));
  EXPECT_EQ(ListLedger().total_amount, 1'500);
}

TEST_F(LedgerTest, LogForAFutureMonthIsInvalidArgument) {
  EXPECT_TRUE(IsFieldError(TryLog(LogRequest(kThisYear, kThisMonth + 1, 100)),
                           StatusCode::INVALID_ARGUMENT, "period"));
  EXPECT_TRUE(ListLedger().entries.empty());
}

TEST_F(LedgerTest, LogForTheCurrentMonthIsAccepted) {
  EXPECT_TRUE(IsOk(TryLog(LogRequest(kThisYear, kThisMonth, 100))));
}

TEST_F(LedgerTest, TheCurrentMonthIsTakenInTheDistrictsTimeZone) {
  // 2024-07-31 20:00 UTC is already 2024-08-01 04:00 in the district.
  clock().Set(absl::FromCivil(absl::CivilSecond(2024, 7, 31, 20, 0, 0),
                              absl::UTCTimeZone()));

  EXPECT_TRUE(IsOk(TryLog(LogRequest(2024, 8, 100))));
  EXPECT_TRUE(IsFieldError(TryLog(LogRequest(2024, 9, 100)),
                           StatusCode::INVALID_ARGUMENT, "period"));
}

TEST_F(LedgerTest, LogForMonth13IsInvalidArgument) {
  EXPECT_TRUE(IsFieldError(TryLog(LogRequest(2023, 13, 100)),
                           StatusCode::INVALID_ARGUMENT, "period.month"));
}

TEST_F(LedgerTest, LogForAnUnknownProjectIsNotFound) {
  v1::LogInvestmentRequest request = LogRequest(2024, 6, 100);
  request.set_parent("projects/ghost");
  EXPECT_TRUE(HasError(TryLog(request), StatusCode::NOT_FOUND, "ghost"));
}

TEST_F(LedgerTest, LogWithANoteOver2000CharactersIsInvalidArgument) {
  v1::LogInvestmentRequest request = LogRequest(2024, 6, 100);
  request.set_note(std::string(2001, 'n'));
  EXPECT_TRUE(
      IsFieldError(TryLog(request), StatusCode::INVALID_ARGUMENT, "note"));
  EXPECT_TRUE(ListLedger().entries.empty());
}

TEST_F(LedgerTest, ALogRetriedWithTheSameRequestIdIsCountedOnce) {
  const v1::InvestmentEntry first = Log("alpha", 2024, 5, 400'000, "req-once");
  clock().Set(testing::TestNow() + absl::Minutes(5));
  const v1::InvestmentEntry retry = Log("alpha", 2024, 5, 400'000, "req-once");

  EXPECT_EQ(retry.name(), first.name());
  const Ledger ledger = ListLedger("projects/alpha");
  EXPECT_EQ(ledger.entries.size(), 1u);
  EXPECT_EQ(ledger.total_amount, 400'000);
}

TEST_F(LedgerTest, ARequestIdReusedForADifferentAmountIsAlreadyExists) {
  Log("alpha", 2024, 5, 400'000, "req-reused");
  v1::LogInvestmentRequest different = LogRequest(2024, 5, 450'000);
  different.set_request_id("req-reused");

  EXPECT_TRUE(IsFieldError(TryLog(different), StatusCode::ALREADY_EXISTS,
                           "request_id"));
  const Ledger ledger = ListLedger("projects/alpha");
  EXPECT_EQ(ledger.entries.size(), 1u);
  EXPECT_EQ(ledger.total_amount, 400'000);
}

TEST_F(LedgerTest, ANegativeDeltaAppendsACorrection) {
  const v1::InvestmentEntry original = Log("alpha", 2024, 4, 500'000);
  v1::InvestmentEntry correction;

  ASSERT_TRUE(IsOk(TryCorrect(Delta(original.name(), -120'000), &correction)));

  EXPECT_NE(correction.name(), original.name());
  EXPECT_EQ(correction.corrects(), original.name());
  EXPECT_EQ(correction.amount(), -120'000);
  EXPECT_EQ(correction.reason(), "统计口径调整");
  EXPECT_EQ(correction.period().month(), original.period().month());
  const Ledger ledger = ListLedger("projects/alpha");
  EXPECT_EQ(ledger.entries.size(), 2u);
  EXPECT_EQ(ledger.total_amount, 500'000 - 120'000);
}

TEST_F(LedgerTest, ACorrectedAmountAppendsTheDifference) {
  const v1::InvestmentEntry original = Log("alpha", 2024, 4, 500'000);
  v1::InvestmentEntry down, up;

  ASSERT_TRUE(IsOk(TryCorrect(CorrectTo(original.name(), 300'000), &down)));
  ASSERT_TRUE(IsOk(TryCorrect(CorrectTo(original.name(), 450'000), &up)));

  EXPECT_EQ(down.amount(), 300'000 - 500'000);
  EXPECT_EQ(up.amount(), 450'000 - 300'000);
  EXPECT_EQ(ListLedger("projects/alpha").total_amount, 450'000);
}

TEST_F(LedgerTest, ACorrectionBelowZeroIsFailedPreconditionAndWritesNothing) {
  const v1::InvestmentEntry original = Log("alpha", 2024, 4, 500'000);

  EXPECT_TRUE(IsFieldError(TryCorrect(Delta(original.name(), -500'001)),
                           StatusCode::FAILED_PRECONDITION, "delta"));
  const Ledger ledger = ListLedger("projects/alpha");
  EXPECT_EQ(ledger.entries.size(), 1u);
  EXPECT_EQ(ledger.total_amount, 500'000);
}

TEST_F(LedgerTest, ACorrectionWithoutAReasonIsInvalidArgument) {
  const v1::InvestmentEntry original = Log("alpha", 2024, 4, 500'000);
  v1::CorrectInvestmentRequest request = Delta(original.name(), -1);
  request.clear_reason();

  EXPECT_TRUE(IsFieldError(TryCorrect(request), StatusCode::INVALID_ARGUMENT,
                           "reason"));
  EXPECT_EQ(ListLedger("projects/alpha").entries.size(), 1u);
}

TEST_F(LedgerTest, CorrectingACorrectionIsRefused) {
  const v1::InvestmentEntry original = Log("alpha", 2024, 4, 500'000);
  v1::InvestmentEntry correction;
  ASSERT_TRUE(IsOk(TryCorrect(Delta(original.name(), -1'000), &correction)));

  EXPECT_TRUE(IsFieldError(TryCorrect(Delta(correction.name(), 1'000)),
                           StatusCode::FAILED_PRECONDITION, "name"));
  EXPECT_EQ(ListLedger("projects/alpha").entries.size(), 2u);
}

// A delta of 0 is a bad request whatever the entry; an amount the entry
// already stands at is refused for the entry's state.
TEST_F(LedgerTest, ACorrectionThatChangesNothingIsRefused) {
  const v1::InvestmentEntry original = Log("alpha", 2024, 4, 500'000);

  EXPECT_TRUE(IsFieldError(TryCorrect(Delta(original.name(), 0)),
                           StatusCode::INVALID_ARGUMENT, "delta"));
  EXPECT_TRUE(IsFieldError(TryCorrect(CorrectTo(original.name(), 500'000)),
                           StatusCode::FAILED_PRECONDITION,
                           "corrected_amount"));
  EXPECT_EQ(ListLedger("projects/alpha").entries.size(), 1u);
}

// Spaces are no reason, full-width ones (U+3000) included: an export
// holding one could not be imported anywhere.
TEST_F(LedgerTest, ABlankReasonIsRefusedAndAReasonIsKeptTrimmed) {
  const v1::InvestmentEntry original = Log("alpha", 2024, 4, 500'000);
  v1::CorrectInvestmentRequest blank = Delta(original.name(), -1'000);
  for (const char* reason : {"", "  ", "\u3000", " \u3000 "}) {
    blank.set_reason(reason);
    EXPECT_TRUE(
        IsFieldError(TryCorrect(blank), StatusCode::INVALID_ARGUMENT, "reason"))
        << "\"" << reason << "\"";
  }
  blank.set_reason("\u3000统计口径调整 ");
  v1::InvestmentEntry corrected;
  ASSERT_TRUE(IsOk(TryCorrect(blank, &corrected)));
  EXPECT_EQ(corrected.reason(), "统计口径调整");
  EXPECT_EQ(ListLedger("projects/alpha").entries.size(), 2u);
}

TEST_F(LedgerTest, GetInvestmentEntryReadsItBack) {
  const v1::InvestmentEntry entry = Log("alpha", 2024, 3, 80'000);
  v1::GetInvestmentEntryRequest request;
  request.set_name(entry.name());
  v1::InvestmentEntry read;

  ASSERT_TRUE(
      IsOk(investments().GetInvestmentEntry(Context().get(), request, &read)));
  EXPECT_EQ(read.SerializeAsString(), entry.SerializeAsString());
}

TEST_F(LedgerTest, GetAnEntryThroughAnotherProjectsPathIsNotFound) {
  const v1::InvestmentEntry entry = Log("alpha", 2024, 3, 80'000);
  const std::string id = entry.name().substr(entry.name().rfind('/') + 1);
  v1::GetInvestmentEntryRequest request;
  request.set_name(absl::StrCat("projects/beta/investments/", id));
  v1::InvestmentEntry read;

  EXPECT_TRUE(HasError(
      investments().GetInvestmentEntry(Context().get(), request, &read),
      StatusCode::NOT_FOUND, "beta"));
}

TEST_F(LedgerTest, ListFiltersByYearAndByPeriod) {
  Log("alpha", 2023, 12, 1'000);
  const v1::InvestmentEntry march = Log("alpha", 2024, 3, 20'000);
  const v1::InvestmentEntry april = Log("alpha", 2024, 4, 300'000);

  const Ledger year = ListLedger("projects/alpha", "year = 2024");
  EXPECT_EQ(year.entries.size(), 2u);
  EXPECT_EQ(year.total_amount, march.amount() + april.amount());

  const Ledger period = ListLedger("projects/alpha", "period = \"2024-03\"");
  ASSERT_EQ(period.entries.size(), 1u);
  EXPECT_EQ(period.entries[0].name(), march.name());
  EXPECT_EQ(period.total_amount, march.amount());
}

TEST_F(LedgerTest, ListWithDashCoversEveryProject) {
  const v1::InvestmentEntry a = Log("alpha", 2024, 3, 20'000);
  const v1::InvestmentEntry b = Log("beta", 2024, 3, 7'000);

  const Ledger all = ListLedger("projects/-");
  std::set<std::string> names;
  for (const v1::InvestmentEntry& e : all.entries) names.insert(e.name());
  EXPECT_EQ(names, (std::set<std::string>{a.name(), b.name()}));
  EXPECT_EQ(all.total_amount, a.amount() + b.amount());
  EXPECT_EQ(ListLedger("projects/beta").total_amount, b.amount());
}

TEST_F(LedgerTest, ListPagesCoverEveryEntryAndTotalCoversAllPages) {
  const std::vector<int64_t> amounts = {11, 220, 3'300, 44'000, 550'000};
  std::set<std::string> logged;
  for (size_t i = 0; i < amounts.size(); ++i) {
    logged.insert(
        Log("alpha", 2024, static_cast<int>(i) + 1, amounts[i]).name());
  }
  const int64_t total =
      std::accumulate(amounts.begin(), amounts.end(), int64_t{0});
  v1::ListInvestmentEntriesRequest request;
  request.set_parent("projects/alpha");
  request.set_page_size(2);
  std::vector<std::string> seen;
  std::vector<int> page_sizes;
  while (true) {
    v1::ListInvestmentEntriesResponse response;
    ASSERT_TRUE(IsOk(investments().ListInvestmentEntries(Context().get(),
                                                         request, &response)));
    EXPECT_EQ(response.total_amount(), total);
    page_sizes.push_back(response.investment_entries_size());
    for (const auto& e : response.investment_entries())
      seen.push_back(e.name());
    if (response.next_page_token().empty()) break;
    ASSERT_LT(page_sizes.size(), 10u) << "pagination does not end";
    request.set_page_token(response.next_page_token());
  }

  EXPECT_EQ(page_sizes, (std::vector<int>{2, 2, 1}));
  EXPECT_EQ(seen.size(), logged.size());
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), logged);
}

TEST_F(LedgerTest, ErrorDetailsCarryABadRequestNamingTheField) {
  const grpc::Status status = TryLog(LogRequest(2024, 6, 0));
  ASSERT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);

  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(StatusCode::INVALID_ARGUMENT));
  google::rpc::BadRequest bad_request;
  bool found = false;
  for (const google::protobuf::Any& any : details.details()) {
    found = found || any.UnpackTo(&bad_request);
  }
  ASSERT_TRUE(found) << "no google.rpc.BadRequest in the details";
  ASSERT_GE(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "amount");
  EXPECT_FALSE(bad_request.field_violations(0).description().empty());
}

}  // namespace
}  // namespace portfolio
