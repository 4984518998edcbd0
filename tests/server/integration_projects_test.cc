// ProjectService over a real server: projects and milestones.
#include <algorithm>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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

std::string Repeat(const std::string& text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += text;
  return out;
}

class ProjectsTest : public testing::IntegrationTest {
 protected:
  grpc::Status TryCreate(const std::string& id, const v1::Project& project,
                         v1::Project* out, const std::string& request_id = "") {
    v1::CreateProjectRequest request;
    *request.mutable_project() = project;
    request.set_project_id(id);
    request.set_request_id(request_id);
    return projects().CreateProject(Context().get(), request, out);
  }

  grpc::Status TryGet(const std::string& name, v1::Project* out) {
    v1::GetProjectRequest request;
    request.set_name(name);
    return projects().GetProject(Context().get(), request, out);
  }

  grpc::Status TryUpdate(const v1::Project& project,
                         const std::vector<std::string>& mask,
                         v1::Project* out) {
    v1::UpdateProjectRequest request;
    *request.mutable_project() = project;
    for (const std::string& path : mask) {
      request.mutable_update_mask()->add_paths(path);
    }
    return projects().UpdateProject(Context().get(), request, out);
  }

  // The names ListProjects returns for `filter` and `order_by`, in order,
  // following every page.
  std::vector<std::string> ListNames(const std::string& filter,
                                     const std::string& order_by = "") {
    std::vector<std::string> names;
    v1::ListProjectsRequest request;
    request.set_filter(filter);
    request.set_order_by(order_by);
    while (true) {
      v1::ListProjectsResponse response;
      const grpc::Status status =
          projects().ListProjects(Context().get(), request, &response);
      EXPECT_TRUE(IsOk(status)) << "filter [" << filter << "]";
      if (!status.ok()) break;
      for (const v1::Project& p : response.projects()) {
        names.push_back(p.name());
      }
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return names;
  }

  grpc::Status TryCreateMilestone(const std::string& project,
                                  const v1::Milestone& milestone,
                                  v1::Milestone* out) {
    v1::CreateMilestoneRequest request;
    request.set_parent(absl::StrCat("projects/", project));
    *request.mutable_milestone() = milestone;
    return projects().CreateMilestone(Context().get(), request, out);
  }

  // Project alpha with a START milestone planned on 2024-07-01, which
  // the milestone-date tests complete, forecast and move.
  v1::Milestone AlphaStart() {
    CreateProject("alpha");
    return AddMilestone("alpha", v1::MILESTONE_KIND_START,
                        MakeDate(2024, 7, 1));
  }

  grpc::Status TryComplete(const std::string& name,
                           const google::type::Date& date,
                           const std::string& etag, v1::Milestone* out) {
    v1::CompleteMilestoneRequest request;
    request.set_name(name);
    *request.mutable_actual_date() = date;
    request.set_etag(etag);
    return projects().CompleteMilestone(Context().get(), request, out);
  }

  grpc::Status TryForecast(const std::string& name,
                           const google::type::Date& date,
                           const std::string& request_id, v1::Milestone* out) {
    v1::ForecastMilestoneRequest request;
    request.set_name(name);
    *request.mutable_forecast_date() = date;
    request.set_request_id(request_id);
    return projects().ForecastMilestone(Context().get(), request, out);
  }

  grpc::Status TryReplan(const v1::Milestone& milestone,
                         const std::vector<std::string>& mask,
                         v1::Milestone* out, const std::string& token = "") {
    v1::UpdateMilestoneRequest request;
    *request.mutable_milestone() = milestone;
    for (const std::string& path : mask) {
      request.mutable_update_mask()->add_paths(path);
    }
    return projects().UpdateMilestone(
        (token.empty() ? Context() : ContextWithToken(token)).get(), request,
        out);
  }

  std::vector<std::string> ListMilestoneNames(const std::string& parent,
                                              const std::string& filter) {
    std::vector<std::string> names;
    v1::ListMilestonesRequest request;
    request.set_parent(parent);
    request.set_filter(filter);
    while (true) {
      v1::ListMilestonesResponse response;
      const grpc::Status status =
          projects().ListMilestones(Context().get(), request, &response);
      EXPECT_TRUE(IsOk(status)) << parent << " [" << filter << "]";
      if (!status.ok()) break;
      for (const v1::Milestone& m : response.milestones()) {
        names.push_back(m.name());
      }
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return names;
  }
};

// --- CreateProject ----------------------------------------------------------

// The same milestone added twice (a form sent again) would stay overdue
// beside the one marked done: refused, naming the one there. Another
// planned date or another name is a second milestone of the kind.
TEST_F(ProjectsTest, TheSameMilestoneAddedTwiceIsRefused) {
  const v1::Milestone first = AlphaStart();
  v1::Milestone again = first;
  again.clear_name();
  again.clear_etag();
  again.clear_update_time();
  v1::Milestone out;
  const grpc::Status twice = TryCreateMilestone("alpha", again, &out);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_TRUE(absl::StrContains(twice.error_message(),
                                "milestone: alpha already has milestone"))
      << twice.error_message();
  v1::Milestone later = again;
  *later.mutable_planned_date() = MakeDate(2024, 8, 1);
  EXPECT_TRUE(IsOk(TryCreateMilestone("alpha", later, &out)));
  v1::Milestone phase_two = again;
  phase_two.set_display_name("二期开工");
  EXPECT_TRUE(IsOk(TryCreateMilestone("alpha", phase_two, &out)));
  CreateProject("beta");
  EXPECT_TRUE(IsOk(TryCreateMilestone("beta", again, &out)));
}

TEST_F(ProjectsTest, CreateReturnsTheProjectAndGetReadsItBack) {
  v1::Project fields;
  fields.set_display_name("信发集团高端铝材");
  fields.set_owner("信发集团");
  fields.set_chapter(3);
  fields.set_park("高铁新区");
  fields.set_sector("铝及铝加工");
  fields.set_stage(v1::PROJECT_STAGE_NEW_START);
  fields.set_total_investment(1'200'000'000);
  *fields.add_levels() = MakeLevel(2024, v1::PROJECT_LEVEL_PROVINCIAL);
  fields.add_leads("wang");
  *fields.mutable_planned_start() = MakeDate(2024, 3, 1);

  const v1::Project created = CreateProject("xinfa-aluminium", fields);

  EXPECT_EQ(created.name(), "projects/xinfa-aluminium");
  EXPECT_EQ(created.display_name(), fields.display_name());
  EXPECT_EQ(created.owner(), fields.owner());
  EXPECT_EQ(created.chapter(), fields.chapter());
  EXPECT_EQ(created.park(), fields.park());
  EXPECT_EQ(created.stage(), v1::PROJECT_STAGE_NEW_START);
  EXPECT_EQ(created.total_investment(), fields.total_investment());
  ASSERT_EQ(created.levels_size(), 1);
  EXPECT_EQ(created.levels(0).level(), v1::PROJECT_LEVEL_PROVINCIAL);
  EXPECT_EQ(created.planned_start().month(), 3);
  EXPECT_FALSE(created.etag().empty());
  EXPECT_EQ(created.create_time().seconds(),
            absl::ToUnixSeconds(testing::TestNow()));

  const v1::Project read = GetProject("xinfa-aluminium");
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());
}

TEST_F(ProjectsTest, CreateWithATakenIdIsAlreadyExists) {
  CreateProject("alpha");
  v1::Project again;
  again.set_display_name("another alpha");
  v1::Project out;

  EXPECT_TRUE(HasError(TryCreate("alpha", again, &out),
                       StatusCode::ALREADY_EXISTS, "alpha"));
  EXPECT_EQ(GetProject("alpha").display_name(), "Project alpha");
}

TEST_F(ProjectsTest, CreateRetriedWithTheSameRequestIdReturnsTheFirstAnswer) {
  v1::Project fields;
  fields.set_display_name("重试项目");
  v1::Project first, second;
  ASSERT_TRUE(IsOk(TryCreate("retry", fields, &first, "req-create-1")));

  ASSERT_TRUE(IsOk(TryCreate("retry", fields, &second, "req-create-1")));

  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
}

TEST_F(ProjectsTest, CreateWithABadIdIsInvalidArgument) {
  v1::Project fields;
  fields.set_display_name("name");
  for (const char* id : {"Alpha", "ab", "1abc", "abc-", "a_b_c", ""}) {
    SCOPED_TRACE(id);
    v1::Project out;
    EXPECT_TRUE(IsFieldError(TryCreate(id, fields, &out),
                             StatusCode::INVALID_ARGUMENT, "project_id"));
  }
}

TEST_F(ProjectsTest, APlannedEndBeforeTheStartIsRefused) {
  v1::Project fields;
  fields.set_display_name("backwards");
  *fields.mutable_planned_start() = MakeDate(2024, 5, 1);
  *fields.mutable_planned_end() = MakeDate(2024, 3, 1);
  v1::Project out;
  EXPECT_TRUE(IsFieldError(TryCreate("backwards", fields, &out),
                           StatusCode::INVALID_ARGUMENT, "planned_end"));
  // Created with both dates in order, then the start moved past the end.
  *fields.mutable_planned_end() = MakeDate(2024, 12, 31);
  ASSERT_TRUE(IsOk(TryCreate("backwards", fields, &out)));
  v1::Project change;
  change.set_name(out.name());
  *change.mutable_planned_start() = MakeDate(2025, 1, 1);
  v1::Project updated;
  EXPECT_TRUE(IsFieldError(TryUpdate(change, {"planned_start"}, &updated),
                           StatusCode::INVALID_ARGUMENT, "planned_start"));
  EXPECT_EQ(GetProject("backwards").etag(), out.etag());
}

TEST_F(ProjectsTest, CreateWithoutDisplayNameIsInvalidArgument) {
  v1::Project fields;
  fields.set_owner("someone");
  v1::Project out;

  EXPECT_TRUE(IsFieldError(TryCreate("nameless", fields, &out),
                           StatusCode::INVALID_ARGUMENT, "display_name"));
  EXPECT_TRUE(HasError(TryGet("projects/nameless", &out), StatusCode::NOT_FOUND,
                       "nameless"));
}

TEST_F(ProjectsTest, CreateWithDisplayNameOver200CharactersIsInvalidArgument) {
  v1::Project fields;
  fields.set_display_name(Repeat("x", 201));
  v1::Project out;

  EXPECT_TRUE(IsFieldError(TryCreate("long-name", fields, &out),
                           StatusCode::INVALID_ARGUMENT, "display_name"));
}

TEST_F(ProjectsTest, DisplayNameLimitCountsCharactersNotBytes) {
  v1::Project fields;
  fields.set_display_name(Repeat("项", 200));  // 600 bytes of UTF-8
  v1::Project out;

  EXPECT_TRUE(IsOk(TryCreate("chinese-name", fields, &out)));
  EXPECT_EQ(out.display_name(), fields.display_name());
}

TEST_F(ProjectsTest, CreateWithAnUnknownStageNumberIsInvalidArgument) {
  v1::Project fields;
  fields.set_display_name("name");
  fields.set_stage(static_cast<v1::ProjectStage>(99));
  v1::Project out;

  EXPECT_TRUE(IsFieldError(TryCreate("bad-stage", fields, &out),
                           StatusCode::INVALID_ARGUMENT, "stage"));
}

TEST_F(ProjectsTest, CreateWithChapter10IsInvalidArgument) {
  v1::Project fields;
  fields.set_display_name("name");
  fields.set_chapter(10);
  v1::Project out;

  EXPECT_TRUE(IsFieldError(TryCreate("chapter-ten", fields, &out),
                           StatusCode::INVALID_ARGUMENT, "chapter"));
  EXPECT_TRUE(HasError(TryGet("projects/chapter-ten", &out),
                       StatusCode::NOT_FOUND, "chapter-ten"));
}

// --- GetProject -------------------------------------------------------------

TEST_F(ProjectsTest, GetAnUnknownProjectIsNotFound) {
  v1::Project out;
  EXPECT_TRUE(HasError(TryGet("projects/nowhere", &out), StatusCode::NOT_FOUND,
                       "nowhere"));
}

TEST_F(ProjectsTest, GetAMalformedNameIsInvalidArgument) {
  v1::Project out;
  EXPECT_TRUE(IsFieldError(TryGet("project/x", &out),
                           StatusCode::INVALID_ARGUMENT, "name"));
}

// --- ListProjects -----------------------------------------------------------

TEST_F(ProjectsTest, ListPagesVisitEveryProjectExactlyOnce) {
  std::set<std::string> created;
  for (int i = 1; i <= 7; ++i) {
    created.insert(CreateProject(absl::StrCat("proj-", i)).name());
  }
  v1::ListProjectsRequest request;
  request.set_page_size(3);
  std::vector<std::string> seen;
  std::vector<int> page_sizes;
  while (true) {
    v1::ListProjectsResponse response;
    ASSERT_TRUE(
        IsOk(projects().ListProjects(Context().get(), request, &response)));
    EXPECT_EQ(response.total_size(), 7);
    page_sizes.push_back(response.projects_size());
    for (const v1::Project& p : response.projects()) seen.push_back(p.name());
    if (response.next_page_token().empty()) break;
    ASSERT_LT(page_sizes.size(), 10u) << "pagination does not end";
    request.set_page_token(response.next_page_token());
  }

  EXPECT_EQ(page_sizes, (std::vector<int>{3, 3, 1}));
  EXPECT_EQ(seen.size(), created.size());
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), created);
}

