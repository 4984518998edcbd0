// IndicatorService over a real server: the report's numeric targets and the
// values reached.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/server/integration_fixture.h"

namespace portfolio {
namespace {

using grpc::StatusCode;
using testing::HasError;
using testing::IsFieldError;
using testing::IsOk;
using testing::kThisMonth;
using testing::kThisYear;

v1::IndicatorTarget Target(int year, v1::Comparator comparator,
                           const std::string& value) {
  v1::IndicatorTarget t;
  t.set_year(year);
  t.set_comparator(comparator);
  t.set_value(value);
  return t;
}

v1::Indicator GrowthRate(int chapter) {
  v1::Indicator i;
  i.set_display_name("地区生产总值增长");
  i.set_unit("%");
  i.set_chapter(chapter);
  i.set_kind(v1::INDICATOR_KIND_GROWTH_RATE);
  *i.add_targets() = Target(2024, v1::COMPARATOR_ABOUT, "6");
  return i;
}

// The target of `year`, or nullptr.
const v1::IndicatorTarget* TargetOf(const v1::Indicator& indicator, int year) {
  for (const v1::IndicatorTarget& t : indicator.targets()) {
    if (t.year() == year) return &t;
  }
  return nullptr;
}

class IndicatorsTest : public testing::IntegrationTest {
 protected:
  grpc::Status TryCreate(const std::string& id, const v1::Indicator& indicator,
                         v1::Indicator* out) {
    v1::CreateIndicatorRequest request;
    *request.mutable_indicator() = indicator;
    request.set_indicator_id(id);
    return indicators().CreateIndicator(Context().get(), request, out);
  }

  grpc::Status TryGet(const std::string& name, v1::Indicator* out) {
    v1::GetIndicatorRequest request;
    request.set_name(name);
    return indicators().GetIndicator(Context().get(), request, out);
  }

  grpc::Status TryUpdate(const v1::Indicator& indicator,
                         const std::vector<std::string>& mask,
                         v1::Indicator* out) {
    v1::UpdateIndicatorRequest request;
    *request.mutable_indicator() = indicator;
    for (const std::string& path : mask) {
      request.mutable_update_mask()->add_paths(path);
    }
    return indicators().UpdateIndicator(Context().get(), request, out);
  }

  grpc::Status TryRecord(const std::string& id, int year, int month,
                         const std::string& value, v1::Indicator* out) {
    v1::RecordIndicatorValueRequest request;
    request.set_name(absl::StrCat("indicators/", id));
    request.mutable_value()->set_year(year);
    request.mutable_value()->set_month(month);
    request.mutable_value()->set_value(value);
    request.mutable_value()->set_source("统计局");
    return indicators().RecordIndicatorValue(Context().get(), request, out);
  }

