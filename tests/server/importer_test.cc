#include "server/importer.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "tests/server/importer_fixture.h"

namespace portfolio {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kProjectsHeader[] = "id,name,stage\n";

// ---- projects ----

TEST_F(ImporterTest, ProjectWithEveryColumn) {
  AddUsers({"alice", "bob"});
  ImportOk(ImportKind::kProjects,
           "id,name,owner,chapter,sector,park,levels,stage,total_investment,"
           "planned_start,planned_end,national_code,capacity,leads,source\n"
           "cp-001,茌平新材料项目,某集团,2,新材料,高新区,"
           "2024:provincial;2023:city,新开工,1.2亿,2024-03-01,2026-12-31,"
           "2401-371523,\"年产10万吨,一期\",bob;alice,二(三)\n",
           1, 0);
  absl::StatusOr<ProjectRecord> p = GetProject("cp-001");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->display_name, "茌平新材料项目");
  EXPECT_EQ(p->owner, "某集团");
  EXPECT_EQ(p->chapter, 2);
  EXPECT_EQ(p->sector, "新材料");
  EXPECT_EQ(p->park, "高新区");
  ASSERT_EQ(p->levels.size(), 2u);
  EXPECT_EQ(p->levels[0].year, 2023);
  EXPECT_EQ(p->levels[0].level, "city");
  EXPECT_EQ(p->levels[1].level, "provincial");
  EXPECT_EQ(p->stage, "new_start");
  EXPECT_EQ(p->total_investment, 120000000);
  EXPECT_EQ(p->planned_start, absl::CivilDay(2024, 3, 1));
  EXPECT_EQ(p->planned_end, absl::CivilDay(2026, 12, 31));
  EXPECT_EQ(p->national_code, "2401-371523");
  EXPECT_EQ(p->capacity, "年产10万吨,一期");
  EXPECT_THAT(p->leads, ElementsAre("alice", "bob"));
  EXPECT_EQ(p->source, "二(三)");
}

TEST_F(ImporterTest, ReimportUpdatesInsteadOfCreating) {
  ImportOk(ImportKind::kProjects, "id,name\ncp-001,Old One\ncp-002,Old Two\n",
           2, 0);
  ImportOk(ImportKind::kProjects, "id,name\ncp-001,New One\ncp-003,Three\n", 1,
           1);
  absl::StatusOr<ProjectRecord> p = GetProject("cp-001");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->display_name, "New One");
  EXPECT_EQ(p->version, 2);
  EXPECT_EQ(ProjectCount(), 3);
}

TEST_F(ImporterTest, ColumnsAbsentFromTheFileKeepTheirValues) {
  ImportOk(ImportKind::kProjects, "id,name,park\ncp-001,One,高新区\n", 1, 0);
  ImportOk(ImportKind::kProjects, "id,name\ncp-001,One renamed\n", 0, 1);
  absl::StatusOr<ProjectRecord> p = GetProject("cp-001");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->park, "高新区");
  EXPECT_EQ(p->display_name, "One renamed");
}

// Spaces around a value, full-width ones too (U+3000, as a Chinese input
// method types them), are not part of it: the same park as the API's. And
// full-width digits are digits.
TEST_F(ImporterTest, FullWidthSpacesAroundAValueAreTrimmed) {
  ImportOk(ImportKind::kProjects,
           "id,name,park,chapter\ncp-001,\u3000One ,\u3000高新区\u3000,３\n", 1,
           0);
  absl::StatusOr<ProjectRecord> p = GetProject("cp-001");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->park, "高新区");
  EXPECT_EQ(p->display_name, "One");
  EXPECT_EQ(p->chapter, 3);  // full-width digits are digits, as in the CLI
}

TEST_F(ImporterTest, AmountSyntaxWithCommasAndWan) {
  ImportOk(ImportKind::kProjects,
           "id,name,total_investment\ncp-001,One,\"1,234.5万\"\n", 1, 0);
  EXPECT_EQ(GetProject("cp-001").value().total_investment, 12345000);
}

TEST_F(ImporterTest, UnknownColumnNamesLineOneAndTheColumn) {
  const absl::Status s =
      Import(ImportKind::kProjects, "projects.csv", "id,name,colour\n")
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("projects.csv"), HasSubstr("line 1"),
                                 HasSubstr("column 9"), HasSubstr("colour")));
}