// In id order a page starts after the last id returned: projects created
// before it or removed from the filter between pages shift nothing, so
// none is listed twice or skipped (an offset would have).
TEST_F(ProjectsTest, ListPagesHoldTheirPlaceWhileProjectsAreAdded) {
  for (const char* id : {"bbb-1", "bbb-2", "bbb-3", "bbb-4", "bbb-5"}) {
    CreateProject(id);
  }
  for (const bool descending : {false, true}) {
    SCOPED_TRACE(descending ? "descending" : "ascending");
    v1::ListProjectsRequest request;
    request.set_page_size(2);
    if (descending) request.set_order_by("name desc");
    std::vector<std::string> seen;
    v1::ListProjectsResponse first;
    ASSERT_TRUE(
        IsOk(projects().ListProjects(Context().get(), request, &first)));
    for (const v1::Project& p : first.projects()) seen.push_back(p.name());
    // Before every page in either order: one id before the first, one
    // after the last, and one between the pages already read.
    CreateProject(descending ? "zzz-d" : "aaa-a");
    CreateProject(descending ? "bbb-2a" : "bbb-2b");
    request.set_page_token(first.next_page_token());
    while (!request.page_token().empty()) {
      v1::ListProjectsResponse page;
      ASSERT_TRUE(
          IsOk(projects().ListProjects(Context().get(), request, &page)));
      for (const v1::Project& p : page.projects()) seen.push_back(p.name());
      request.set_page_token(page.next_page_token());
      ASSERT_LT(seen.size(), 20u) << "pagination does not end";
    }
    std::vector<std::string> sorted = seen;
    std::sort(sorted.begin(), sorted.end());
    if (descending) std::reverse(sorted.begin(), sorted.end());
    EXPECT_EQ(seen, sorted);
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(),
              seen.size())
        << "a project was listed twice";
    for (const char* id : {"bbb-1", "bbb-3", "bbb-4", "bbb-5"}) {
      EXPECT_NE(
          std::find(seen.begin(), seen.end(), absl::StrCat("projects/", id)),
          seen.end())
          << id << " was skipped";
    }
  }
}