  // The names ListIndicators returns for `filter`, following every page.
  std::vector<std::string> ListNames(const std::string& filter) {
    std::vector<std::string> names;
    v1::ListIndicatorsRequest request;
    request.set_filter(filter);
    while (true) {
      v1::ListIndicatorsResponse response;
      const grpc::Status status =
          indicators().ListIndicators(Context().get(), request, &response);
      EXPECT_TRUE(IsOk(status)) << "filter [" << filter << "]";
      if (!status.ok()) break;
      for (const v1::Indicator& i : response.indicators()) {
        names.push_back(i.name());
      }
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return names;
  }
};

TEST_F(IndicatorsTest, CreateReturnsTheIndicatorAndGetReadsItBack) {
  v1::Indicator fields = GrowthRate(0);
  *fields.add_targets() = Target(2025, v1::COMPARATOR_AT_LEAST, "6.5");

  const v1::Indicator created = CreateIndicator("gdp-growth", fields);

  EXPECT_EQ(created.name(), "indicators/gdp-growth");
  EXPECT_EQ(created.display_name(), fields.display_name());
  EXPECT_EQ(created.unit(), "%");
  EXPECT_EQ(created.kind(), v1::INDICATOR_KIND_GROWTH_RATE);
  ASSERT_EQ(created.targets_size(), 2);
  ASSERT_NE(TargetOf(created, 2025), nullptr);
  EXPECT_EQ(TargetOf(created, 2025)->value(), "6.5");
  EXPECT_EQ(TargetOf(created, 2025)->comparator(), v1::COMPARATOR_AT_LEAST);
  EXPECT_FALSE(created.etag().empty());
  v1::Indicator read;
  ASSERT_TRUE(IsOk(TryGet("indicators/gdp-growth", &read)));
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());
}

TEST_F(IndicatorsTest, CreateWithATakenIdIsAlreadyExists) {
  CreateIndicator("gdp-growth", GrowthRate(0));
  v1::Indicator out;
  EXPECT_TRUE(HasError(TryCreate("gdp-growth", GrowthRate(1), &out),
                       StatusCode::ALREADY_EXISTS, "gdp-growth"));
}

TEST_F(IndicatorsTest, CreateWithABadIdIsInvalidArgument) {
  v1::Indicator out;
  EXPECT_TRUE(IsFieldError(TryCreate("GDP Growth", GrowthRate(0), &out),
                           StatusCode::INVALID_ARGUMENT, "indicator_id"));
}

TEST_F(IndicatorsTest, ATargetWithoutAComparatorIsInvalidArgument) {
  v1::Indicator fields = GrowthRate(0);
  fields.mutable_targets(0)->clear_comparator();
  v1::Indicator out;

  EXPECT_TRUE(IsFieldError(TryCreate("gdp-growth", fields, &out),
                           StatusCode::INVALID_ARGUMENT,
                           "targets[0].comparator"));
  EXPECT_TRUE(HasError(TryGet("indicators/gdp-growth", &out),
                       StatusCode::NOT_FOUND, "gdp-growth"));
}

TEST_F(IndicatorsTest, ATargetThatIsNotAPlainDecimalIsInvalidArgument) {
  v1::Indicator fields = GrowthRate(0);
  fields.mutable_targets(0)->set_value("6%");
  v1::Indicator out;

  EXPECT_TRUE(IsFieldError(TryCreate("gdp-growth", fields, &out),
                           StatusCode::INVALID_ARGUMENT, "targets[0].value"));
}

TEST_F(IndicatorsTest, GetAnUnknownIndicatorIsNotFound) {
  v1::Indicator out;
  EXPECT_TRUE(HasError(TryGet("indicators/nothing", &out),
                       StatusCode::NOT_FOUND, "nothing"));
}

TEST_F(IndicatorsTest, ListFiltersByChapter) {
  CreateIndicator("chapter-one", GrowthRate(1));
  CreateIndicator("chapter-four", GrowthRate(4));

  EXPECT_EQ(ListNames("chapter = 4"),
            (std::vector<std::string>{"indicators/chapter-four"}));
}

TEST_F(IndicatorsTest, ListFiltersByKind) {
  CreateIndicator("growth", GrowthRate(1));
  v1::Indicator count;
  count.set_unit("个");
  count.set_kind(v1::INDICATOR_KIND_COUNT);
  CreateIndicator("new-firms", count);

  EXPECT_EQ(ListNames("kind = COUNT"),
            (std::vector<std::string>{"indicators/new-firms"}));
  EXPECT_EQ(ListNames("kind = GROWTH_RATE"),
            (std::vector<std::string>{"indicators/growth"}));
}

TEST_F(IndicatorsTest, ListFiltersByTheYearOfATargetOrAValue) {
  CreateIndicator("target-2024", GrowthRate(1));
  v1::Indicator later;
  later.set_unit("%");
  *later.add_targets() = Target(2025, v1::COMPARATOR_AT_LEAST, "7");
  CreateIndicator("target-2025", later);
  v1::Indicator unrelated;
  unrelated.set_unit("%");
  *unrelated.add_targets() = Target(2026, v1::COMPARATOR_AT_LEAST, "7");
  CreateIndicator("target-2026", unrelated);
  // A value reached in 2024 puts target-2025 in the 2024 list too, so that
  // `year = 2023` finds the previous year's actuals.
  v1::Indicator recorded;
  ASSERT_TRUE(IsOk(TryRecord("target-2025", 2024, 6, "3.1", &recorded)));

  EXPECT_EQ(ListNames("year = 2024"),
            (std::vector<std::string>{"indicators/target-2025",
                                      "indicators/target-2024"}));
  EXPECT_EQ(ListNames("year = 2025"),
            (std::vector<std::string>{"indicators/target-2025"}));
}

TEST_F(IndicatorsTest, UpdateChangesOnlyTheFieldsInTheMask) {
  const v1::Indicator created = CreateIndicator("gdp-growth", GrowthRate(0));
  v1::Indicator change;
  change.set_name(created.name());
  change.set_unit("个百分点");
  change.set_chapter(5);
  v1::Indicator updated;

  ASSERT_TRUE(IsOk(TryUpdate(change, {"unit"}, &updated)));

  EXPECT_EQ(updated.unit(), "个百分点");
  EXPECT_EQ(updated.chapter(), created.chapter());
  EXPECT_EQ(updated.targets_size(), created.targets_size());
  EXPECT_NE(updated.etag(), created.etag());
}

TEST_F(IndicatorsTest, UpdateWithAStaleEtagIsAborted) {
  const v1::Indicator created = CreateIndicator("gdp-growth", GrowthRate(0));
  v1::Indicator change;
  change.set_name(created.name());
  change.set_etag(created.etag());
  change.set_display_name("GDP 增速");
  v1::Indicator updated;
  ASSERT_TRUE(IsOk(TryUpdate(change, {"display_name"}, &updated)));

  change.set_display_name("GDP 增长率");
  EXPECT_TRUE(IsFieldError(TryUpdate(change, {"display_name"}, &updated),
                           StatusCode::ABORTED, "etag"));
  v1::Indicator read;
  ASSERT_TRUE(IsOk(TryGet(created.name(), &read)));
  EXPECT_EQ(read.display_name(), "GDP 增速");
}

TEST_F(IndicatorsTest, UpdateWithAnUnknownMaskPathIsInvalidArgument) {
  const v1::Indicator created = CreateIndicator("gdp-growth", GrowthRate(0));
  v1::Indicator change;
  change.set_name(created.name());
  v1::Indicator updated;

  EXPECT_TRUE(IsFieldError(TryUpdate(change, {"values"}, &updated),
                           StatusCode::INVALID_ARGUMENT, "update_mask"));
}

TEST_F(IndicatorsTest, RecordedValuesAreAppendedOldestFirst) {
  CreateIndicator("gdp-growth", GrowthRate(0));
  v1::Indicator after_first, after_second;

  ASSERT_TRUE(IsOk(TryRecord("gdp-growth", 2024, 5, "5.2", &after_first)));
  ASSERT_TRUE(IsOk(TryRecord("gdp-growth", 2024, 6, "5.8", &after_second)));

  ASSERT_EQ(after_first.values_size(), 1);
  ASSERT_EQ(after_second.values_size(), 2);
  EXPECT_EQ(after_second.values(0).month(), 5);
  EXPECT_EQ(after_second.values(0).value(), "5.2");
  EXPECT_EQ(after_second.values(1).month(), 6);
  EXPECT_EQ(after_second.values(1).value(), "5.8");
  EXPECT_FALSE(after_second.values(1).recorded_by().empty());
  EXPECT_EQ(after_second.values(1).record_time().seconds(),
            absl::ToUnixSeconds(testing::TestNow()));
  EXPECT_EQ(after_second.targets_size(), 1);
}

// The same figure recorded again (a command run twice) is one value; a
// new figure, or the same one from another source, is history.
TEST_F(IndicatorsTest, ThePeriodsLatestValueAgainRecordsNothing) {
  CreateIndicator("gdp-growth", GrowthRate(0));
  v1::Indicator out;
  ASSERT_TRUE(IsOk(TryRecord("gdp-growth", 2024, 6, "5.8", &out)));
  const std::string etag = out.etag();
  ASSERT_TRUE(IsOk(TryRecord("gdp-growth", 2024, 6, "5.8", &out)));
  EXPECT_EQ(out.values_size(), 1);
  EXPECT_EQ(out.etag(), etag);
  ASSERT_TRUE(IsOk(TryRecord("gdp-growth", 2024, 6, "5.9", &out)));
  ASSERT_TRUE(IsOk(TryRecord("gdp-growth", 2024, 6, "5.8", &out)));
  EXPECT_EQ(out.values_size(), 3);  // back to 5.8: that is news
  ASSERT_TRUE(IsOk(TryRecord("gdp-growth", 2024, 0, "5.8", &out)));
  EXPECT_EQ(out.values_size(), 4);  // the year, not June
  v1::RecordIndicatorValueRequest other_source;
  other_source.set_name("indicators/gdp-growth");
  other_source.mutable_value()->set_year(2024);
  other_source.mutable_value()->set_value("5.8");
  other_source.mutable_value()->set_source("统计公报");
  ASSERT_TRUE(IsOk(
      indicators().RecordIndicatorValue(Context().get(), other_source, &out)));
  EXPECT_EQ(out.values_size(), 5);
}

TEST_F(IndicatorsTest, OnlyAGrowthRateMayFallBelowZero) {
  CreateIndicator("gdp-growth", GrowthRate(0));
  v1::Indicator out;
  ASSERT_TRUE(IsOk(TryRecord("gdp-growth", 2024, 6, "-1.5", &out)));

  v1::Indicator firms;
  firms.set_display_name("新增市场主体");
  firms.set_kind(v1::INDICATOR_KIND_COUNT);
  CreateIndicator("new-firms", firms);
  EXPECT_TRUE(IsFieldError(TryRecord("new-firms", 2024, 6, "-3", &out),
                           StatusCode::INVALID_ARGUMENT, "value.value"));
  ASSERT_TRUE(IsOk(TryRecord("new-firms", 2024, 6, "-0", &out)));

  v1::Indicator negative = firms;
  *negative.add_targets() = Target(2024, v1::COMPARATOR_AT_LEAST, "-10");
  EXPECT_TRUE(IsFieldError(TryCreate("fewer-firms", negative, &out),
                           StatusCode::INVALID_ARGUMENT, "targets[0].value"));

  // A growth rate's falling target may not become a count's.
  v1::Indicator shrink = GrowthRate(0);
  shrink.mutable_targets(0)->set_value("-2");
  ASSERT_TRUE(IsOk(TryCreate("shrink", shrink, &out)));
  v1::Indicator as_count;
  as_count.set_name("indicators/shrink");
  as_count.set_kind(v1::INDICATOR_KIND_COUNT);
  EXPECT_TRUE(IsFieldError(TryUpdate(as_count, {"kind"}, &out),
                           StatusCode::INVALID_ARGUMENT, "kind"));
}

TEST_F(IndicatorsTest, RecordingForMonth13IsInvalidArgument) {
  CreateIndicator("gdp-growth", GrowthRate(0));
  v1::Indicator out;
  EXPECT_TRUE(IsFieldError(TryRecord("gdp-growth", 2023, 13, "5", &out),
                           StatusCode::INVALID_ARGUMENT, "value.month"));
}

TEST_F(IndicatorsTest, RecordingForAFutureYearOrMonthIsInvalidArgument) {
  CreateIndicator("gdp-growth", GrowthRate(0));
  v1::Indicator out;

  EXPECT_TRUE(IsFieldError(TryRecord("gdp-growth", kThisYear + 1, 0, "5", &out),
                           StatusCode::INVALID_ARGUMENT, "value.year"));
  EXPECT_TRUE(IsFieldError(
      TryRecord("gdp-growth", kThisYear, kThisMonth + 1, "5", &out),
      StatusCode::INVALID_ARGUMENT, "value.month"));
  ASSERT_TRUE(IsOk(TryGet("indicators/gdp-growth", &out)));
  EXPECT_EQ(out.values_size(), 0);
}

TEST_F(IndicatorsTest, RecordingAValueThatIsNotAPlainDecimalIsInvalidArgument) {
  CreateIndicator("gdp-growth", GrowthRate(0));
  v1::Indicator out;
  EXPECT_TRUE(IsFieldError(TryRecord("gdp-growth", 2024, 6, "6%", &out),
                           StatusCode::INVALID_ARGUMENT, "value.value"));
}

TEST_F(IndicatorsTest, RecordingForAnUnknownIndicatorIsNotFound) {
  v1::Indicator out;
  EXPECT_TRUE(HasError(TryRecord("nothing", 2024, 6, "5", &out),
                       StatusCode::NOT_FOUND, "nothing"));
}

}  // namespace
}  // namespace portfolio