TEST_F(ImporterTest, MissingRequiredColumnNamed) {
  const absl::Status s =
      Import(ImportKind::kProjects, "projects.csv", "id,owner\ncp-001,x\n")
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("missing"), HasSubstr("\"name\"")));
}

TEST_F(ImporterTest, BadRowNamesFileLineAndColumnAndWritesNothing) {
  const std::string content = absl::StrCat(
      kProjectsHeader, "cp-001,Good,continuing\ncp-002,Bad,half_done\n");
  const absl::Status s =
      Import(ImportKind::kProjects, "projects.csv", content).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("projects.csv"), HasSubstr("line 3"),
                                 HasSubstr("column 12"), HasSubstr("stage"),
                                 HasSubstr("half_done")));
  EXPECT_EQ(ProjectCount(), 0);
}

TEST_F(ImporterTest, ErrorColumnCountsChineseCharacters) {
  // cp-002 (columns 1-6), comma, six characters (8-13), comma, stage at 15.
  const std::string content =
      absl::StrCat(kProjectsHeader, "cp-002,高铁新区项目,bogus\n");
  EXPECT_THAT(
      Import(ImportKind::kProjects, "p.csv", content).status().message(),
      HasSubstr("line 2, column 15"));
}

TEST_F(ImporterTest, FailedReimportLeavesEarlierDataUntouched) {
  ImportOk(ImportKind::kProjects, "id,name\ncp-001,Original\n", 1, 0);
  const std::string content =
      absl::StrCat(kProjectsHeader, "cp-001,Renamed,\ncp-002,New,bogus\n");
  EXPECT_FALSE(Import(ImportKind::kProjects, "p.csv", content).ok());
  EXPECT_EQ(GetProject("cp-001").value().display_name, "Original");
  EXPECT_EQ(ProjectCount(), 1);
}

TEST_F(ImporterTest, DuplicateIdInFileRefused) {
  const absl::Status s =
      Import(ImportKind::kProjects, "p.csv",
             "id,name\ncp-001,One\ncp-002,Two\ncp-001,Again\n")
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("line 4"), HasSubstr("line 2")));
  EXPECT_EQ(ProjectCount(), 0);
}

TEST_F(ImporterTest, BadIdRefused) {
  const absl::Status s =
      Import(ImportKind::kProjects, "p.csv", "id,name\nCP_001,One\n").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("line 2"), HasSubstr("(id)")));
}

TEST_F(ImporterTest, InexactAmountRefusedNamingTheColumn) {
  const absl::Status s =
      Import(ImportKind::kProjects, "p.csv",
             "id,name,total_investment\ncp-001,One,1.23456万\n")
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("total_investment"));
}

TEST_F(ImporterTest, MalformedCsvRefusedWithFileName) {
  const absl::Status s =
      Import(ImportKind::kProjects, "p.csv", "id,name\ncp-001,\"open\n")
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("p.csv"), HasSubstr("line 2")));
}

TEST_F(ImporterTest, EmptyFileRefused) {
  EXPECT_EQ(Import(ImportKind::kProjects, "p.csv", "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ImporterTest, FileOverTheSizeLimitRefused) {
  const std::string content =
      absl::StrCat("id,name\n", std::string(kMaxImportBytes, 'x'));
  EXPECT_EQ(Import(ImportKind::kProjects, "p.csv", content).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// ---- plans ----

class PlanImportTest : public ImporterTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ImporterTest::SetUp());
    ImportOk(ImportKind::kProjects, "id,name\ncp-001,One\n", 1, 0);
  }
};

std::string MonthlyHeader() {
  std::string header = "project_id,year,amount";
  for (int m = 1; m <= 12; ++m) {
    absl::StrAppend(&header, ",m", m < 10 ? "0" : "", m);
  }
  return header + "\n";
}

TEST_F(PlanImportTest, WithoutMonthlyColumnsSplitsEvenly) {
  ImportOk(ImportKind::kPlans, "project_id,year,amount\ncp-001,2024,1200万\n",
           1, 0);
  absl::StatusOr<PlanRecord> plan = GetPlan("cp-001", 2024);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->amount, 12000000);
  EXPECT_EQ(plan->monthly, std::vector<int64_t>(12, 1000000));
  EXPECT_EQ(plan->updated_by, "importer");
}