TEST_F(ProjectsTest, ListFiltersByChapter) {
  v1::Project ch3;
  ch3.set_chapter(3);
  v1::Project ch5;
  ch5.set_chapter(5);
  CreateProject("chapter-three", ch3);
  CreateProject("chapter-five", ch5);

  EXPECT_EQ(ListNames("chapter = 3"),
            (std::vector<std::string>{"projects/chapter-three"}));
}

TEST_F(ProjectsTest, ListFiltersByParkWrittenInChinese) {
  v1::Project in_park;
  in_park.set_park("高铁新区");
  v1::Project elsewhere;
  elsewhere.set_park("经济开发区");
  CreateProject("rail-park", in_park);
  CreateProject("dev-zone", elsewhere);

  EXPECT_EQ(ListNames("park = \"高铁新区\""),
            (std::vector<std::string>{"projects/rail-park"}));
}

TEST_F(ProjectsTest, ListFiltersByStage) {
  v1::Project starting;
  starting.set_stage(v1::PROJECT_STAGE_NEW_START);
  v1::Project continuing;
  continuing.set_stage(v1::PROJECT_STAGE_CONTINUING);
  CreateProject("starting", starting);
  CreateProject("continuing", continuing);

  EXPECT_EQ(ListNames("stage = NEW_START"),
            (std::vector<std::string>{"projects/starting"}));
}

TEST_F(ProjectsTest, ListFiltersByLevelOfTheCurrentYearByDefault) {
  v1::Project provincial_now;
  *provincial_now.add_levels() = MakeLevel(2024, v1::PROJECT_LEVEL_PROVINCIAL);
  v1::Project provincial_before;
  *provincial_before.add_levels() =
      MakeLevel(2023, v1::PROJECT_LEVEL_PROVINCIAL);
  *provincial_before.add_levels() = MakeLevel(2024, v1::PROJECT_LEVEL_CITY);
  CreateProject("prov-now", provincial_now);
  CreateProject("prov-before", provincial_before);

  EXPECT_EQ(ListNames("level = PROVINCIAL"),
            (std::vector<std::string>{"projects/prov-now"}));
  EXPECT_EQ(ListNames("level = PROVINCIAL AND year = 2023"),
            (std::vector<std::string>{"projects/prov-before"}));
  EXPECT_EQ(ListNames("level = CITY AND year = 2024"),
            (std::vector<std::string>{"projects/prov-before"}));
}

TEST_F(ProjectsTest, ListFiltersByLead) {
  v1::Project both;
  both.add_leads("li");
  both.add_leads("wang");
  v1::Project only_zhao;
  only_zhao.add_leads("zhao");
  CreateProject("led-by-two", both);
  CreateProject("led-by-zhao", only_zhao);

  EXPECT_EQ(ListNames("lead = wang"),
            (std::vector<std::string>{"projects/led-by-two"}));
  EXPECT_EQ(ListNames("lead = \"zhao\""),
            (std::vector<std::string>{"projects/led-by-zhao"}));
}

TEST_F(ProjectsTest, ListOrdersByDisplayName) {
  const std::vector<std::pair<std::string, std::string>> projects = {
      {"first", "Cherry"}, {"second", "Apple"}, {"third", "Banana"}};
  for (const auto& [id, display_name] : projects) {
    v1::Project p;
    p.set_display_name(display_name);
    CreateProject(id, p);
  }

  EXPECT_EQ(ListNames("", "display_name"),
            (std::vector<std::string>{"projects/second", "projects/third",
                                      "projects/first"}));
}

