// ImportCsv for users, milestones, ledger entries, problems and periods
// (the kinds an export writes beyond the report's own files).
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/amount.h"
#include "common/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/importer.h"
#include "storage/store.h"
#include "tests/server/importer_fixture.h"
#include "tests/support/test_store.h"

namespace portfolio {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// Two projects to hang milestones, entries and problems on.
class ProgressImportTest : public ImporterTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ImporterTest::SetUp());
    ImportOk(ImportKind::kProjects, "id,name\ncp-001,One\ncp-002,Two\n", 2, 0);
  }

  absl::Status ImportError(ImportKind kind, const std::string& file,
                           const std::string& content) {
    return Import(kind, file, content).status();
  }

  std::vector<EntryRecord> Ledger() {
    absl::StatusOr<EntryPage> page = ReadBack([](StoreReader& r) {
      EntryQuery q;
      q.limit = 1000;
      return r.ListEntries(q);
    });
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->entries : std::vector<EntryRecord>();
  }

  absl::StatusOr<UserRecord> User(const std::string& id) {
    return ReadBack([&](StoreReader& r) { return r.GetUser(id); });
  }
  absl::StatusOr<MilestoneRecord> Milestone(const std::string& project,
                                            const std::string& id) {
    return ReadBack(
        [&](StoreReader& r) { return r.GetMilestone(project, id); });
  }
  absl::StatusOr<ProblemRecord> Problem(const std::string& project,
                                        const std::string& id) {
    return ReadBack([&](StoreReader& r) { return r.GetProblem(project, id); });
  }
  absl::StatusOr<PeriodRecord> Period(int year, int month) {
    return ReadBack([&](StoreReader& r) {
      return r.GetPeriod(absl::CivilMonth(year, month));
    });
  }
};

// ---- users ----

constexpr char kUsersHeader[] = "id,display_name,role,disabled\n";

TEST_F(ProgressImportTest, UsersAreCreatedThenUpdatedByIdWithoutTokens) {
  ImportOk(ImportKind::kUsers,
           absl::StrCat(kUsersHeader,
                        "li,李明,lead,false\nzhao,赵调度,manager,\n"
                        "old-bot,,service,true\n"),
           3, 0);
  absl::StatusOr<UserRecord> li = User("li");
  ASSERT_TRUE(li.ok()) << li.status();
  EXPECT_EQ(li->display_name, "李明");
  EXPECT_EQ(li->role, "lead");
  EXPECT_FALSE(li->disabled);
  EXPECT_FALSE(User("zhao").value().disabled);
  EXPECT_TRUE(User("old-bot").value().disabled);
  absl::StatusOr<std::vector<TokenRecord>> tokens = ReadBack(
      [](StoreReader& r) { return r.ListTokens(std::nullopt, 0, 100); });
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  EXPECT_TRUE(tokens->empty());

  ImportOk(ImportKind::kUsers, "id,role,disabled\nli,manager,true\n", 0, 1);
  li = User("li");
  EXPECT_EQ(li->role, "manager");
  EXPECT_TRUE(li->disabled);
  EXPECT_EQ(li->display_name, "李明");  // no column: kept
}