TEST_F(PlanImportTest, MonthlyColumnsKeptAsGiven) {
  ImportOk(ImportKind::kPlans,
           MonthlyHeader() +
               "cp-001,2024,600万,0,0,0,0,0,100万,100万,100万,"
               "100万,100万,100万,0\n",
           1, 0);
  absl::StatusOr<PlanRecord> plan = GetPlan("cp-001", 2024);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(plan->monthly,
              ElementsAre(0, 0, 0, 0, 0, 1000000, 1000000, 1000000, 1000000,
                          1000000, 1000000, 0));
}

// An amount alone over a plan phased by month would move plan into months
// gone by: refused, and the twelve months asked for.
TEST_F(PlanImportTest, AnAmountAloneDoesNotFlattenAPlansOwnSplit) {
  ImportOk(ImportKind::kPlans,
           MonthlyHeader() +
               "cp-001,2024,600万,0,0,0,0,0,100万,100万,100万,"
               "100万,100万,100万,0\n",
           1, 0);
  const absl::Status s =
      Import(ImportKind::kPlans, "plans.csv",
             "project_id,year,amount,reason\ncp-001,2024,1200万,追加投资\n")
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(
      std::string(s.message()),
      AllOf(HasSubstr("plans.csv line 2"), HasSubstr("(amount)"),
            HasSubstr("has its own monthly split"), HasSubstr("m01..m12")));
  EXPECT_EQ(GetPlan("cp-001", 2024).value().amount, 6000000);

  // The twelve months given, even ones included, are what the file means.
  ImportOk(ImportKind::kPlans,
           "project_id,year,amount,reason," + MonthlyHeader().substr(23) +
               "cp-001,2024,1200,均摊,100,100,100,100,100,100,100,100,100,100,"
               "100,100\n",
           0, 1);
  EXPECT_EQ(GetPlan("cp-001", 2024).value().monthly,
            std::vector<int64_t>(12, 100));
}

TEST_F(PlanImportTest, MonthlyNotSummingRefusedAndNothingWritten) {
  const absl::Status s =
      Import(ImportKind::kPlans, "plans.csv",
             MonthlyHeader() +
                 "cp-001,2024,1200,100,100,100,100,100,100,100,"
                 "100,100,100,100,99\n")
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("plans.csv"), HasSubstr("line 2"),
                                 HasSubstr("off by")));
  EXPECT_EQ(GetPlan("cp-001", 2024).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PlanImportTest, PlanForUnknownProjectIsNotFound) {
  const absl::Status s =
      Import(ImportKind::kPlans, "plans.csv",
             "project_id,year,amount\ncp-001,2024,100\ncp-404,2024,100\n")
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("line 3"), HasSubstr("cp-404")));
  EXPECT_EQ(GetPlan("cp-001", 2024).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PlanImportTest, ReimportWithAReasonMakesARevision) {
  ImportOk(ImportKind::kPlans, "project_id,year,amount\ncp-001,2024,1200\n", 1,
           0);
  ImportOk(ImportKind::kPlans,
           "project_id,year,amount,reason\ncp-001,2024,2400,年中调整\n", 0, 1);
  absl::StatusOr<PlanRecord> plan = GetPlan("cp-001", 2024);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->amount, 2400);
  EXPECT_EQ(plan->version, 2);
  EXPECT_EQ(plan->revision, 2);
  EXPECT_EQ(plan->revision_reason, "年中调整");
  EXPECT_EQ(plan->baseline_amount, 1200);
}

TEST_F(PlanImportTest, ReimportOfOtherFiguresWithoutAReasonIsRefused) {
  ImportOk(ImportKind::kPlans, "project_id,year,amount\ncp-001,2024,1200\n", 1,
           0);
  const absl::Status s = Import(ImportKind::kPlans, "plans.csv",
                                "project_id,year,amount\ncp-001,2024,2400\n")
                             .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      std::string(s.message()),
      AllOf(HasSubstr(
                "plans.csv line 2, a column the file does not have (reason)"),
            HasSubstr("is required"), HasSubstr("revision 1")));
  EXPECT_EQ(GetPlan("cp-001", 2024).value().amount, 1200);
}