TEST_F(ProjectsTest, ListOrdersByTotalInvestmentDescending) {
  const std::vector<std::pair<std::string, int64_t>> projects = {
      {"small", 10'000'000}, {"large", 900'000'000}, {"medium", 50'000'000}};
  for (const auto& [id, total] : projects) {
    v1::Project p;
    p.set_total_investment(total);
    CreateProject(id, p);
  }

  EXPECT_EQ(ListNames("", "total_investment desc"),
            (std::vector<std::string>{"projects/large", "projects/medium",
                                      "projects/small"}));
}

TEST_F(ProjectsTest, ListWithAnUnknownFilterFieldIsInvalidArgument) {
  v1::ListProjectsRequest request;
  request.set_filter("colour = red");
  v1::ListProjectsResponse response;

  EXPECT_TRUE(
      IsFieldError(projects().ListProjects(Context().get(), request, &response),
                   StatusCode::INVALID_ARGUMENT, "filter"));
}

TEST_F(ProjectsTest, ListWithAnUnknownOrderIsInvalidArgument) {
  v1::ListProjectsRequest request;
  request.set_order_by("owner desc");
  v1::ListProjectsResponse response;

  EXPECT_TRUE(
      IsFieldError(projects().ListProjects(Context().get(), request, &response),
                   StatusCode::INVALID_ARGUMENT, "order_by"));
}

TEST_F(ProjectsTest, ListWithAPageTokenFromAnotherFilterIsInvalidArgument) {
  v1::Project p;
  p.set_chapter(1);
  for (int i = 1; i <= 3; ++i) CreateProject(absl::StrCat("token-", i), p);
  v1::ListProjectsRequest request;
  request.set_page_size(1);
  request.set_filter("chapter = 1");
  v1::ListProjectsResponse first;
  ASSERT_TRUE(IsOk(projects().ListProjects(Context().get(), request, &first)));
  ASSERT_FALSE(first.next_page_token().empty());

  request.set_page_token(first.next_page_token());
  request.set_filter("chapter = 2");
  v1::ListProjectsResponse second;
  EXPECT_TRUE(
      IsFieldError(projects().ListProjects(Context().get(), request, &second),
                   StatusCode::INVALID_ARGUMENT, "page_token"));
}

// --- UpdateProject ----------------------------------------------------------

TEST_F(ProjectsTest, UpdateChangesOnlyTheFieldsInTheMask) {
  v1::Project fields;
  fields.set_owner("old owner");
  fields.set_park("高铁新区");
  fields.set_chapter(2);
  const v1::Project created = CreateProject("masked", fields);

  v1::Project change;
  change.set_name(created.name());
  change.set_owner("new owner");
  change.set_park("经济开发区");
  change.set_chapter(7);
  v1::Project updated;
  ASSERT_TRUE(IsOk(TryUpdate(change, {"owner"}, &updated)));

  EXPECT_EQ(updated.owner(), "new owner");
  EXPECT_EQ(updated.park(), "高铁新区");
  EXPECT_EQ(updated.chapter(), 2);
  EXPECT_EQ(updated.display_name(), created.display_name());
  EXPECT_NE(updated.etag(), created.etag());
  EXPECT_EQ(GetProject("masked").SerializeAsString(),
            updated.SerializeAsString());
}

TEST_F(ProjectsTest, UpdateWithoutAMaskWritesOnlyTheFieldsSent) {
  // AIP-134: an omitted mask means the populated fields, so a generic
  // client that sends one field never clears the others.
  v1::Project fields;
  fields.set_owner("old owner");
  fields.set_chapter(2);
  const v1::Project created = CreateProject("unmasked", fields);

  v1::Project change;
  change.set_name(created.name());
  change.set_display_name("renamed");
  v1::Project updated;
  ASSERT_TRUE(IsOk(TryUpdate(change, {}, &updated)));

  EXPECT_EQ(updated.display_name(), "renamed");
  EXPECT_EQ(updated.owner(), "old owner");
  EXPECT_EQ(updated.chapter(), 2);
}

TEST_F(ProjectsTest, UpdateWithTheStarMaskWritesEveryWritableField) {
  v1::Project fields;
  fields.set_owner("old owner");
  fields.set_chapter(2);
  const v1::Project created = CreateProject("starred", fields);

  v1::Project change;
  change.set_name(created.name());
  change.set_display_name("renamed");
  v1::Project updated;
  ASSERT_TRUE(IsOk(TryUpdate(change, {"*"}, &updated)));

  EXPECT_EQ(updated.display_name(), "renamed");
  EXPECT_EQ(updated.owner(), "");
  EXPECT_EQ(updated.chapter(), 0);

  // With other paths, "*" is refused as such, not as an unknown field.
  const grpc::Status mixed = TryUpdate(change, {"*", "park"}, &updated);
  EXPECT_TRUE(IsFieldError(mixed, StatusCode::INVALID_ARGUMENT, "update_mask"));
  EXPECT_NE(mixed.error_message().find("must be the only path"),
            std::string::npos)
      << mixed.error_message();
}

// Spaces around a text field, ASCII or full-width, are not part of it:
// otherwise " 高铁新区" would be a park of its own in every breakdown.
TEST_F(ProjectsTest, TextFieldsAreStoredWithoutSurroundingSpaces) {
  v1::Project fields;
  fields.set_park(" 高铁新区\u3000");
  fields.set_sector("\u3000新材料 ");
  const v1::Project created = CreateProject("spaced", fields);
  EXPECT_EQ(created.park(), "高铁新区");
  EXPECT_EQ(created.sector(), "新材料");

  v1::Project change;
  change.set_name(created.name());
  change.set_owner("  茌平区工信局\u3000\u3000");
  change.set_capacity(" 年产 10 万吨 ");
  v1::Project updated;
  ASSERT_TRUE(IsOk(TryUpdate(change, {"owner", "capacity"}, &updated)));
  EXPECT_EQ(updated.owner(), "茌平区工信局");
  EXPECT_EQ(updated.capacity(), "年产 10 万吨");  // inner spaces stay
  EXPECT_EQ(GetProject("spaced").owner(), "茌平区工信局");

  // Only spaces is no name at all.
  change.set_display_name("\u3000 ");
  EXPECT_TRUE(IsFieldError(TryUpdate(change, {"display_name"}, &updated),
                           StatusCode::INVALID_ARGUMENT, "display_name"));
}

