// PortfolioService over a real server: portfolio targets, the summary and
// project statuses, bulk import; and the server as a whole: the seeded
// report dataset, health, and durability across a restart.
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/server/integration_fixture.h"

namespace portfolio {
namespace {

using grpc::StatusCode;
using testing::HasError;
using testing::IsFieldError;
using testing::IsOk;
using testing::MakeDate;
using testing::MakeLevel;

// --- Portfolio targets ------------------------------------------------------

class PortfoliosTest : public testing::IntegrationTest {
 protected:
  grpc::Status TryUpdate(const v1::Portfolio& portfolio,
                         const std::vector<std::string>& mask,
                         bool allow_missing, v1::Portfolio* out) {
    v1::UpdatePortfolioRequest request;
    *request.mutable_portfolio() = portfolio;
    for (const std::string& path : mask) {
      request.mutable_update_mask()->add_paths(path);
    }
    request.set_allow_missing(allow_missing);
    return portfolios().UpdatePortfolio(Context().get(), request, out);
  }

  grpc::Status TryGet(const std::string& name, v1::Portfolio* out) {
    v1::GetPortfolioRequest request;
    request.set_name(name);
    return portfolios().GetPortfolio(Context().get(), request, out);
  }
};

// A page token belongs to the list that issued it: one list's token, sent
// to another with the same (empty) filter, is refused rather than read as
// a position in a different list.
TEST_F(PortfoliosTest, APageTokenIsBoundToItsMethod) {
  v1::Portfolio fields;
  fields.set_project_count_target(1);
  SetPortfolio(2023, fields);
  SetPortfolio(2024, fields);
  v1::ListPortfoliosRequest list;
  list.set_page_size(1);
  v1::ListPortfoliosResponse first;
  ASSERT_TRUE(IsOk(portfolios().ListPortfolios(Context().get(), list, &first)));
  ASSERT_FALSE(first.next_page_token().empty());

  v1::ListPeriodsRequest periods;
  periods.set_page_token(first.next_page_token());
  v1::ListPeriodsResponse no_periods;
  EXPECT_TRUE(IsFieldError(
      investments().ListPeriods(Context().get(), periods, &no_periods),
      StatusCode::INVALID_ARGUMENT, "page_token"));
  v1::ListIndicatorsRequest list_indicators;
  list_indicators.set_page_token(first.next_page_token());
  v1::ListIndicatorsResponse no_indicators;
  EXPECT_TRUE(
      IsFieldError(indicators().ListIndicators(Context().get(), list_indicators,
                                               &no_indicators),
                   StatusCode::INVALID_ARGUMENT, "page_token"));

  // Its own list takes it.
  list.set_page_token(first.next_page_token());
  v1::ListPortfoliosResponse second;
  ASSERT_TRUE(
      IsOk(portfolios().ListPortfolios(Context().get(), list, &second)));
  ASSERT_EQ(second.portfolios_size(), 1);
  EXPECT_NE(second.portfolios(0).name(), first.portfolios(0).name());
}

TEST_F(PortfoliosTest, AllowMissingCreatesThePortfolio) {
  v1::Portfolio fields;
  fields.set_name("portfolios/2024");
  fields.set_project_count_target(120);
  fields.set_investment_target(11'000'000'000);
  v1::Portfolio created;

  ASSERT_TRUE(IsOk(TryUpdate(fields, {}, true, &created)));

  EXPECT_EQ(created.name(), "portfolios/2024");
  EXPECT_EQ(created.year(), 2024);
  EXPECT_EQ(created.project_count_target(), 120);
  EXPECT_EQ(created.investment_target(), 11'000'000'000);
  EXPECT_FALSE(created.has_city_count_target());
  v1::Portfolio read;
  ASSERT_TRUE(IsOk(TryGet("portfolios/2024", &read)));
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());
}

TEST_F(PortfoliosTest, UpdateOfAMissingPortfolioWithoutAllowMissingIsNotFound) {
  v1::Portfolio fields;
  fields.set_name("portfolios/2024");
  fields.set_project_count_target(120);
  v1::Portfolio out;

  EXPECT_TRUE(HasError(TryUpdate(fields, {}, false, &out),
                       StatusCode::NOT_FOUND, "2024"));
  EXPECT_TRUE(
      HasError(TryGet("portfolios/2024", &out), StatusCode::NOT_FOUND, "2024"));
}

TEST_F(PortfoliosTest, UpdateChangesOnlyTheFieldsInTheMask) {
  v1::Portfolio fields;
  fields.set_project_count_target(120);
  fields.set_investment_target(11'000'000'000);
  const v1::Portfolio created = SetPortfolio(2024, fields);

  v1::Portfolio change;
  change.set_name("portfolios/2024");
  change.set_investment_target(12'000'000'000);
  change.set_project_count_target(1);
  v1::Portfolio updated;
  ASSERT_TRUE(IsOk(TryUpdate(change, {"investment_target"}, false, &updated)));

  EXPECT_EQ(updated.investment_target(), 12'000'000'000);
  EXPECT_EQ(updated.project_count_target(), 120);
  EXPECT_NE(updated.etag(), created.etag());
}

TEST_F(PortfoliosTest, UpdateWithAnUnknownMaskPathIsInvalidArgument) {
  v1::Portfolio change;
  change.set_name("portfolios/2024");
  v1::Portfolio out;
  EXPECT_TRUE(IsFieldError(TryUpdate(change, {"year"}, true, &out),
                           StatusCode::INVALID_ARGUMENT, "update_mask"));
}

TEST_F(PortfoliosTest, GetAMalformedNameIsInvalidArgument) {
  v1::Portfolio out;
  EXPECT_TRUE(IsFieldError(TryGet("portfolios/this-year", &out),
                           StatusCode::INVALID_ARGUMENT, "name"));
}

TEST_F(PortfoliosTest, ListPortfoliosReturnsEveryYear) {
  SetPortfolio(2023, v1::Portfolio());
  SetPortfolio(2024, v1::Portfolio());
  v1::ListPortfoliosRequest request;
  v1::ListPortfoliosResponse response;

  ASSERT_TRUE(
      IsOk(portfolios().ListPortfolios(Context().get(), request, &response)));
  std::set<std::string> names;
  for (const v1::Portfolio& p : response.portfolios()) names.insert(p.name());
  EXPECT_EQ(names,
            (std::set<std::string>{"portfolios/2023", "portfolios/2024"}));
}

// --- Summary and statuses over a small portfolio -----------------------------
//
// Today is 2024-07-15, so "as of" defaults to June: 序时进度 is 6/12.
//   alpha: provincial, chapter 1, 高铁新区, continuing, leads li and wang.
//          Plan 1,200,000 split evenly; 100,000 reported each month Jan-Jun
//          (on plan), plus 50,000 in July and an entry in 2023.
//   beta:  city, chapter 3, 经济开发区, new start, lead wang. Plan 2,400,000
//          back-loaded (100,000 a month to June); only 240,000 reported, in
//          March: 40 points behind and no June report.
//   gamma: nothing stated and no plan.

constexpr int64_t kAlphaPlan = 1'200'000;
constexpr int64_t kAlphaMonthly = kAlphaPlan / 12;
constexpr int64_t kAlphaJuly = 50'000;
constexpr int64_t kAlphaTotal = 500'000'000;
constexpr int64_t kBetaPlan = 2'400'000;
constexpr int64_t kBetaFirstHalfMonthly = 100'000;
constexpr int64_t kBetaSecondHalfMonthly = 300'000;
constexpr int64_t kBetaMarch = 240'000;
constexpr int64_t kBetaTotal = 200'000'000;
constexpr int64_t kInvestmentTarget = 9'000'000'000;

class SummaryTest : public testing::IntegrationTest {
 protected:
  void SetUp() override {
    IntegrationTest::SetUp();
    v1::Project alpha;
    *alpha.add_levels() = MakeLevel(2024, v1::PROJECT_LEVEL_PROVINCIAL);
    alpha.set_chapter(1);
    alpha.set_park("高铁新区");
    alpha.set_sector("新材料");
    alpha.set_stage(v1::PROJECT_STAGE_CONTINUING);
    alpha.add_leads("li");
    alpha.add_leads("wang");
    alpha.set_total_investment(kAlphaTotal);
    CreateProject("alpha", alpha);
    SetPlan("alpha", 2024, kAlphaPlan);
    for (int month = 1; month <= 6; ++month) {
      Log("alpha", 2024, month, kAlphaMonthly);
    }
    Log("alpha", 2024, 7, kAlphaJuly);
    Log("alpha", 2023, 12, 999'000);

    v1::Project beta;
    *beta.add_levels() = MakeLevel(2024, v1::PROJECT_LEVEL_CITY);
    beta.set_chapter(3);
    beta.set_park("经济开发区");
    beta.set_sector("绿色化工");
    beta.set_stage(v1::PROJECT_STAGE_NEW_START);
    beta.add_leads("wang");
    beta.set_total_investment(kBetaTotal);
    CreateProject("beta", beta);
    std::vector<int64_t> monthly(6, kBetaFirstHalfMonthly);
    monthly.insert(monthly.end(), 6, kBetaSecondHalfMonthly);
    SetPlan("beta", 2024, kBetaPlan, monthly);
    Log("beta", 2024, 3, kBetaMarch);

    CreateProject("gamma");
  }

  grpc::Status TrySummary(int year, int as_of_month,
                          v1::SummaryDimension group_by,
                          v1::PortfolioSummary* out,
                          const std::string& filter = "") {
    v1::GetPortfolioSummaryRequest request;
    request.set_year(year);
    request.set_as_of_month(as_of_month);
    request.set_group_by(group_by);
    request.set_filter(filter);
    return portfolios().GetPortfolioSummary(Context().get(), request, out);
  }

  // The June summary grouped by `dimension`, as a map from key to figures.
  std::map<std::string, v1::SummaryFigures> GroupsAsOfJune(
      v1::SummaryDimension dimension) {
    v1::PortfolioSummary summary;
    EXPECT_TRUE(IsOk(TrySummary(2024, 6, dimension, &summary)));
    EXPECT_EQ(summary.group_by(), dimension);
    std::map<std::string, v1::SummaryFigures> groups;
    for (const v1::SummaryGroup& g : summary.groups()) {
      EXPECT_TRUE(groups.emplace(g.key(), g.figures()).second)
          << "key \"" << g.key() << "\" appears twice";
    }
    return groups;
  }

  v1::ProjectStatus StatusOf(const std::string& project, int as_of_month = 6) {
    v1::GetProjectStatusRequest request;
    request.set_project(absl::StrCat("projects/", project));
    request.set_year(2024);
    request.set_as_of_month(as_of_month);
    v1::ProjectStatus status;
    EXPECT_TRUE(
        IsOk(portfolios().GetProjectStatus(Context().get(), request, &status)))
        << project;
    return status;
  }

  // The statuses ListProjectStatuses returns as of June for `filter`, in
  // order, following pages of `page_size`.
  std::vector<std::string> StatusOrder(const std::string& filter,
                                       int page_size = 0) {
    std::vector<std::string> projects;
    v1::ListProjectStatusesRequest request;
    request.set_year(2024);
    request.set_as_of_month(6);
    request.set_filter(filter);
    request.set_page_size(page_size);
    for (int page = 0; page < 100; ++page) {
      v1::ListProjectStatusesResponse response;
      const grpc::Status status =
          portfolios().ListProjectStatuses(Context().get(), request, &response);
      EXPECT_TRUE(IsOk(status)) << "filter [" << filter << "]";
      if (!status.ok()) break;
      if (page_size > 0) {
        EXPECT_LE(response.project_statuses_size(), page_size);
      }
      for (const v1::ProjectStatus& s : response.project_statuses()) {
        projects.push_back(s.project());
      }
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return projects;
  }
};

// The reason with `code`, or nullptr.
const v1::StatusReason* ReasonOf(const v1::ProjectStatus& status,
                                 v1::StatusReason::Code code) {
  for (const v1::StatusReason& r : status.reasons()) {
    if (r.code() == code) return &r;
  }
  return nullptr;
}

TEST_F(SummaryTest, TotalsAsOfJune) {
  v1::PortfolioSummary summary;
  ASSERT_TRUE(
      IsOk(TrySummary(2024, 6, v1::SUMMARY_DIMENSION_UNSPECIFIED, &summary)));

  const int64_t planned_to_date = 6 * kAlphaMonthly + 6 * kBetaFirstHalfMonthly;
  const int64_t completed = 6 * kAlphaMonthly + kBetaMarch;
  const double rate = static_cast<double>(completed) / (kAlphaPlan + kBetaPlan);
  const v1::SummaryFigures& t = summary.totals();
  EXPECT_EQ(summary.year(), 2024);
  EXPECT_EQ(summary.as_of_month(), 6);
  EXPECT_DOUBLE_EQ(summary.time_elapsed(), 0.5);
  EXPECT_EQ(t.project_count(), 3);
  EXPECT_EQ(t.planned_project_count(), 2);
  EXPECT_EQ(t.annual_plan(), kAlphaPlan + kBetaPlan);
  EXPECT_EQ(t.planned_to_date(), planned_to_date);
  EXPECT_EQ(t.completed_to_date(), completed);
  EXPECT_NEAR(t.completion_rate(), rate, 1e-12);
  EXPECT_NEAR(t.gap_points(), (rate - 0.5) * 100, 1e-9);
  EXPECT_EQ(t.total_investment(), kAlphaTotal + kBetaTotal);
  EXPECT_EQ(summary.groups_size(), 0);
}

TEST_F(SummaryTest, CountsProjectsByRag) {
  v1::PortfolioSummary summary;
  ASSERT_TRUE(
      IsOk(TrySummary(2024, 6, v1::SUMMARY_DIMENSION_UNSPECIFIED, &summary)));

  EXPECT_EQ(summary.totals().green_count(), 1);  // alpha
  EXPECT_EQ(summary.totals().amber_count(), 1);  // gamma
  EXPECT_EQ(summary.totals().red_count(), 1);    // beta
}

TEST_F(SummaryTest, DefaultsToTheLastCompleteMonthOfTheCurrentYear) {
  v1::PortfolioSummary summary;
  ASSERT_TRUE(
      IsOk(TrySummary(0, 0, v1::SUMMARY_DIMENSION_UNSPECIFIED, &summary)));

  EXPECT_EQ(summary.year(), testing::kThisYear);
  EXPECT_EQ(summary.as_of_month(), testing::kThisMonth - 1);
  EXPECT_DOUBLE_EQ(summary.time_elapsed(), 0.5);
  EXPECT_EQ(summary.totals().completed_to_date(),
            6 * kAlphaMonthly + kBetaMarch);
}

TEST_F(SummaryTest, AsOfJulyCountsJulyEntries) {
  v1::PortfolioSummary summary;
  ASSERT_TRUE(
      IsOk(TrySummary(2024, 7, v1::SUMMARY_DIMENSION_UNSPECIFIED, &summary)));

  EXPECT_EQ(summary.totals().completed_to_date(),
            6 * kAlphaMonthly + kAlphaJuly + kBetaMarch);
  EXPECT_EQ(
      summary.totals().planned_to_date(),
      7 * kAlphaMonthly + 6 * kBetaFirstHalfMonthly + kBetaSecondHalfMonthly);
  EXPECT_DOUBLE_EQ(summary.time_elapsed(), 7.0 / 12);
}

TEST_F(SummaryTest, AsOfMonth13IsInvalidArgument) {
  v1::PortfolioSummary summary;
  EXPECT_TRUE(IsFieldError(
      TrySummary(2024, 13, v1::SUMMARY_DIMENSION_UNSPECIFIED, &summary),
      StatusCode::INVALID_ARGUMENT, "as_of_month"));
}

TEST_F(SummaryTest, AnUnknownGroupByIsInvalidArgument) {
  v1::PortfolioSummary summary;
  EXPECT_TRUE(IsFieldError(
      TrySummary(2024, 6, static_cast<v1::SummaryDimension>(99), &summary),
      StatusCode::INVALID_ARGUMENT, "group_by"));
}

TEST_F(SummaryTest, FilterNarrowsTheProjectsSummed) {
  v1::PortfolioSummary summary;
  ASSERT_TRUE(IsOk(TrySummary(2024, 6, v1::SUMMARY_DIMENSION_UNSPECIFIED,
                              &summary, "chapter = 3")));

  EXPECT_EQ(summary.totals().project_count(), 1);
  EXPECT_EQ(summary.totals().annual_plan(), kBetaPlan);
  EXPECT_EQ(summary.totals().completed_to_date(), kBetaMarch);
}

TEST_F(SummaryTest, EchoesThePortfolioTargetsAndTheInvestmentTargetRate) {
  v1::Portfolio targets;
  targets.set_project_count_target(3);
  targets.set_investment_target(kInvestmentTarget);
  SetPortfolio(2024, targets);
  v1::PortfolioSummary summary;

  ASSERT_TRUE(
      IsOk(TrySummary(2024, 6, v1::SUMMARY_DIMENSION_UNSPECIFIED, &summary)));

  EXPECT_EQ(summary.portfolio().name(), "portfolios/2024");
  EXPECT_EQ(summary.portfolio().project_count_target(), 3);
  EXPECT_EQ(summary.portfolio().investment_target(), kInvestmentTarget);
  EXPECT_NEAR(summary.investment_target_rate(),
              static_cast<double>(summary.totals().completed_to_date()) /
                  kInvestmentTarget,
              1e-15);
  EXPECT_GT(summary.investment_target_rate(), 0);
}

TEST_F(SummaryTest, WithoutTargetsTheInvestmentTargetRateIsZero) {
  v1::PortfolioSummary summary;
  ASSERT_TRUE(
      IsOk(TrySummary(2024, 6, v1::SUMMARY_DIMENSION_UNSPECIFIED, &summary)));
  EXPECT_FALSE(summary.has_portfolio());
  EXPECT_EQ(summary.investment_target_rate(), 0);
}

TEST_F(SummaryTest, GroupsByLevel) {
  const auto groups = GroupsAsOfJune(v1::SUMMARY_DIMENSION_LEVEL);

  EXPECT_EQ(groups.size(), 3u);
  ASSERT_EQ(groups.count("PROVINCIAL"), 1u) << "the contract's key example";
  ASSERT_EQ(groups.count("CITY"), 1u);
  ASSERT_EQ(groups.count(""), 1u);
  EXPECT_EQ(groups.at("PROVINCIAL").annual_plan(), kAlphaPlan);
  EXPECT_EQ(groups.at("CITY").completed_to_date(), kBetaMarch);
  EXPECT_EQ(groups.at("").planned_project_count(), 0);
}

TEST_F(SummaryTest, GroupsByChapter) {
  const auto groups = GroupsAsOfJune(v1::SUMMARY_DIMENSION_CHAPTER);

  EXPECT_EQ(groups.size(), 3u);
  ASSERT_EQ(groups.count("1"), 1u);
  ASSERT_EQ(groups.count("3"), 1u);
  ASSERT_EQ(groups.count(""), 1u);
  EXPECT_EQ(groups.at("1").completed_to_date(), 6 * kAlphaMonthly);
  EXPECT_EQ(groups.at("3").annual_plan(), kBetaPlan);
  EXPECT_EQ(groups.at("3").red_count(), 1);
  EXPECT_EQ(groups.at("").amber_count(), 1);
}

TEST_F(SummaryTest, GroupsByPark) {
  const auto groups = GroupsAsOfJune(v1::SUMMARY_DIMENSION_PARK);

  EXPECT_EQ(groups.size(), 3u);
  ASSERT_EQ(groups.count("高铁新区"), 1u);
  ASSERT_EQ(groups.count("经济开发区"), 1u);
  EXPECT_EQ(groups.at("高铁新区").planned_to_date(), 6 * kAlphaMonthly);
  EXPECT_EQ(groups.at("经济开发区").planned_to_date(),
            6 * kBetaFirstHalfMonthly);
  EXPECT_EQ(groups.at("经济开发区").total_investment(), kBetaTotal);
}

TEST_F(SummaryTest, GroupsBySector) {
  const auto groups = GroupsAsOfJune(v1::SUMMARY_DIMENSION_SECTOR);

  EXPECT_EQ(groups.size(), 3u);
  ASSERT_EQ(groups.count("新材料"), 1u);
  ASSERT_EQ(groups.count("绿色化工"), 1u);
  EXPECT_EQ(groups.at("新材料").green_count(), 1);
  EXPECT_EQ(groups.at("绿色化工").completed_to_date(), kBetaMarch);
}

TEST_F(SummaryTest, GroupsByStage) {
  const auto groups = GroupsAsOfJune(v1::SUMMARY_DIMENSION_STAGE);

  // One group per stage in use (continuing, new start) and one for gamma,
  // whose stage is not stated.
  EXPECT_EQ(groups.size(), 3u);
  ASSERT_EQ(groups.count(""), 1u);
  EXPECT_EQ(groups.at("").project_count(), 1);
  int64_t plans = 0;
  for (const auto& [key, figures] : groups) {
    EXPECT_EQ(figures.project_count(), 1) << key;
    plans += figures.annual_plan();
  }
  EXPECT_EQ(plans, kAlphaPlan + kBetaPlan);
}

TEST_F(SummaryTest, GroupsByLeadCountAProjectUnderEachOfItsLeads) {
  const auto groups = GroupsAsOfJune(v1::SUMMARY_DIMENSION_LEAD);

  EXPECT_EQ(groups.size(), 3u);
  ASSERT_EQ(groups.count("li"), 1u);
  ASSERT_EQ(groups.count("wang"), 1u);
  ASSERT_EQ(groups.count(""), 1u);
  EXPECT_EQ(groups.at("li").project_count(), 1);
  EXPECT_EQ(groups.at("li").annual_plan(), kAlphaPlan);
  EXPECT_EQ(groups.at("wang").project_count(), 2);
  EXPECT_EQ(groups.at("wang").annual_plan(), kAlphaPlan + kBetaPlan);
  EXPECT_EQ(groups.at("wang").completed_to_date(),
            6 * kAlphaMonthly + kBetaMarch);
  EXPECT_EQ(groups.at("").project_count(), 1);
}

TEST_F(SummaryTest, AProjectOnPlanIsGreenWithoutReasons) {
  const v1::ProjectStatus alpha = StatusOf("alpha");

  EXPECT_EQ(alpha.project(), "projects/alpha");
  EXPECT_EQ(alpha.annual_plan(), kAlphaPlan);
  EXPECT_EQ(alpha.planned_to_date(), 6 * kAlphaMonthly);
  EXPECT_EQ(alpha.completed_to_date(), 6 * kAlphaMonthly);
  EXPECT_DOUBLE_EQ(alpha.completion_rate(), 0.5);
  EXPECT_DOUBLE_EQ(alpha.time_elapsed(), 0.5);
  EXPECT_NEAR(alpha.gap_points(), 0, 1e-9);
  EXPECT_EQ(alpha.rag(), v1::RAG_GREEN);
  EXPECT_EQ(alpha.reasons_size(), 0);
}

TEST_F(SummaryTest, AProjectFarBehindPlanIsRedWithThePointsBehind) {
  const v1::ProjectStatus beta = StatusOf("beta");

  const double rate = static_cast<double>(kBetaMarch) / kBetaPlan;  // 10%
  EXPECT_NEAR(beta.gap_points(), (rate - 0.5) * 100, 1e-9);
  EXPECT_EQ(beta.rag(), v1::RAG_RED);
  const v1::StatusReason* behind =
      ReasonOf(beta, v1::StatusReason::CODE_BEHIND_PLAN);
  ASSERT_NE(behind, nullptr);
  EXPECT_EQ(behind->value(), 40);
  EXPECT_EQ(behind->rag(), v1::RAG_RED);
  EXPECT_EQ(beta.reasons(0).code(), v1::StatusReason::CODE_BEHIND_PLAN)
      << "reasons come worst first";
}

TEST_F(SummaryTest, NoReportForTheAsOfMonthIsAMissingReport) {
  const v1::ProjectStatus beta = StatusOf("beta");

  const v1::StatusReason* missing =
      ReasonOf(beta, v1::StatusReason::CODE_MISSING_REPORT);
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->value(), 6);
  EXPECT_EQ(ReasonOf(StatusOf("alpha"), v1::StatusReason::CODE_MISSING_REPORT),
            nullptr);
}

// A project whose plan puts nothing in the month (not started yet) has
// no report missing for it: there is nothing it could report. Both ways
// of reading progress agree: from the kept inputs, and in SQL (as known
// at an instant).
TEST_F(SummaryTest, AMonthPlannedAtZeroNeedsNoReport) {
  CreateProject("delta");
  SetPlan("delta", 2024, 1200,
          {0, 0, 0, 0, 0, 0, 200, 200, 200, 200, 200, 200});
  for (const bool known_at : {false, true}) {
    v1::GetProjectStatusRequest request;
    request.set_project("projects/delta");
    request.set_year(2024);
    request.set_as_of_month(6);
    if (known_at) {
      request.mutable_as_known_at()->set_seconds(
          absl::ToUnixSeconds(clock().Now()) + 3600);
    }
    v1::ProjectStatus delta;
    ASSERT_TRUE(
        IsOk(portfolios().GetProjectStatus(Context().get(), request, &delta)));
    EXPECT_EQ(ReasonOf(delta, v1::StatusReason::CODE_MISSING_REPORT), nullptr)
        << "as known at: " << known_at;
    // July is planned: as of July, its report is missing.
    request.set_as_of_month(7);
    ASSERT_TRUE(
        IsOk(portfolios().GetProjectStatus(Context().get(), request, &delta)));
    const v1::StatusReason* missing =
        ReasonOf(delta, v1::StatusReason::CODE_MISSING_REPORT);
    ASSERT_NE(missing, nullptr) << "as known at: " << known_at;
    EXPECT_EQ(missing->value(), 7);
  }
}

TEST_F(SummaryTest, AProjectWithoutAPlanHasNoAnnualPlanReason) {
  const v1::ProjectStatus gamma = StatusOf("gamma");

  EXPECT_EQ(gamma.annual_plan(), 0);
  EXPECT_EQ(gamma.completion_rate(), 0);
  EXPECT_EQ(gamma.rag(), v1::RAG_AMBER);
  const v1::StatusReason* no_plan =
      ReasonOf(gamma, v1::StatusReason::CODE_NO_ANNUAL_PLAN);
  ASSERT_NE(no_plan, nullptr);
  EXPECT_EQ(no_plan->rag(), v1::RAG_AMBER);
}

TEST_F(SummaryTest, AnOverdueMilestoneGivesTheDaysOverdue) {
  const v1::Milestone late = AddMilestone(
      "alpha", v1::MILESTONE_KIND_STRUCTURE_COMPLETE, MakeDate(2024, 6, 10));

  const v1::ProjectStatus alpha = StatusOf("alpha");

  // As of June, the milestone is judged at the end of June.
  const int64_t days =
      absl::CivilDay(2024, 6, 30) - absl::CivilDay(2024, 6, 10);
  const v1::StatusReason* overdue =
      ReasonOf(alpha, v1::StatusReason::CODE_MILESTONE_OVERDUE);
  ASSERT_NE(overdue, nullptr);
  EXPECT_EQ(overdue->value(), days);
  EXPECT_EQ(overdue->milestone(), late.name());
  EXPECT_NE(alpha.rag(), v1::RAG_GREEN);
  EXPECT_EQ(alpha.rag(), overdue->rag());
}

// A re-planned milestone is rated against its new date from then on, and
// against the old one as known before.
TEST_F(SummaryTest, AReplannedMilestoneIsRatedAsPlannedWhenAsked) {
  const v1::Milestone late = AddMilestone(
      "alpha", v1::MILESTONE_KIND_STRUCTURE_COMPLETE, MakeDate(2024, 6, 10));
  const absl::Time before = clock().Now();
  clock().Set(before + absl::Hours(2));
  v1::UpdateMilestoneRequest replan;
  replan.mutable_milestone()->set_name(late.name());
  *replan.mutable_milestone()->mutable_planned_date() = MakeDate(2024, 8, 31);
  v1::Milestone moved;
  ASSERT_TRUE(
      IsOk(projects().UpdateMilestone(Context().get(), replan, &moved)));

  EXPECT_EQ(
      ReasonOf(StatusOf("alpha"), v1::StatusReason::CODE_MILESTONE_OVERDUE),
      nullptr);
  v1::GetProjectStatusRequest request;
  request.set_project("projects/alpha");
  request.set_year(2024);
  request.set_as_of_month(6);
  request.mutable_as_known_at()->set_seconds(
      absl::ToUnixSeconds(before + absl::Hours(1)));
  v1::ProjectStatus then;
  ASSERT_TRUE(
      IsOk(portfolios().GetProjectStatus(Context().get(), request, &then)));
  const v1::StatusReason* overdue =
      ReasonOf(then, v1::StatusReason::CODE_MILESTONE_OVERDUE);
  ASSERT_NE(overdue, nullptr);
  EXPECT_EQ(overdue->value(), 20);
}

TEST_F(SummaryTest, StatusOfAnUnknownProjectIsNotFound) {
  v1::GetProjectStatusRequest request;
  request.set_project("projects/ghost");
  v1::ProjectStatus status;
  EXPECT_TRUE(
      HasError(portfolios().GetProjectStatus(Context().get(), request, &status),
               StatusCode::NOT_FOUND, "ghost"));
}

TEST_F(SummaryTest, StatusDefaultsToTheLastCompleteMonth) {
  v1::GetProjectStatusRequest request;
  request.set_project("projects/alpha");
  v1::ProjectStatus status;
  ASSERT_TRUE(
      IsOk(portfolios().GetProjectStatus(Context().get(), request, &status)));

  EXPECT_EQ(status.year(), testing::kThisYear);
  EXPECT_EQ(status.as_of_month(), testing::kThisMonth - 1);
}

TEST_F(SummaryTest, ListStatusesFiltersByRag) {
  EXPECT_EQ(StatusOrder("rag = RED"),
            (std::vector<std::string>{"projects/beta"}));
  EXPECT_EQ(StatusOrder("rag = GREEN"),
            (std::vector<std::string>{"projects/alpha"}));
}

TEST_F(SummaryTest, ListStatusesPutsTheWorstFirst) {
  // delta: amber (no June report) and a few points behind, so it comes
  // before gamma, which is amber for having no plan (a gap of 0).
  CreateProject("delta");
  SetPlan("delta", 2024, kAlphaPlan);
  for (int month = 1; month <= 5; ++month) {
    Log("delta", 2024, month, kAlphaMonthly + 10'000);
  }
  ASSERT_EQ(StatusOf("delta").rag(), v1::RAG_AMBER);

  EXPECT_EQ(StatusOrder(""),
            (std::vector<std::string>{"projects/beta", "projects/delta",
                                      "projects/gamma", "projects/alpha"}));
}

TEST_F(SummaryTest, ListStatusesPagesKeepTheOrder) {
  const std::vector<std::string> one_page = StatusOrder("");
  ASSERT_EQ(one_page.size(), 3u);
  EXPECT_EQ(StatusOrder("", 2), one_page);
}

TEST_F(SummaryTest, ListStatusesWithABadRagIsInvalidArgument) {
  v1::ListProjectStatusesRequest request;
  request.set_filter("rag = PURPLE");
  v1::ListProjectStatusesResponse response;
  EXPECT_TRUE(IsFieldError(
      portfolios().ListProjectStatuses(Context().get(), request, &response),
      StatusCode::INVALID_ARGUMENT, "filter.rag"));
}

TEST_F(SummaryTest, TheStartUpReadAnswersTheDefaultSummaryAndStatusList) {
  // A restart over the data above: the server reads the default question
  // (the latest portfolio year, its default month, every project) at once.
  SetPortfolio(2024, v1::Portfolio());
  StopServer();
  StartServer(/*seed=*/false);
  server().WaitForWarmUp();
  const int64_t warm_reads = server().evaluation_stats().whole_reads;
  EXPECT_EQ(warm_reads, 1);

  v1::PortfolioSummary summary;
  ASSERT_TRUE(TrySummary(0, 0, v1::SUMMARY_DIMENSION_PARK, &summary).ok());
  EXPECT_EQ(summary.year(), 2024);
  EXPECT_EQ(summary.totals().project_count(), 3);
  v1::ListProjectStatusesRequest request;
  v1::ListProjectStatusesResponse statuses;
  ASSERT_TRUE(portfolios()
                  .ListProjectStatuses(Context().get(), request, &statuses)
                  .ok());
  EXPECT_EQ(statuses.project_statuses_size(), 3);
  // Both were answered from what the start-up read kept.
  EXPECT_EQ(server().evaluation_stats().whole_reads, warm_reads);

  // A month not asked before is computed from the inputs kept with the
  // start-up read, not read.
  const int64_t derived = server().evaluation_stats().derived_reads;
  ASSERT_TRUE(
      TrySummary(2024, 3, v1::SUMMARY_DIMENSION_UNSPECIFIED, &summary).ok());
  EXPECT_EQ(summary.as_of_month(), 3);
  EXPECT_EQ(summary.totals().project_count(), 3);
  EXPECT_EQ(server().evaluation_stats().whole_reads, warm_reads);
  EXPECT_EQ(server().evaluation_stats().derived_reads, derived + 1);
}

// --- ImportRecords -----------------------------------------------------------

constexpr char kProjectsHeader[] =
    "id,name,chapter,park,levels,stage,total_investment,leads,source\n";

class ImportTest : public testing::IntegrationTest {
 protected:
  grpc::Status TryImport(v1::ImportKind kind, const std::string& filename,
                         const std::string& content,
                         v1::ImportRecordsResponse* out,
                         const std::string& request_id = "") {
    v1::ImportRecordsRequest request;
    request.set_kind(kind);
    request.set_filename(filename);
    request.set_content(content);
    request.set_request_id(request_id);
    return portfolios().ImportRecords(Context().get(), request, out);
  }

  int ProjectCount() {
    v1::ListProjectsRequest request;
    v1::ListProjectsResponse response;
    EXPECT_TRUE(
        IsOk(projects().ListProjects(Context().get(), request, &response)));
    return response.total_size();
  }
};

TEST_F(ImportTest, AProjectsFileCreatesItsProjects) {
  for (const char* lead : {"li", "wang"}) {
    v1::CreateUserRequest user;
    user.set_user_id(lead);
    user.mutable_user()->set_role(v1::USER_ROLE_LEAD);
    v1::User made;
    ASSERT_TRUE(IsOk(admin().CreateUser(Context().get(), user, &made)));
  }
  const std::string csv = absl::StrCat(
      kProjectsHeader,
      "rail-hub,高铁物流园,3,高铁新区,2024:provincial,new_start,3000万,"
      "li;wang,报告\n",
      "solar-farm,光伏电站,6,,,continuing,1.2亿,,报告\n");
  v1::ImportRecordsResponse response;

  ASSERT_TRUE(IsOk(
      TryImport(v1::IMPORT_KIND_PROJECTS, "projects.csv", csv, &response)));

  EXPECT_EQ(response.created_count(), 2);
  EXPECT_EQ(response.updated_count(), 0);
  const v1::Project hub = GetProject("rail-hub");
  EXPECT_EQ(hub.display_name(), "高铁物流园");
  EXPECT_EQ(hub.chapter(), 3);
  EXPECT_EQ(hub.park(), "高铁新区");
  ASSERT_EQ(hub.levels_size(), 1);
  EXPECT_EQ(hub.levels(0).level(), v1::PROJECT_LEVEL_PROVINCIAL);
  EXPECT_EQ(hub.stage(), v1::PROJECT_STAGE_NEW_START);
  EXPECT_EQ(hub.total_investment(), 30'000'000);
  EXPECT_EQ(hub.leads_size(), 2);
  EXPECT_EQ(GetProject("solar-farm").total_investment(), 120'000'000);
}

TEST_F(ImportTest, ABadRowRefusesTheWholeFileNamingFileAndLine) {
  const std::string csv = absl::StrCat(kProjectsHeader,                // line 1
                                       "first-ok,第一个,1,,,,,,\n",    // line 2
                                       "second-ok,第二个,2,,,,,,\n",   // line 3
                                       "third-bad,第三个,12,,,,,,\n",  // line 4
                                       "fourth-ok,第四个,4,,,,,,\n");  // line 5
  v1::ImportRecordsResponse response;

  const grpc::Status status =
      TryImport(v1::IMPORT_KIND_PROJECTS, "roster-2024.csv", csv, &response);

  EXPECT_TRUE(
      HasError(status, StatusCode::INVALID_ARGUMENT, "roster-2024.csv"));
  EXPECT_TRUE(HasError(status, StatusCode::INVALID_ARGUMENT, "line 4"));
  EXPECT_EQ(ProjectCount(), 0) << "nothing from the file is written";
}

TEST_F(ImportTest, ImportErrorsCarryABadRequestNamingTheContent) {
  // A chapter out of range and an id that is not an id: both bad rows.
  for (const char* row : {"ok-id,名称,12,,,,,,\n", "Bad Id,名称,1,,,,,,\n"}) {
    SCOPED_TRACE(row);
    v1::ImportRecordsResponse response;
    EXPECT_TRUE(
        IsFieldError(TryImport(v1::IMPORT_KIND_PROJECTS, "p.csv",
                               absl::StrCat(kProjectsHeader, row), &response),
                     StatusCode::INVALID_ARGUMENT, "content"));
  }
}

TEST_F(ImportTest, AnUnknownKindIsInvalidArgument) {
  const std::string csv = absl::StrCat(kProjectsHeader, "ok-id,名称,1,,,,,,\n");
  for (int kind : {0, 99}) {
    SCOPED_TRACE(kind);
    v1::ImportRecordsResponse response;
    EXPECT_TRUE(IsFieldError(
        TryImport(static_cast<v1::ImportKind>(kind), "p.csv", csv, &response),
        StatusCode::INVALID_ARGUMENT, "kind"));
  }
  EXPECT_EQ(ProjectCount(), 0);
}

TEST_F(ImportTest, ARetryWithTheSameRequestIdDoesNotImportTwice) {
  const std::string csv = absl::StrCat(kProjectsHeader, "ok-id,名称,1,,,,,,\n");
  v1::ImportRecordsResponse first, retry;
  ASSERT_TRUE(IsOk(
      TryImport(v1::IMPORT_KIND_PROJECTS, "p.csv", csv, &first, "req-import")));
  const std::string etag = GetProject("ok-id").etag();

  ASSERT_TRUE(IsOk(
      TryImport(v1::IMPORT_KIND_PROJECTS, "p.csv", csv, &retry, "req-import")));

  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(GetProject("ok-id").etag(), etag)
      << "the project was written again";
  EXPECT_EQ(ProjectCount(), 1);
}

// --- The seeded server ------------------------------------------------------

class SeededTest : public testing::IntegrationTest {
 protected:
  bool Seeded() const override { return true; }

  v1::ListProjectsResponse FirstProjects() {
    v1::ListProjectsRequest request;
    v1::ListProjectsResponse response;
    EXPECT_TRUE(
        IsOk(projects().ListProjects(Context().get(), request, &response)));
    return response;
  }
};

TEST_F(SeededTest, TheReportsProjectsAreLoaded) {
  EXPECT_GT(FirstProjects().total_size(), 40);
}

TEST_F(SeededTest, TheReportsPortfolioTargetsAreLoaded) {
  v1::GetPortfolioRequest request;
  request.set_name("portfolios/2024");
  v1::Portfolio portfolio;
  ASSERT_TRUE(
      IsOk(portfolios().GetPortfolio(Context().get(), request, &portfolio)));

  EXPECT_EQ(portfolio.project_count_target(), 120);
  EXPECT_EQ(portfolio.investment_target(), 11'000'000'000);
}

TEST_F(SeededTest, TheReportsIndicatorTargetsFor2024AreLoaded) {
  v1::ListIndicatorsRequest request;
  request.set_filter("year = 2024");
  int with_target = 0;
  for (int page = 0; page < 100; ++page) {
    v1::ListIndicatorsResponse response;
    ASSERT_TRUE(
        IsOk(indicators().ListIndicators(Context().get(), request, &response)));
    for (const v1::Indicator& indicator : response.indicators()) {
      bool has_2024_target = false;
      for (const v1::IndicatorTarget& t : indicator.targets()) {
        has_2024_target = has_2024_target || t.year() == 2024;
      }
      EXPECT_TRUE(has_2024_target) << indicator.name();
      with_target += has_2024_target;
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_GT(with_target, 50);
}

TEST_F(SeededTest, HealthCheckIsServing) {
  auto health = grpc::health::v1::Health::NewStub(channel());
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;

  ASSERT_TRUE(IsOk(health->Check(Context().get(), request, &response)));
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(SeededTest, TheSeedDoesNotRunAgainOnRestart) {
  const v1::ListProjectsResponse before = FirstProjects();
  ASSERT_GT(before.projects_size(), 0);
  v1::Project renamed = before.projects(0);
  renamed.set_display_name("改过的名称");
  v1::UpdateProjectRequest update;
  *update.mutable_project() = renamed;
  update.mutable_update_mask()->add_paths("display_name");
  v1::Project updated;
  ASSERT_TRUE(
      IsOk(projects().UpdateProject(Context().get(), update, &updated)));

  StopServer();
  StartServer(/*seed=*/true);

  const v1::ListProjectsResponse after = FirstProjects();
  EXPECT_EQ(after.total_size(), before.total_size());
  const std::string id = updated.name().substr(updated.name().find('/') + 1);
  const v1::Project read = GetProject(id);
  EXPECT_EQ(read.display_name(), "改过的名称");
  EXPECT_EQ(read.etag(), updated.etag());
}

// --- Durability -------------------------------------------------------------

using DurabilityTest = testing::IntegrationTest;

TEST_F(DurabilityTest, WritesSurviveARestartAndAnExistingDatabaseIsNotSeeded) {
  const v1::Project created = CreateProject("durable");
  SetPlan("durable", 2024, 1'200'000);
  const v1::InvestmentEntry entry = Log("durable", 2024, 6, 345'678);

  StopServer();
  StartServer(/*seed=*/true);

  EXPECT_EQ(GetProject("durable").SerializeAsString(),
            created.SerializeAsString());
  const Ledger ledger = ListLedger("projects/-");
  ASSERT_EQ(ledger.entries.size(), 1u);
  EXPECT_EQ(ledger.entries[0].name(), entry.name());
  EXPECT_EQ(ledger.total_amount, entry.amount());
  v1::ListProjectsRequest request;
  v1::ListProjectsResponse response;
  ASSERT_TRUE(
      IsOk(projects().ListProjects(Context().get(), request, &response)));
  EXPECT_EQ(response.total_size(), 1) << "the report's dataset was seeded "
                                         "into an existing database";
}

TEST_F(DurabilityTest, ARequestIdIsRememberedAcrossARestart) {
  CreateProject("durable");
  const v1::InvestmentEntry first = Log("durable", 2024, 6, 1'000, "req-kept");

  StopServer();
  StartServer(/*seed=*/false);
  const v1::InvestmentEntry retry = Log("durable", 2024, 6, 1'000, "req-kept");

  EXPECT_EQ(retry.name(), first.name());
  const Ledger ledger = ListLedger("projects/durable");
  EXPECT_EQ(ledger.entries.size(), 1u);
  EXPECT_EQ(ledger.total_amount, first.amount());
}

TEST_F(DurabilityTest, ADatabaseStartedWithoutSeedIsNeverSeededLater) {
  // The fixture's first start had seeding off; an empty database restarted
  // with seeding on stays empty, because the decision was recorded.
  StopServer();
  StartServer(/*seed=*/true);
  v1::ListProjectsRequest request;
  v1::ListProjectsResponse response;
  ASSERT_TRUE(
      IsOk(projects().ListProjects(Context().get(), request, &response)));
  EXPECT_EQ(response.total_size(), 0);
}

TEST_F(SummaryTest, WithoutAYearTheLatestPortfolioYearIsSummarised) {
  // Today is 2024-07-15. With only a 2023 portfolio, 2023 is the year a
  // caller means; a portfolio for a future year does not count.
  v1::Portfolio targets;
  targets.set_project_count_target(5);
  SetPortfolio(2023, targets);
  SetPortfolio(2030, targets);
  v1::PortfolioSummary summary;
  ASSERT_TRUE(
      IsOk(TrySummary(0, 0, v1::SUMMARY_DIMENSION_UNSPECIFIED, &summary)));
  EXPECT_EQ(summary.year(), 2023);
  EXPECT_EQ(summary.as_of_month(), 12);
  EXPECT_EQ(summary.totals().completed_to_date(), 999'000);  // alpha, 2023

  // A 2024 record with a note and no targets is not a planned year.
  v1::Portfolio note;
  note.set_source("only a note");
  SetPortfolio(2024, note);
  ASSERT_TRUE(
      IsOk(TrySummary(0, 0, v1::SUMMARY_DIMENSION_UNSPECIFIED, &summary)));
  EXPECT_EQ(summary.year(), 2023);
}

TEST_F(PortfoliosTest, UpdateWithoutAMaskKeepsTheFieldsNotSent) {
  v1::Portfolio first;
  first.set_project_count_target(120);
  first.set_investment_target(11'000'000'000);
  SetPortfolio(2024, first);

  v1::Portfolio change;
  change.set_name("portfolios/2024");
  change.set_city_count_target(20);
  v1::Portfolio out;
  ASSERT_TRUE(IsOk(TryUpdate(change, {}, /*allow_missing=*/false, &out)));
  EXPECT_EQ(out.city_count_target(), 20);
  EXPECT_EQ(out.project_count_target(), 120);
  EXPECT_EQ(out.investment_target(), 11'000'000'000);
}

TEST_F(PortfoliosTest, AnInvestmentTargetAboveTheLimitIsRefused) {
  v1::Portfolio change;
  change.set_name("portfolios/2024");
  change.set_investment_target(std::numeric_limits<int64_t>::max());
  v1::Portfolio out;
  EXPECT_TRUE(IsFieldError(TryUpdate(change, {"investment_target"},
                                     /*allow_missing=*/true, &out),
                           grpc::StatusCode::INVALID_ARGUMENT,
                           "investment_target"));
}

}  // namespace
}  // namespace portfolio