TEST_F(PlanImportTest, IdenticalFiguresChangeNothing) {
  const std::string file = "project_id,year,amount\ncp-001,2024,1200\n";
  ImportOk(ImportKind::kPlans, file, 1, 0);
  ImportOk(ImportKind::kPlans, file, 0, 0);
  absl::StatusOr<PlanRecord> plan = GetPlan("cp-001", 2024);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->version, 1);
  EXPECT_EQ(plan->revision, 1);
}

TEST_F(PlanImportTest, RowsOfOneYearApplyInOrderAsBaselineAndRevisions) {
  ImportOk(ImportKind::kPlans,
           "project_id,year,amount,reason\n"
           "cp-001,2024,1200,\n"
           "cp-001,2024,1200,no change\n"
           "cp-001,2024,2400,追加投资\n"
           "cp-001,2024,3600,再次调整\n",
           1, 2);
  absl::StatusOr<std::vector<PlanRecord>> revisions = ReadBack(
      [](StoreReader& r) { return r.ListPlanRevisions("cp-001", 2024); });
  ASSERT_TRUE(revisions.ok()) << revisions.status();
  ASSERT_EQ(revisions->size(), 3u);
  EXPECT_EQ((*revisions)[0].amount, 1200);
  EXPECT_EQ((*revisions)[0].revision_reason, "");
  EXPECT_EQ((*revisions)[1].amount, 2400);
  EXPECT_EQ((*revisions)[1].revision_reason, "追加投资");
  EXPECT_EQ((*revisions)[2].amount, 3600);
  EXPECT_EQ((*revisions)[2].revision_reason, "再次调整");
}

TEST_F(PlanImportTest, ASecondRowWithoutAReasonIsRefusedAndNothingWritten) {
  const absl::Status s =
      Import(ImportKind::kPlans, "plans.csv",
             "project_id,year,amount\ncp-001,2024,1\ncp-001,2024,2\n")
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              AllOf(HasSubstr("line 3"), HasSubstr("(reason)")));
  EXPECT_EQ(GetPlan("cp-001", 2024).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PlanImportTest, AReasonOnABaselineIsRefused) {
  const absl::Status s =
      Import(ImportKind::kPlans, "plans.csv",
             "project_id,year,amount,reason\ncp-001,2024,1200,调整\n")
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      std::string(s.message()),
      AllOf(HasSubstr("line 2, column 18 (reason)"), HasSubstr("baseline")));
  EXPECT_EQ(GetPlan("cp-001", 2024).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PlanImportTest, ZeroAmountRefused) {
  const absl::Status s = Import(ImportKind::kPlans, "plans.csv",
                                "project_id,year,amount\ncp-001,2024,0\n")
                             .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("(amount)"));
}

// ---- indicators ----

constexpr char kIndicatorsHeader[] =
    "id,name,year,unit,chapter,kind,comparator,target,actual,source\n";
constexpr char kGdpRows[] =
    "gdp-growth,地区生产总值增速,2023,%,1,growth_rate,,,4.6,2023年公报\n"
    "gdp-growth,地区生产总值增速,2024,%,1,增速,at_least,5.5,,2024年报告\n";

TEST_F(ImporterTest, IndicatorTargetAndActualRowsOfTwoYears) {
  ImportOk(ImportKind::kIndicators, absl::StrCat(kIndicatorsHeader, kGdpRows),
           1, 0);
  absl::StatusOr<IndicatorRecord> i = GetIndicator("gdp-growth");
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->display_name, "地区生产总值增速");
  EXPECT_EQ(i->unit, "%");
  EXPECT_EQ(i->chapter, 1);
  EXPECT_EQ(i->kind, "growth_rate");
  ASSERT_EQ(i->targets.size(), 1u);
  EXPECT_EQ(i->targets[0].year, 2024);
  EXPECT_EQ(i->targets[0].comparator, "at_least");
  EXPECT_EQ(i->targets[0].value, "5.5");
  ASSERT_EQ(i->values.size(), 1u);
  EXPECT_EQ(i->values[0].year, 2023);
  EXPECT_EQ(i->values[0].month, 0);
  EXPECT_EQ(i->values[0].value, "4.6");
  EXPECT_EQ(i->values[0].source, "2023年公报");
}

TEST_F(ImporterTest, IndicatorReimportDoesNotDuplicateValues) {
  const std::string content = absl::StrCat(kIndicatorsHeader, kGdpRows);
  ImportOk(ImportKind::kIndicators, content, 1, 0);
  ImportOk(ImportKind::kIndicators, content, 0, 1);
  absl::StatusOr<IndicatorRecord> i = GetIndicator("gdp-growth");
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->values.size(), 1u);
  EXPECT_EQ(i->targets.size(), 1u);
}