TEST_F(ProjectsTest, AnUpdateThatChangesNothingKeepsTheEtag) {
  v1::Project fields;
  fields.set_owner("same owner");
  const v1::Project created = CreateProject("unchanged", fields);

  v1::Project change;
  change.set_name(created.name());
  change.set_owner("same owner");
  v1::Project updated;
  ASSERT_TRUE(IsOk(TryUpdate(change, {"owner"}, &updated)));
  EXPECT_EQ(updated.etag(), created.etag());
  EXPECT_EQ(updated.SerializeAsString(), created.SerializeAsString());
  EXPECT_EQ(GetProject("unchanged").etag(), created.etag());

  // A real change still moves it.
  change.set_owner("other owner");
  ASSERT_TRUE(IsOk(TryUpdate(change, {"owner"}, &updated)));
  EXPECT_NE(updated.etag(), created.etag());
}

// The answer is the project as stored, repeated fields once each (a
// comparison made before the write had filled them in twice).
TEST_F(ProjectsTest, AnUpdatesAnswerIsTheProjectAsStored) {
  v1::Project fields;
  *fields.add_levels() = MakeLevel(2024, v1::PROJECT_LEVEL_PROVINCIAL);
  const v1::Project created = CreateProject("listed", fields);
  v1::Project change;
  change.set_name(created.name());
  change.set_owner("新业主");
  *change.add_levels() = MakeLevel(2024, v1::PROJECT_LEVEL_PROVINCIAL);
  *change.add_levels() = MakeLevel(2025, v1::PROJECT_LEVEL_CITY);
  v1::Project updated;
  ASSERT_TRUE(IsOk(TryUpdate(change, {"owner", "levels"}, &updated)));
  EXPECT_EQ(updated.levels_size(), 2);
  EXPECT_EQ(updated.SerializeAsString(),
            GetProject("listed").SerializeAsString());
}

TEST_F(ProjectsTest, UpdateWithAStaleEtagIsAborted) {
  const v1::Project created = CreateProject("etagged");
  v1::Project change;
  change.set_name(created.name());
  change.set_etag(created.etag());
  change.set_owner("first writer");
  v1::Project updated;
  ASSERT_TRUE(IsOk(TryUpdate(change, {"owner"}, &updated)));

  change.set_owner("second writer");
  EXPECT_TRUE(IsFieldError(TryUpdate(change, {"owner"}, &updated),
                           StatusCode::ABORTED, "etag"));
  EXPECT_EQ(GetProject("etagged").owner(), "first writer");
}

TEST_F(ProjectsTest, UpdateWithAnUnknownMaskPathIsInvalidArgument) {
  const v1::Project created = CreateProject("mask-typo");
  v1::Project change;
  change.set_name(created.name());
  change.set_owner("x");
  v1::Project updated;

  EXPECT_TRUE(IsFieldError(TryUpdate(change, {"ownr"}, &updated),
                           StatusCode::INVALID_ARGUMENT, "update_mask"));
  EXPECT_EQ(GetProject("mask-typo").etag(), created.etag());
}

TEST_F(ProjectsTest, UpdateAnUnknownProjectIsNotFound) {
  v1::Project change;
  change.set_name("projects/ghost");
  change.set_owner("x");
  v1::Project updated;

  EXPECT_TRUE(HasError(TryUpdate(change, {"owner"}, &updated),
                       StatusCode::NOT_FOUND, "ghost"));
}

// --- Milestones -------------------------------------------------------------

TEST_F(ProjectsTest, UpdateMilestoneMovesThePlanAndRenames) {
  const v1::Milestone start = AlphaStart();
  v1::Milestone change;
  change.set_name(start.name());
  *change.mutable_planned_date() = MakeDate(2024, 9, 1);
  change.set_display_name("一期开工");
  v1::Milestone moved;
  ASSERT_TRUE(IsOk(TryReplan(change, {}, &moved)));
  EXPECT_EQ(moved.planned_date().month(), 9);
  EXPECT_EQ(moved.display_name(), "一期开工");
  EXPECT_EQ(moved.kind(), v1::MILESTONE_KIND_START);
  EXPECT_NE(moved.etag(), start.etag());

  // Only what the mask names: the date sent here is not written.
  v1::Milestone rename;
  rename.set_name(start.name());
  rename.set_display_name("");
  *rename.mutable_planned_date() = MakeDate(2025, 1, 1);
  v1::Milestone renamed;
  ASSERT_TRUE(IsOk(TryReplan(rename, {"display_name"}, &renamed)));
  EXPECT_EQ(renamed.display_name(), "开工");  // empty: the kind's name
  EXPECT_EQ(renamed.planned_date().month(), 9);

  // The same again changes nothing: the etag stays.
  v1::Milestone same;
  ASSERT_TRUE(IsOk(TryReplan(rename, {"display_name"}, &same)));
  EXPECT_EQ(same.etag(), renamed.etag());

  // Named in the mask and unset, the planned date is cleared.
  v1::Milestone undate;
  undate.set_name(start.name());
  v1::Milestone undated;
  ASSERT_TRUE(IsOk(TryReplan(undate, {"planned_date"}, &undated)));
  EXPECT_FALSE(undated.has_planned_date());

  // A stale etag is refused, and nothing moves.
  change.set_etag(start.etag());
  v1::Milestone out;
  EXPECT_TRUE(
      HasError(TryReplan(change, {}, &out), StatusCode::ABORTED, "etag"));
  v1::GetMilestoneRequest get;
  get.set_name(start.name());
  v1::Milestone read;
  ASSERT_TRUE(IsOk(projects().GetMilestone(Context().get(), get, &read)));
  EXPECT_FALSE(read.has_planned_date());
}