TEST_F(ProgressImportTest, ABadRoleOrFlagNamesTheCellAndWritesNothing) {
  absl::Status s = ImportError(
      ImportKind::kUsers, "users.csv",
      absl::StrCat(kUsersHeader, "li,李明,lead,false\nwu,吴,boss,false\n"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      std::string(s.message()),
      AllOf(HasSubstr("users.csv line 3, column 6 (role)"), HasSubstr("boss")));
  EXPECT_EQ(User("li").status().code(), absl::StatusCode::kNotFound);

  s = ImportError(ImportKind::kUsers, "users.csv",
                  absl::StrCat(kUsersHeader, "li,李明,lead,yes\n"));
  EXPECT_THAT(std::string(s.message()),
              AllOf(HasSubstr("line 2, column 12 (disabled)"),
                    HasSubstr("true or false")));
  s = ImportError(ImportKind::kUsers, "users.csv",
                  absl::StrCat(kUsersHeader, "Li Ming,李明,lead,\n"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("line 2, column 1 (id)"));
  s = ImportError(ImportKind::kUsers, "users.csv",
                  absl::StrCat(kUsersHeader, "li,李明,,\n"));
  EXPECT_THAT(std::string(s.message()),
              AllOf(HasSubstr("(role)"), HasSubstr("required")));
}

TEST_F(ProgressImportTest, AUserTwiceInAFileIsRefused) {
  const absl::Status s =
      ImportError(ImportKind::kUsers, "users.csv",
                  absl::StrCat(kUsersHeader,
                               "li,李明,lead,\nwu,吴,lead,\nli,又,viewer,\n"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              AllOf(HasSubstr("line 4"), HasSubstr("line 2")));
  EXPECT_EQ(User("wu").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ProgressImportTest, TheImporterCannotDisableOrDemoteThemselves) {
  // The fixture imports as "importer".
  ImportOk(ImportKind::kUsers, "id,role\nimporter,admin\n", 1, 0);
  for (const char* row :
       {"importer,admin,true\n", "importer,manager,false\n"}) {
    const absl::Status s = ImportError(ImportKind::kUsers, "users.csv",
                                       absl::StrCat("id,role,disabled\n", row));
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << row;
    EXPECT_THAT(std::string(s.message()), HasSubstr("line 2, column 1 (id)"));
  }
  EXPECT_EQ(User("importer").value().role, "admin");
  EXPECT_FALSE(User("importer").value().disabled);
}

// ---- milestones ----

constexpr char kMilestonesHeader[] =
    "project_id,id,kind,display_name,planned_date,forecast_date,actual_date\n";

TEST_F(ProgressImportTest, MilestonesKeepServerFormIdsAndUpsert) {
  ImportOk(ImportKind::kMilestones,
           absl::StrCat(kMilestonesHeader,
                        "cp-001,m1,开工,,2024-03-01,,2024-03-05\n"
                        "cp-001,m7,completion,主体竣工,2024-12-31,2025-01-31,\n"
                        "cp-002,m1,in_operation,,,,\n"),
           3, 0);
  absl::StatusOr<MilestoneRecord> m1 = Milestone("cp-001", "m1");
  ASSERT_TRUE(m1.ok()) << m1.status();
  EXPECT_EQ(m1->kind, "start");
  EXPECT_EQ(m1->display_name, "开工");  // blank: the kind's name
  EXPECT_EQ(m1->planned_date, absl::CivilDay(2024, 3, 1));
  EXPECT_EQ(m1->actual_date, absl::CivilDay(2024, 3, 5));
  EXPECT_EQ(Milestone("cp-001", "m7").value().forecast_date,
            absl::CivilDay(2025, 1, 31));
  // Ids the server assigns later continue after the imported ones.
  std::string next;
  ASSERT_TRUE(store_
                  ->Write([&](StoreWriter& w) -> absl::Status {
                    absl::StatusOr<std::string> id =
                        w.NextMilestoneId("cp-001");
                    if (!id.ok()) return id.status();
                    next = *id;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(next, "m8");

  // A file with fewer columns updates only those.
  ImportOk(ImportKind::kMilestones,
           "project_id,id,kind,actual_date\ncp-001,m7,completion,2024-07-01\n",
           0, 1);
  m1 = Milestone("cp-001", "m7");
  EXPECT_EQ(m1->actual_date, absl::CivilDay(2024, 7, 1));
  EXPECT_EQ(m1->display_name, "主体竣工");
  EXPECT_EQ(m1->planned_date, absl::CivilDay(2024, 12, 31));
}

TEST_F(ProgressImportTest, MilestoneErrorsNameTheCell) {
  struct Case {
    std::string row;
    absl::StatusCode code;
    std::string where;
  } cases[] = {
      {"cp-404,m1,start,,,,\n", absl::StatusCode::kNotFound,
       "line 2, column 1 (project_id)"},
      {"cp-001,M_1,start,,,,\n", absl::StatusCode::kInvalidArgument,
       "line 2, column 8 (id)"},
      {"cp-001,m1,groundbreaking,,,,\n", absl::StatusCode::kInvalidArgument,
       "line 2, column 11 (kind)"},
      {"cp-001,m1,start,,2024-02-30,,\n", absl::StatusCode::kInvalidArgument,
       "line 2, column 18 (planned_date)"},
      // The fixture's today is 2024-07-15.
      {"cp-001,m1,start,,,,2024-07-16\n", absl::StatusCode::kInvalidArgument,
       "(actual_date): 2024-07-16 is in the future"},
  };
  for (const Case& c : cases) {
    const absl::Status s =
        ImportError(ImportKind::kMilestones, "milestones.csv",
                    absl::StrCat(kMilestonesHeader, c.row));
    EXPECT_EQ(s.code(), c.code) << c.row << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.where)) << c.row;
  }
  EXPECT_EQ(Milestone("cp-001", "m1").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ProgressImportTest, AMilestoneTwiceIsRefusedAndNothingWritten) {
  const absl::Status s =
      ImportError(ImportKind::kMilestones, "milestones.csv",
                  absl::StrCat(kMilestonesHeader,
                               "cp-001,m1,start,,,,\ncp-002,m1,start,,,,\n"
                               "cp-001,m1,completion,,,,\n"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              AllOf(HasSubstr("line 4"), HasSubstr("\"cp-001/m1\""),
                    HasSubstr("line 2")));
  EXPECT_EQ(Milestone("cp-002", "m1").status().code(),
            absl::StatusCode::kNotFound);
}

// ---- investments ----

constexpr char kLedgerHeader[] =
    "entry,project_id,period,amount,note,corrects,reason\n";

// An entry past the ledger's size is named by its row, as every other
// refusal of an import is, and the import writes nothing.
TEST_F(ProgressImportTest, AnEntryPastTheLedgersSizeNamesItsRow) {
  ASSERT_EQ(
      testing::RunSql(dir_.File("portfolio.db"),
                      absl::StrCat("UPDATE ledger_extent SET magnitude = ",
                                   kMaxLedgerMagnitude - 150)),
      "");
  const absl::Status s =
      ImportError(ImportKind::kInvestments, "investments.csv",
                  absl::StrCat(kLedgerHeader, "1,cp-001,2024-01,100,,,\n",
                               "2,cp-002,2024-01,100,,,\n"));
  // As every row an import refuses: the content is the argument at fault.
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("investments.csv line 3"));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("(amount): the ledger would hold more than"));
  EXPECT_TRUE(Ledger().empty());
}

TEST_F(ProgressImportTest, EntriesAppendInOrderAndCorrectionsFollowTheirEntry) {
  // A ledger already holding entries: the file's numbers are not ids here.
  ImportOk(ImportKind::kInvestments,
           absl::StrCat(kLedgerHeader, "1,cp-002,2024-01,100,,,\n"), 1, 0);
  ImportOk(ImportKind::kInvestments,
           absl::StrCat(kLedgerHeader,
                        "7,cp-001,2024-03,3000万,三月,,\n"
                        "9,cp-002,2024-04,\"1,000\",,,\n"
                        "12,cp-001,,-500万,,7,多报\n"
                        "13,cp-002,2024-04,200,,9,漏报\n"),
           4, 0);
  const std::vector<EntryRecord> ledger = Ledger();
  ASSERT_EQ(ledger.size(), 5u);
  const EntryRecord& march = ledger[1];
  EXPECT_EQ(march.project_id, "cp-001");
  EXPECT_EQ(march.period, absl::CivilMonth(2024, 3));
  EXPECT_EQ(march.amount, 30000000);
  EXPECT_EQ(march.note, "三月");
  EXPECT_EQ(march.reported_by, "importer");
  EXPECT_EQ(march.report_time, clock_.Now());
  EXPECT_FALSE(march.corrects.has_value());
  const EntryRecord& fix = ledger[3];
  EXPECT_EQ(fix.amount, -5000000);
  EXPECT_EQ(fix.corrects, march.id);  // the new id, not the file's 7
  EXPECT_EQ(fix.period, absl::CivilMonth(2024, 3));
  EXPECT_EQ(fix.reason, "多报");
  EXPECT_EQ(ledger[4].corrects, ledger[2].id);
  EXPECT_EQ(ledger[4].amount, 200);
}

TEST_F(ProgressImportTest, EntriesImportWithTheImportsRequestId) {
  absl::StatusOr<ImportCounts> counts = absl::UnknownError("not run");
  ASSERT_TRUE(store_
                  ->Write([&](StoreWriter& w) {
                    counts = ImportCsv(
                        w, ImportKind::kInvestments, "investments.csv",
                        "project_id,period,amount\ncp-001,2024-03,100\n",
                        "importer", clock_.Now(), "import-42");
                    return counts.status();
                  })
                  .ok());
  ASSERT_EQ(Ledger().size(), 1u);
  EXPECT_EQ(Ledger()[0].request_id, "import-42");
}

TEST_F(ProgressImportTest, LedgerErrorsNameTheCellAndWriteNothing) {
  struct Case {
    std::string rows;
    absl::StatusCode code;
    std::string where;
  } cases[] = {
      {"1,cp-404,2024-03,100,,,\n", absl::StatusCode::kNotFound,
       "line 2, column 3 (project_id)"},
      {"1,cp-001,2024-13,100,,,\n", absl::StatusCode::kInvalidArgument,
       "line 2, column 10 (period)"},
      {"1,cp-001,2024-08,100,,,\n", absl::StatusCode::kInvalidArgument,
       "(period): 2024-08 is in the future"},
      {"1,cp-001,2024-03,0,,,\n", absl::StatusCode::kInvalidArgument,
       "line 2, column 18 (amount): must be greater than zero"},
      {"1,cp-001,2024-03,-5,,,\n", absl::StatusCode::kInvalidArgument,
       "(amount): must not be negative"},
      {"1,cp-001,2024-03,1.5,,,\n", absl::StatusCode::kInvalidArgument,
       "(amount)"},
      {"1,cp-001,2024-03,100,,,why\n", absl::StatusCode::kInvalidArgument,
       "(reason): only a correction"},
      {"x,cp-001,2024-03,100,,,\n", absl::StatusCode::kInvalidArgument,
       "line 2, column 1 (entry)"},
      {"1,cp-001,2024-03,100,,,\n1,cp-001,2024-04,100,,,\n",
       absl::StatusCode::kInvalidArgument,
       "line 3, column 1 (entry): \"1\" already appears on line 2"},
      // A correction of an entry not earlier in the file.
      {"1,cp-001,2024-03,100,,2,typo\n2,cp-001,2024-03,100,,,\n",
       absl::StatusCode::kInvalidArgument,
       "line 2, column 23 (corrects): no earlier row"},
      {"1,cp-001,2024-03,100,,,\n2,cp-001,,-10,,1,\n",
       absl::StatusCode::kInvalidArgument, "line 3, column 18 (reason)"},
      {"1,cp-001,2024-03,100,,,\n2,cp-001,,0,,1,why\n",
       absl::StatusCode::kInvalidArgument, "line 3, column 11 (amount)"},
      {"1,cp-001,2024-03,100,,,\n2,cp-002,,-10,,1,why\n",
       absl::StatusCode::kInvalidArgument, "line 3, column 3 (project_id)"},
      {"1,cp-001,2024-03,100,,,\n2,cp-001,2024-04,-10,,1,why\n",
       absl::StatusCode::kInvalidArgument,
       "line 3, column 10 (period): a correction is dated"},
      {"1,cp-001,2024-03,100,,,\n2,cp-001,,-10,,1,why\n3,cp-001,,5,,2,why\n",
       absl::StatusCode::kFailedPrecondition,
       "line 4, column 14 (corrects): the entry on line 3 is itself"},
      {"1,cp-001,2024-03,100,,,\n2,cp-001,,-101,,1,why\n",
       absl::StatusCode::kFailedPrecondition,
       "line 3, column 11 (amount): a change of -101 would take the entry "
       "below zero"},
  };
  for (const Case& c : cases) {
    const absl::Status s =
        ImportError(ImportKind::kInvestments, "investments.csv",
                    absl::StrCat(kLedgerHeader, c.rows));
    EXPECT_EQ(s.code(), c.code) << c.rows << s;
    EXPECT_THAT(std::string(s.message()),
                AllOf(HasSubstr("investments.csv"), HasSubstr(c.where)))
        << c.rows;
  }
  EXPECT_TRUE(Ledger().empty());
}

TEST_F(ProgressImportTest, AnEntryInAClosedMonthIsRefusedNamingIt) {
  ImportOk(ImportKind::kPeriods, "period,closed\n2024-03,true\n", 1, 0);
  const absl::Status s = ImportError(
      ImportKind::kInvestments, "investments.csv",
      absl::StrCat(kLedgerHeader,
                   "1,cp-001,2024-04,100,,,\n2,cp-001,2024-03,100,,,\n"));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()),
              AllOf(HasSubstr("line 3, column 10 (period)"),
                    HasSubstr("2024-03 is closed for reporting")));
  EXPECT_TRUE(Ledger().empty());
}

TEST_F(ProgressImportTest, AFileWithoutEntryNumbersAppendsPlainReports) {
  ImportOk(ImportKind::kInvestments,
           "project_id,period,amount\ncp-001,2024-05,1亿\ncp-001,2024-06,2亿\n",
           2, 0);
  ASSERT_EQ(Ledger().size(), 2u);
  EXPECT_EQ(Ledger()[1].amount, 200000000);
}

// ---- problems ----

constexpr char kProblemsHeader[] =
    "project_id,id,category,description,responsible_unit,deadline,escalation,"
    "state,resolution\n";

TEST_F(ProgressImportTest, ProblemsAreOpenedAssignedAndResolvedByTheImporter) {
  ImportOk(ImportKind::kProblems,
           absl::StrCat(kProblemsHeader,
                        "cp-001,q1,land,用地指标不足,,2024-09-30,,,\n"
                        "cp-001,q2,电力,专线未通,供电公司,,city,assigned,\n"
                        "cp-002,q1,funding,资金缺口,财政局,,province,resolved,"
                        "专项债解决\n"),
           3, 0);
  absl::StatusOr<ProblemRecord> q1 = Problem("cp-001", "q1");
  ASSERT_TRUE(q1.ok()) << q1.status();
  EXPECT_EQ(q1->state, "open");
  EXPECT_EQ(q1->escalation, "district");
  EXPECT_EQ(q1->deadline, absl::CivilDay(2024, 9, 30));
  EXPECT_EQ(q1->opened_by, "importer");
  EXPECT_EQ(q1->create_time, clock_.Now());
  const ProblemRecord q2 = Problem("cp-001", "q2").value();
  EXPECT_EQ(q2.category, "power");
  EXPECT_EQ(q2.state, "assigned");
  EXPECT_EQ(q2.assigned_by, "importer");
  const ProblemRecord resolved = Problem("cp-002", "q1").value();
  EXPECT_EQ(resolved.state, "resolved");
  EXPECT_EQ(resolved.resolution, "专项债解决");
  EXPECT_EQ(resolved.resolved_by, "importer");
  EXPECT_EQ(resolved.resolve_time, clock_.Now());

  // Upsert: the open problem is assigned, with a new deadline.
  ImportOk(ImportKind::kProblems,
           absl::StrCat(kProblemsHeader,
                        "cp-001,q1,land,用地指标不足,自然资源局,2024-10-31,,"
                        "assigned,\n"),
           0, 1);
  q1 = Problem("cp-001", "q1");
  EXPECT_EQ(q1->state, "assigned");
  EXPECT_EQ(q1->responsible_unit, "自然资源局");
  EXPECT_EQ(q1->deadline, absl::CivilDay(2024, 10, 31));
}

TEST_F(ProgressImportTest, ProblemsKeepTheDaysTheyWereOpenedAndResolved) {
  constexpr char kDated[] =
      "project_id,id,category,description,responsible_unit,deadline,"
      "escalation,state,resolution,opened_on,resolved_on\n";
  ImportOk(ImportKind::kProblems,
           absl::StrCat(kDated,
                        "cp-001,q1,land,用地,,,,,,2024-03-05,\n"
                        "cp-001,q2,power,电力,供电公司,,,resolved,已接通,"
                        "2024-02-01,2024-04-10\n"),
           2, 0);
  const absl::TimeZone tz = DistrictTimeZone();
  const ProblemRecord q1 = Problem("cp-001", "q1").value();
  EXPECT_EQ(q1.create_time, absl::FromCivil(absl::CivilDay(2024, 3, 5), tz));
  const ProblemRecord q2 = Problem("cp-001", "q2").value();
  EXPECT_EQ(q2.create_time, absl::FromCivil(absl::CivilDay(2024, 2, 1), tz));
  EXPECT_EQ(q2.resolve_time, absl::FromCivil(absl::CivilDay(2024, 4, 10), tz));

  struct Case {
    std::string row;
    std::string where;
  } cases[] = {
      {"cp-001,q3,land,x,,,,,,2024-08-01,\n", "(opened_on): 2024-08-01 is in"},
      {"cp-001,q3,land,x,,,,,,,2024-04-01\n",
       "(resolved_on): is only for a resolved problem"},
      {"cp-001,q3,land,x,,,,resolved,done,2024-04-02,2024-04-01\n",
       "(resolved_on): is before the problem was opened"},
      {"cp-001,q1,land,用地,,,,,,2024-03-06,\n",
       "(opened_on): problem \"q1\" was opened on 2024-03-05"},
  };
  for (const Case& c : cases) {
    const absl::Status s = ImportError(ImportKind::kProblems, "problems.csv",
                                       absl::StrCat(kDated, c.row));
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.row << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.where)) << c.row;
  }
}

TEST_F(ProgressImportTest, ProblemErrorsNameTheCell) {
  ImportOk(ImportKind::kProblems,
           absl::StrCat(kProblemsHeader,
                        "cp-001,q9,land,旧问题,,,,resolved,已解决\n"
                        "cp-001,q8,land,已交办,区局,,,assigned,\n"),
           2, 0);
  struct Case {
    std::string row;
    absl::StatusCode code;
    std::string where;
  } cases[] = {
      {"cp-404,q1,land,x,,,,,\n", absl::StatusCode::kNotFound, "(project_id)"},
      {"cp-001,q1,weather,x,,,,,\n", absl::StatusCode::kInvalidArgument,
       "line 2, column 11 (category)"},
      {"cp-001,q1,land,,,,,,\n", absl::StatusCode::kInvalidArgument,
       "(description): is required"},
      {"cp-001,q1,land,x,,,county,,\n", absl::StatusCode::kInvalidArgument,
       "(escalation)"},
      {"cp-001,q1,land,x,,,,closed,\n", absl::StatusCode::kInvalidArgument,
       "(state)"},
      {"cp-001,q1,land,x,,,,assigned,\n", absl::StatusCode::kInvalidArgument,
       "(responsible_unit): is required for an assigned problem"},
      {"cp-001,q1,land,x,,,,resolved,\n", absl::StatusCode::kInvalidArgument,
       "(resolution): is required for a resolved problem"},
      {"cp-001,q1,land,x,,,,open,done\n", absl::StatusCode::kInvalidArgument,
       "(resolution): is only for a resolved problem"},
      {"cp-001,q9,land,旧问题,,,,open,\n",
       absl::StatusCode::kFailedPrecondition, "(state): problem \"q9\""},
      {"cp-001,q8,land,已交办,区局,,,open,\n",
       absl::StatusCode::kFailedPrecondition,
       "(state): problem \"q8\" is assigned; it never goes back to open"},
      {"cp-001,q9,planning,旧问题,,,,resolved,已解决\n",
       absl::StatusCode::kInvalidArgument, "(category): problem \"q9\""},
      {"cp-001,q9,land,新描述,,,,resolved,已解决\n",
       absl::StatusCode::kInvalidArgument, "(description): problem \"q9\""},
      {"cp-001,q1,land,x,,,,,\ncp-001,q1,land,x,,,,,\n",
       absl::StatusCode::kInvalidArgument, "line 3, column 8 (id)"},
  };
  for (const Case& c : cases) {
    const absl::Status s = ImportError(ImportKind::kProblems, "problems.csv",
                                       absl::StrCat(kProblemsHeader, c.row));
    EXPECT_EQ(s.code(), c.code) << c.row << s;
    EXPECT_THAT(std::string(s.message()),
                AllOf(HasSubstr("problems.csv"), HasSubstr(c.where)))
        << c.row;
  }
  EXPECT_EQ(Problem("cp-001", "q1").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Problem("cp-001", "q9").value().version, 1);
}

// ---- periods ----

TEST_F(ProgressImportTest, PeriodsCloseReopenAndRecordReopenedMonths) {
  ImportOk(ImportKind::kPeriods,
           "period,closed,reason\n2024-01,true,\n2024-02,true,\n"
           "2024-03,false,镇上报送延迟\n",
           3, 0);
  absl::StatusOr<PeriodRecord> jan = Period(2024, 1);
  ASSERT_TRUE(jan.ok()) << jan.status();
  EXPECT_TRUE(jan->closed);
  EXPECT_EQ(jan->closed_by, "importer");
  EXPECT_EQ(jan->close_time, clock_.Now());
  // A month the file lists as reopened is recorded so, with its reason.
  const PeriodRecord march = Period(2024, 3).value();
  EXPECT_FALSE(march.closed);
  EXPECT_EQ(march.reopen_reason, "镇上报送延迟");
  absl::StatusOr<std::vector<int>> closed = ReadBack(
      [&](StoreReader& r) { return r.ClosedMonthsAt(2024, clock_.Now()); });
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(*closed, (std::vector<int>{1, 2}));

  // Again: what is already so is left alone; February reopens with a
  // reason naming the file when the row gives none.
  ImportOk(ImportKind::kPeriods,
           "period,closed\n2024-01,true\n2024-02,false\n2024-03,false\n", 0, 1);
  const PeriodRecord feb = Period(2024, 2).value();
  EXPECT_FALSE(feb.closed);
  EXPECT_EQ(feb.reopened_by, "importer");
  EXPECT_EQ(feb.reopen_reason, "imported from file.csv line 3");
}

TEST_F(ProgressImportTest, PeriodErrorsNameTheCellAndWriteNothing) {
  struct Case {
    std::string rows;
    std::string where;
  } cases[] = {
      {"2024-01,true\n2024-13,true\n", "line 3, column 1 (period)"},
      {"2024-08,true\n", "(period): 2024-08 has not begun"},
      {"2024-01,maybe\n", "line 2, column 9 (closed)"},
      {"2024-01,\n", "(closed): give true or false"},
      {"2024-01,true\n2024-1,false\n",
       "line 3, column 1 (period): \"2024-01\" already appears on line 2"},
  };
  for (const Case& c : cases) {
    const absl::Status s = ImportError(ImportKind::kPeriods, "periods.csv",
                                       absl::StrCat("period,closed\n", c.rows));
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.rows << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.where)) << c.rows;
  }
  const absl::Status s =
      ImportError(ImportKind::kPeriods, "periods.csv",
                  "period,closed,reason\n2024-01,true,because\n");
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("(reason): only a reopened month"));
  EXPECT_EQ(Period(2024, 1).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace portfolio