TEST_F(ImporterTest, IndicatorNewActualIsAppended) {
  ImportOk(ImportKind::kIndicators, absl::StrCat(kIndicatorsHeader, kGdpRows),
           1, 0);
  ImportOk(ImportKind::kIndicators,
           absl::StrCat(kIndicatorsHeader,
                        "gdp-growth,地区生产总值增速,2024,%,1,,,,5.2,快报\n"),
           0, 1);
  absl::StatusOr<IndicatorRecord> i = GetIndicator("gdp-growth");
  ASSERT_TRUE(i.ok()) << i.status();
  ASSERT_EQ(i->values.size(), 2u);
  EXPECT_EQ(i->values[1].value, "5.2");
  EXPECT_EQ(i->targets.size(), 1u);  // the 2024 target is kept
}

TEST_F(ImporterTest, IndicatorBelowZeroRefusedUnlessAGrowthRate) {
  ImportOk(ImportKind::kIndicators,
           absl::StrCat(kIndicatorsHeader,
                        "exports,出口增长,2023,%,1,growth_rate,,,-3.5,公报\n"),
           1, 0);
  const absl::Status actual =
      Import(ImportKind::kIndicators, "indicators.csv",
             absl::StrCat(kIndicatorsHeader,
                          "firms,新增市场主体,2023,户,1,count,,,-12,公报\n"))
          .status();
  EXPECT_EQ(actual.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(actual.message(), HasSubstr("line 2, column"));
  EXPECT_THAT(actual.message(), HasSubstr("(actual): -12 is below zero"));
  const absl::Status target =
      Import(ImportKind::kIndicators, "indicators.csv",
             absl::StrCat(kIndicatorsHeader,
                          "area,新增面积,2024,亩,1,physical_quantity,at_least,"
                          "-1,,报告\n"))
          .status();
  EXPECT_EQ(target.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(target.message(), HasSubstr("(target): -1 is below zero"));
  EXPECT_FALSE(GetIndicator("firms").ok());
  EXPECT_FALSE(GetIndicator("area").ok());
}

TEST_F(ImporterTest, IndicatorRowWithoutTargetOrActualRefused) {
  const absl::Status s =
      Import(ImportKind::kIndicators, "indicators.csv",
             absl::StrCat(kIndicatorsHeader, "gdp,GDP,2024,,,,,,,\n"))
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("line 2"));
}

TEST_F(ImporterTest, IndicatorTargetWithoutComparatorRefused) {
  const absl::Status s =
      Import(ImportKind::kIndicators, "indicators.csv",
             absl::StrCat(kIndicatorsHeader, "gdp,GDP,2024,,,,,6,,\n"))
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("comparator"));
}

TEST_F(ImporterTest, IndicatorTargetThatIsNotADecimalRefused) {
  const absl::Status s =
      Import(ImportKind::kIndicators, "indicators.csv",
             absl::StrCat(kIndicatorsHeader, "gdp,GDP,2024,,,,about,六,,\n"))
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("(target)"));
}

// ---- portfolios ----

constexpr char kPortfolioHeader[] =
    "year,project_count_target,investment_target,city_count_target,"
    "fixed_asset_investment_actual,source\n";

TEST_F(ImporterTest, PortfolioAmountsInWanAndYi) {
  ImportOk(ImportKind::kPortfolios,
           absl::StrCat(kPortfolioHeader,
                        "2024,120,150亿,,\"1,234.5万\",政府工作报告\n"),
           1, 0);
  absl::StatusOr<PortfolioRecord> p = GetPortfolio(2024);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->project_count_target, 120);
  EXPECT_EQ(p->investment_target, 15000000000);
  EXPECT_EQ(p->city_count_target, std::nullopt);
  EXPECT_EQ(p->fixed_asset_investment_actual, 12345000);
  EXPECT_EQ(p->provincial_count_target, std::nullopt);  // column absent
  EXPECT_EQ(p->source, "政府工作报告");
}

TEST_F(ImporterTest, PortfolioReimportUpdates) {
  const std::string content =
      absl::StrCat(kPortfolioHeader, "2024,120,150亿,,,\n");
  ImportOk(ImportKind::kPortfolios, content, 1, 0);
  ImportOk(ImportKind::kPortfolios, content, 0, 1);
}