TEST_F(ProjectsTest, UpdateMilestoneRefusesWhatItMayNotWrite) {
  const v1::Milestone start = AlphaStart();
  v1::Milestone out;
  v1::Milestone forecast;
  forecast.set_name(start.name());
  *forecast.mutable_forecast_date() = MakeDate(2030, 1, 1);
  EXPECT_TRUE(IsFieldError(TryReplan(forecast, {}, &out),
                           StatusCode::INVALID_ARGUMENT,
                           "milestone.forecast_date"));
  v1::Milestone bad_path;
  bad_path.set_name(start.name());
  EXPECT_TRUE(IsFieldError(TryReplan(bad_path, {"actual_date"}, &out),
                           StatusCode::INVALID_ARGUMENT, "update_mask"));
  EXPECT_TRUE(IsFieldError(TryReplan(bad_path, {"kind"}, &out),
                           StatusCode::INVALID_ARGUMENT, "milestone.kind"));
  v1::Milestone ghost;
  ghost.set_name("projects/alpha/milestones/m99");
  ghost.set_display_name("x");
  EXPECT_TRUE(
      HasError(TryReplan(ghost, {}, &out), StatusCode::NOT_FOUND,
               "milestone \"projects/alpha/milestones/m99\" not found"));

  // Moved onto another milestone's kind, name and date: the same one twice.
  const v1::Milestone second =
      AddMilestone("alpha", v1::MILESTONE_KIND_START, MakeDate(2024, 8, 1));
  v1::Milestone onto;
  onto.set_name(second.name());
  *onto.mutable_planned_date() = start.planned_date();
  EXPECT_TRUE(IsFieldError(TryReplan(onto, {}, &out),
                           StatusCode::ALREADY_EXISTS, "milestone"));

  // Reached, its plan and kind stay; its name may still change.
  ASSERT_TRUE(IsOk(TryComplete(start.name(), MakeDate(2024, 7, 3), "", &out)));
  v1::Milestone later;
  later.set_name(start.name());
  *later.mutable_planned_date() = MakeDate(2024, 7, 5);
  EXPECT_TRUE(IsFieldError(TryReplan(later, {}, &out),
                           StatusCode::FAILED_PRECONDITION,
                           "milestone.planned_date"));
  v1::Milestone kind;
  kind.set_name(start.name());
  kind.set_kind(v1::MILESTONE_KIND_COMPLETION);
  EXPECT_TRUE(IsFieldError(TryReplan(kind, {}, &out),
                           StatusCode::FAILED_PRECONDITION, "milestone.kind"));
  v1::Milestone name;
  name.set_name(start.name());
  name.set_display_name("正式开工");
  ASSERT_TRUE(IsOk(TryReplan(name, {}, &out)));
  EXPECT_EQ(out.display_name(), "正式开工");
  EXPECT_EQ(out.planned_date().day(), 1);
}

TEST_F(ProjectsTest, OnlyManagersReplanMilestones) {
  const v1::Milestone start = AlphaStart();
  v1::CreateUserRequest create;
  create.set_user_id("lead-li");
  create.mutable_user()->set_role(v1::USER_ROLE_LEAD);
  v1::User user;
  ASSERT_TRUE(IsOk(admin().CreateUser(Context().get(), create, &user)));
  v1::CreateTokenRequest token;
  token.set_parent("users/lead-li");
  v1::CreateTokenResponse secret;
  ASSERT_TRUE(IsOk(admin().CreateToken(Context().get(), token, &secret)));
  v1::Project lead;
  lead.set_name("projects/alpha");
  lead.add_leads("lead-li");
  v1::Project updated;
  ASSERT_TRUE(IsOk(TryUpdate(lead, {"leads"}, &updated)));

  v1::Milestone change;
  change.set_name(start.name());
  *change.mutable_planned_date() = MakeDate(2024, 12, 31);
  v1::Milestone out;
  EXPECT_EQ(TryReplan(change, {}, &out, secret.secret()).error_code(),
            StatusCode::PERMISSION_DENIED);
  v1::GetMilestoneRequest get;
  get.set_name(start.name());
  ASSERT_TRUE(IsOk(projects().GetMilestone(Context().get(), get, &out)));
  EXPECT_EQ(out.planned_date().month(), 7);
}

TEST_F(ProjectsTest, CreateMilestoneAssignsIdsInOrder) {
  CreateProject("alpha");
  const v1::Milestone m1 =
      AddMilestone("alpha", v1::MILESTONE_KIND_START, MakeDate(2024, 3, 1));
  const v1::Milestone m2 = AddMilestone("alpha", v1::MILESTONE_KIND_COMPLETION,
                                        MakeDate(2024, 12, 1));

  EXPECT_EQ(m1.name(), "projects/alpha/milestones/m1");
  EXPECT_EQ(m2.name(), "projects/alpha/milestones/m2");
  EXPECT_EQ(m1.kind(), v1::MILESTONE_KIND_START);
  EXPECT_EQ(m1.display_name(), "开工");
  EXPECT_EQ(m2.planned_date().month(), 12);
}

TEST_F(ProjectsTest, CreateMilestoneWithAGivenIdKeepsItAndRefusesItTwice) {
  CreateProject("alpha");
  v1::CreateMilestoneRequest request;
  request.set_parent("projects/alpha");
  request.set_milestone_id("ground-breaking");
  request.mutable_milestone()->set_kind(v1::MILESTONE_KIND_START);
  v1::Milestone first, second;

  ASSERT_TRUE(
      IsOk(projects().CreateMilestone(Context().get(), request, &first)));
  EXPECT_EQ(first.name(), "projects/alpha/milestones/ground-breaking");
  EXPECT_TRUE(
      HasError(projects().CreateMilestone(Context().get(), request, &second),
               StatusCode::ALREADY_EXISTS, "ground-breaking"));
}

TEST_F(ProjectsTest, CreateMilestoneWithoutKindIsInvalidArgument) {
  CreateProject("alpha");
  v1::Milestone milestone;
  *milestone.mutable_planned_date() = MakeDate(2024, 3, 1);
  v1::Milestone out;

  EXPECT_TRUE(IsFieldError(TryCreateMilestone("alpha", milestone, &out),
                           StatusCode::INVALID_ARGUMENT, "milestone.kind"));
  EXPECT_TRUE(ListMilestoneNames("projects/alpha", "").empty());
}

TEST_F(ProjectsTest, CreateMilestoneWithAnActualDateInTheFutureIsRefused) {
  CreateProject("alpha");
  v1::Milestone milestone;
  milestone.set_kind(v1::MILESTONE_KIND_START);
  *milestone.mutable_actual_date() =
      MakeDate(testing::kThisYear, testing::kThisMonth, testing::kToday + 1);
  v1::Milestone out;

  EXPECT_TRUE(IsFieldError(TryCreateMilestone("alpha", milestone, &out),
                           StatusCode::INVALID_ARGUMENT,
                           "milestone.actual_date"));

  *milestone.mutable_actual_date() =
      MakeDate(testing::kThisYear, testing::kThisMonth, testing::kToday);
  EXPECT_TRUE(IsOk(TryCreateMilestone("alpha", milestone, &out)));
}

TEST_F(ProjectsTest, CreateMilestoneOnAnUnknownProjectIsNotFound) {
  v1::Milestone milestone;
  milestone.set_kind(v1::MILESTONE_KIND_START);
  v1::Milestone out;

  EXPECT_TRUE(HasError(TryCreateMilestone("ghost", milestone, &out),
                       StatusCode::NOT_FOUND, "ghost"));
}

TEST_F(ProjectsTest, GetMilestoneReadsItBack) {
  CreateProject("alpha");
  const v1::Milestone created = AddMilestone(
      "alpha", v1::MILESTONE_KIND_STRUCTURE_COMPLETE, MakeDate(2024, 9, 30));
  v1::GetMilestoneRequest request;
  request.set_name(created.name());
  v1::Milestone read;

  ASSERT_TRUE(IsOk(projects().GetMilestone(Context().get(), request, &read)));
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());

  request.set_name("projects/alpha/milestones/m9");
  EXPECT_TRUE(HasError(projects().GetMilestone(Context().get(), request, &read),
                       StatusCode::NOT_FOUND, "m9"));
}

TEST_F(ProjectsTest, OverdueFilterJudgesPlannedDatesAgainstTheClock) {
  CreateProject("alpha");
  const std::string yesterday =
      AddMilestone("alpha", v1::MILESTONE_KIND_START,
                   MakeDate(testing::kThisYear, testing::kThisMonth,
                            testing::kToday - 1))
          .name();
  const std::string today =
      AddMilestone(
          "alpha", v1::MILESTONE_KIND_STRUCTURE_COMPLETE,
          MakeDate(testing::kThisYear, testing::kThisMonth, testing::kToday))
          .name();
  AddMilestone("alpha", v1::MILESTONE_KIND_COMPLETION, MakeDate(2024, 12, 1));

  EXPECT_EQ(ListMilestoneNames("projects/alpha", "overdue = true"),
            (std::vector<std::string>{yesterday}));

  clock().Set(testing::TestNow() + absl::Hours(24));
  EXPECT_EQ(ListMilestoneNames("projects/alpha", "overdue = true"),
            (std::vector<std::string>{yesterday, today}));
}

TEST_F(ProjectsTest, ACompletedMilestoneIsNotOverdue) {
  CreateProject("alpha");
  const v1::Milestone late =
      AddMilestone("alpha", v1::MILESTONE_KIND_START, MakeDate(2024, 5, 1));
  v1::Milestone done;
  ASSERT_TRUE(IsOk(TryComplete(late.name(), MakeDate(2024, 6, 3), "", &done)));

  EXPECT_TRUE(ListMilestoneNames("projects/alpha", "overdue = true").empty());
}

TEST_F(ProjectsTest, ListMilestonesOfAllProjectsWithDash) {
  CreateProject("alpha");
  CreateProject("beta");
  const std::string a =
      AddMilestone("alpha", v1::MILESTONE_KIND_START, MakeDate(2024, 5, 1))
          .name();
  const std::string b =
      AddMilestone("beta", v1::MILESTONE_KIND_START, MakeDate(2024, 6, 1))
          .name();

  std::vector<std::string> all = ListMilestoneNames("projects/-", "");
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::string>{a, b}));
  EXPECT_EQ(ListMilestoneNames("projects/beta", ""),
            (std::vector<std::string>{b}));
}

TEST_F(ProjectsTest, ForecastMilestoneSetsTheForecastDate) {
  CreateProject("alpha");
  const v1::Milestone created = AddMilestone(
      "alpha", v1::MILESTONE_KIND_COMPLETION, MakeDate(2024, 10, 1));
  v1::ForecastMilestoneRequest request;
  request.set_name(created.name());
  *request.mutable_forecast_date() = MakeDate(2024, 11, 15);
  request.set_etag(created.etag());
  v1::Milestone forecast;

  ASSERT_TRUE(
      IsOk(projects().ForecastMilestone(Context().get(), request, &forecast)));
  EXPECT_EQ(forecast.forecast_date().month(), 11);
  EXPECT_EQ(forecast.forecast_date().day(), 15);
  EXPECT_EQ(forecast.planned_date().month(), 10);
  EXPECT_NE(forecast.etag(), created.etag());
}

// A forecast is a day still to come, for a milestone not yet reached.
TEST_F(ProjectsTest, AForecastInThePastOrOfAReachedMilestoneIsRefused) {
  const v1::Milestone created = AlphaStart();
  const std::string& name = created.name();
  v1::Milestone out;
  EXPECT_TRUE(IsFieldError(
      TryForecast(name, MakeDate(2024, 7, 14), "", &out),  // today: 07-15
      StatusCode::INVALID_ARGUMENT, "forecast_date"));
  ASSERT_TRUE(IsOk(TryForecast(name, MakeDate(2024, 7, 15), "", &out)));

  // Retried with its request id the next day, the forecast for what was
  // today gets its first answer, not a refusal for the day gone by.
  ASSERT_TRUE(
      IsOk(TryForecast(name, MakeDate(2024, 7, 15), "forecast-today", &out)));
  clock().Set(testing::TestNow() + absl::Hours(24));
  v1::Milestone retried;
  ASSERT_TRUE(IsOk(
      TryForecast(name, MakeDate(2024, 7, 15), "forecast-today", &retried)));
  EXPECT_EQ(retried.etag(), out.etag());
  clock().Set(testing::TestNow());

  v1::Milestone done;
  ASSERT_TRUE(IsOk(TryComplete(name, MakeDate(2024, 7, 12), "", &done)));
  const grpc::Status reached =
      TryForecast(name, MakeDate(2024, 8, 1), "", &out);
  EXPECT_TRUE(
      IsFieldError(reached, StatusCode::FAILED_PRECONDITION, "forecast_date"));
  EXPECT_NE(reached.error_message().find("2024-07-12"), std::string::npos)
      << reached.error_message();
}

// The same rules when a milestone is created with a forecast.
TEST_F(ProjectsTest, AMilestoneIsNotCreatedWithAForecastGoneByOrReached) {
  CreateProject("alpha");
  auto create = [&](google::type::Date forecast,
                    std::optional<google::type::Date> actual) {
    v1::CreateMilestoneRequest request;
    request.set_parent("projects/alpha");
    request.mutable_milestone()->set_kind(v1::MILESTONE_KIND_START);
    *request.mutable_milestone()->mutable_planned_date() = MakeDate(2024, 7, 1);
    *request.mutable_milestone()->mutable_forecast_date() = forecast;
    if (actual) *request.mutable_milestone()->mutable_actual_date() = *actual;
    v1::Milestone out;
    return projects().CreateMilestone(Context().get(), request, &out);
  };
  EXPECT_TRUE(IsFieldError(create(MakeDate(2024, 7, 14), std::nullopt),
                           StatusCode::INVALID_ARGUMENT,
                           "milestone.forecast_date"));
  EXPECT_TRUE(IsFieldError(create(MakeDate(2024, 8, 1), MakeDate(2024, 7, 2)),
                           StatusCode::INVALID_ARGUMENT,
                           "milestone.forecast_date"));
  EXPECT_TRUE(IsOk(create(MakeDate(2024, 8, 1), std::nullopt)));
  EXPECT_EQ(ListMilestoneNames("projects/alpha", "").size(), 1u);
}