TEST_F(ImporterTest, PortfolioColumnsAbsentFromTheFileAreKept) {
  ImportOk(ImportKind::kPortfolios,
           "year,project_count_target,investment_target,source\n"
           "2024,120,110亿,报告\n",
           1, 0);
  // A later file with only the city target leaves the others alone; an
  // empty cell in a present column clears that figure.
  ImportOk(ImportKind::kPortfolios, "year,city_count_target,source\n2024,20,\n",
           0, 1);
  absl::StatusOr<PortfolioRecord> p = GetPortfolio(2024);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->project_count_target, 120);
  EXPECT_EQ(p->investment_target, 11'000'000'000);
  EXPECT_EQ(p->city_count_target, 20);
  EXPECT_EQ(p->source, "");
}

TEST_F(ImporterTest, PortfolioCountBeyondInt32IsRefused) {
  absl::StatusOr<ImportCounts> counts =
      Import(ImportKind::kPortfolios, "portfolio.csv",
             "year,project_count_target\n2024,3000000000\n");
  EXPECT_FALSE(counts.ok());
  EXPECT_THAT(std::string(counts.status().message()),
              HasSubstr("line 2, column 6 (project_count_target)"));
}

TEST_F(ImporterTest, PlanWithSomeButNotAllMonthsIsRefused) {
  ImportOk(ImportKind::kProjects, "id,name\nplan-a,计划项目\n", 1, 0);
  absl::StatusOr<ImportCounts> counts =
      Import(ImportKind::kPlans, "plans.csv",
             "project_id,year,amount,m01,m02\nplan-a,2024,1200,600,600\n");
  EXPECT_FALSE(counts.ok());
  EXPECT_THAT(std::string(counts.status().message()),
              HasSubstr("all twelve months"));
}

TEST_F(ImporterTest, PortfolioCountMustBeAWholeNumber) {
  const absl::Status s =
      Import(ImportKind::kPortfolios, "portfolio.csv",
             absl::StrCat(kPortfolioHeader, "2024,12.5,,,,\n"))
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("(project_count_target)"));
}

}  // namespace
}  // namespace portfolio

namespace portfolio {
namespace {

// Found by csv_import_fuzzer: a name starting with NUL passed the "is
// required" check but failed the database's CHECK (length() stops at NUL),
// surfacing as a SQL error instead of a clear refusal.
TEST_F(ImporterTest, ANameHoldingANulIsRefusedClearly) {
  const std::string content = std::string("id,name\nnul-name,") + '\0' + "\n";
  absl::StatusOr<ImportCounts> counts =
      Import(ImportKind::kProjects, "projects.csv", content);
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(counts.status().message()),
              HasSubstr("projects.csv line 2, column 10 (name)"));
  EXPECT_THAT(std::string(counts.status().message()), HasSubstr("NUL"));
  EXPECT_FALSE(GetProject("nul-name").ok());
}

}  // namespace
}  // namespace portfolio

namespace portfolio {
namespace {

TEST_F(ImporterTest, ALeadWhoIsNotAUserIsRefused) {
  AddUsers({"alice"});
  absl::StatusOr<ImportCounts> counts =
      Import(ImportKind::kProjects, "projects.csv",
             "id,name,leads\ncp-001,项目,alice;nobody\n");
  ASSERT_FALSE(counts.ok());
  EXPECT_THAT(std::string(counts.status().message()),
              HasSubstr("projects.csv line 2, column 11 (leads): no user "
                        "\"nobody\""));
  EXPECT_FALSE(GetProject("cp-001").ok());
}

TEST_F(ImporterTest, APlannedEndBeforeTheStartIsRefused) {
  absl::StatusOr<ImportCounts> counts =
      Import(ImportKind::kProjects, "projects.csv",
             "id,name,planned_start,planned_end\n"
             "cp-001,项目,2024-05-01,2024-03-01\n");
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(counts.status().message()),
              HasSubstr("projects.csv line 2"));
  EXPECT_THAT(std::string(counts.status().message()),
              HasSubstr("(planned_end): the planned end 2024-03-01 is before "
                        "the planned start 2024-05-01"));
  EXPECT_FALSE(GetProject("cp-001").ok());
}

}  // namespace
}  // namespace portfolio