TEST_F(ProjectsTest, CompleteMilestoneRecordsTheActualDate) {
  const v1::Milestone created = AlphaStart();
  v1::Milestone done;

  ASSERT_TRUE(IsOk(TryComplete(created.name(), MakeDate(2024, 7, 2),
                               created.etag(), &done)));
  EXPECT_EQ(done.actual_date().day(), 2);
  EXPECT_NE(done.etag(), created.etag());
}

TEST_F(ProjectsTest, CompletingAReachedMilestoneAgainKeepsItsDate) {
  const v1::Milestone created = AlphaStart();
  v1::Milestone done;
  ASSERT_TRUE(
      IsOk(TryComplete(created.name(), MakeDate(2024, 7, 2), "", &done)));

  // The same day again: answered, nothing written (the etag stays).
  v1::Milestone again;
  ASSERT_TRUE(
      IsOk(TryComplete(created.name(), MakeDate(2024, 7, 2), "", &again)));
  EXPECT_EQ(again.etag(), done.etag());
  EXPECT_EQ(again.actual_date().day(), 2);

  // Another day without the etag: refused, and the first date stays.
  v1::Milestone moved;
  EXPECT_TRUE(IsFieldError(
      TryComplete(created.name(), MakeDate(2024, 7, 9), "", &moved),
      StatusCode::FAILED_PRECONDITION, "actual_date"));
  v1::GetMilestoneRequest get;
  get.set_name(created.name());
  v1::Milestone read;
  ASSERT_TRUE(IsOk(projects().GetMilestone(Context().get(), get, &read)));
  EXPECT_EQ(read.actual_date().day(), 2);

  // With the etag it is a correction.
  ASSERT_TRUE(IsOk(
      TryComplete(created.name(), MakeDate(2024, 7, 9), read.etag(), &moved)));
  EXPECT_EQ(moved.actual_date().day(), 9);
  EXPECT_NE(moved.etag(), read.etag());
}

TEST_F(ProjectsTest, CompleteMilestoneInTheFutureIsRefused) {
  const v1::Milestone created = AlphaStart();
  v1::Milestone done;

  EXPECT_TRUE(IsFieldError(
      TryComplete(created.name(),
                  MakeDate(testing::kThisYear, testing::kThisMonth + 1, 1), "",
                  &done),
      StatusCode::INVALID_ARGUMENT, "actual_date"));
}

TEST_F(ProjectsTest, CompleteMilestoneWithAStaleEtagIsAborted) {
  const v1::Milestone created = AlphaStart();
  v1::Milestone moved;
  ASSERT_TRUE(
      IsOk(TryForecast(created.name(), MakeDate(2024, 7, 20), "", &moved)));
  v1::Milestone done;

  EXPECT_TRUE(IsFieldError(
      TryComplete(created.name(), MakeDate(2024, 7, 10), created.etag(), &done),
      StatusCode::ABORTED, "etag"));
  v1::GetMilestoneRequest get;
  get.set_name(created.name());
  v1::Milestone read;
  ASSERT_TRUE(IsOk(projects().GetMilestone(Context().get(), get, &read)));
  EXPECT_FALSE(read.has_actual_date());
}

}  // namespace
}  // namespace portfolio

namespace portfolio {
namespace {

TEST_F(ProjectsTest, ListMilestonesOverdueFalseLeavesOutTheOverdue) {
  CreateProject("alpha");
  // Today is 2024-07-15: the first is overdue, the second is not.
  const std::string late =
      AddMilestone("alpha", v1::MILESTONE_KIND_START, MakeDate(2024, 5, 1))
          .name();
  const std::string ahead = AddMilestone("alpha", v1::MILESTONE_KIND_COMPLETION,
                                         MakeDate(2024, 12, 1))
                                .name();
  EXPECT_EQ(ListMilestoneNames("projects/alpha", "overdue = true"),
            (std::vector<std::string>{late}));
  EXPECT_EQ(ListMilestoneNames("projects/alpha", "overdue = false"),
            (std::vector<std::string>{ahead}));
}

TEST_F(ProjectsTest, MilestoneIdsOfTheServersFormCannotBeChosen) {
  CreateProject("alpha");
  v1::CreateMilestoneRequest request;
  request.set_parent("projects/alpha");
  request.mutable_milestone()->set_kind(v1::MILESTONE_KIND_START);
  request.set_milestone_id("m9223372036854775807");
  v1::Milestone out;
  EXPECT_TRUE(
      IsFieldError(projects().CreateMilestone(Context().get(), request, &out),
                   grpc::StatusCode::INVALID_ARGUMENT, "milestone_id"));
  // The server's own numbering still works.
  EXPECT_EQ(
      AddMilestone("alpha", v1::MILESTONE_KIND_START, MakeDate(2024, 5, 1))
          .name(),
      "projects/alpha/milestones/m1");
}

TEST_F(ProjectsTest, ANameWithAnInvalidIdIsInvalidArgument) {
  v1::Project out;
  EXPECT_TRUE(IsFieldError(TryGet("projects/ABC", &out),
                           grpc::StatusCode::INVALID_ARGUMENT, "name"));
}

TEST_F(ProjectsTest, AnOverlongFilterIsRefusedWithAShortMessage) {
  v1::ListProjectsRequest request;
  request.set_filter("park = \"" + std::string(5000, 'x') + "\"");
  v1::ListProjectsResponse response;
  const grpc::Status status =
      projects().ListProjects(Context().get(), request, &response);
  EXPECT_TRUE(
      IsFieldError(status, grpc::StatusCode::INVALID_ARGUMENT, "filter"));
  EXPECT_LT(status.error_message().size(), 200u);
}

TEST_F(ProjectsTest, TotalInvestmentAboveTheLimitIsRefused) {
  v1::Project fields;
  fields.set_display_name("too big");
  fields.set_total_investment(std::numeric_limits<int64_t>::max());
  v1::Project out;
  EXPECT_TRUE(IsFieldError(TryCreate("huge", fields, &out),
                           grpc::StatusCode::INVALID_ARGUMENT,
                           "total_investment"));
}

}  // namespace
}  // namespace portfolio
