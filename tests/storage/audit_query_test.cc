// The audit trail's listing: every combination of filters, both orders and
// paging, checked against the same filters applied by hand to the events
// as appended. The statement takes a different form for each combination
// (only the filters asked for are said), so each form is run.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_store.h"

namespace portfolio {
namespace {

class AuditQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Store>> store = testing::OpenStoreIn(dir_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  // Appends 60 events by three users on three projects (and on things
  // that are not projects), with a clock that steps back once, as a
  // corrected system clock would.
  void AppendTrail() {
    const std::vector<std::string> resources = {"projects/p1",
                                                "projects/p1/investments/3",
                                                "projects/p10",
                                                "projects/p2/milestones/start",
                                                "users/u1",
                                                "projects/p1x/investments/1",
                                                "reportingPeriods/2024-06"};
    absl::Time t = absl::FromUnixSeconds(1720000000);
    const absl::Status s = store_->Write([&](StoreWriter& w) -> absl::Status {
      for (int i = 0; i < 60; ++i) {
        AuditRecord e;
        t += i == 30 ? -absl::Minutes(90) : absl::Minutes(3);
        e.time = t;
        e.user_id = absl::StrCat("u", i % 3);
        e.method = "LogInvestment";
        e.resource = resources[(i * 5) % resources.size()];
        e.outcome = i % 4 == 0 ? "INVALID_ARGUMENT" : "OK";
        absl::StatusOr<int64_t> seq = w.AppendAudit(e);
        if (!seq.ok()) return seq.status();
        e.seq = *seq;
        trail_.push_back(e);
      }
      return absl::OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s;
  }

  // The answer by hand: the trail filtered, ordered and paged.
  std::vector<int64_t> Expected(const AuditQuery& q) const {
    std::vector<int64_t> seqs;
    for (const AuditRecord& e : trail_) {
      if (q.project_id) {
        const std::string p = absl::StrCat("projects/", *q.project_id);
        if (e.resource != p && !absl::StartsWith(e.resource, p + "/")) continue;
      }
      if (q.user_id && e.user_id != *q.user_id) continue;
      if (q.since && e.time < *q.since) continue;
      if (q.after_seq && e.seq <= *q.after_seq) continue;
      if (q.before_seq && e.seq >= *q.before_seq) continue;
      if (q.accepted_only && e.outcome != "OK") continue;
      seqs.push_back(e.seq);
    }
    std::sort(seqs.begin(), seqs.end());
    if (!q.oldest_first) std::reverse(seqs.begin(), seqs.end());
    const size_t from = std::min<size_t>(q.offset, seqs.size());
    const size_t to = std::min<size_t>(from + q.limit, seqs.size());
    return std::vector<int64_t>(seqs.begin() + from, seqs.begin() + to);
  }

  std::vector<int64_t> Listed(const AuditQuery& q) {
    std::vector<int64_t> seqs;
    const absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
      absl::StatusOr<std::vector<AuditRecord>> events = r.ListAudit(q);
      if (!events.ok()) return events.status();
      for (const AuditRecord& e : *events) seqs.push_back(e.seq);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return seqs;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::vector<AuditRecord> trail_;
};

TEST_F(AuditQueryTest, EveryCombinationOfFiltersMatchesTheTrailFilteredByHand) {
  AppendTrail();
  ASSERT_EQ(trail_.size(), 60u);
  // Just after the 20th event's time: later than events appended after the
  // clock stepped back, so the trail's times are not in key order here.
  const absl::Time since = trail_[20].time + absl::Seconds(1);
  int nonempty = 0;
  for (int mask = 0; mask < 64; ++mask) {
    for (bool oldest_first : {false, true}) {
      for (auto [offset, limit] : {std::pair<int64_t, int64_t>{0, 50},
                                   std::pair<int64_t, int64_t>{2, 3}}) {
        AuditQuery q;
        if (mask & 1) q.project_id = "p1";
        if (mask & 2) q.user_id = "u1";
        if (mask & 4) q.since = since;
        if (mask & 8) q.after_seq = trail_[10].seq;
        q.accepted_only = (mask & 16) != 0;
        if (mask & 32) q.before_seq = trail_[50].seq;
        q.oldest_first = oldest_first;
        q.offset = offset;
        q.limit = limit;
        const std::vector<int64_t> expected = Expected(q);
        if (!expected.empty()) ++nonempty;
        EXPECT_EQ(Listed(q), expected)
            << "mask=" << mask << " oldest_first=" << oldest_first
            << " offset=" << offset;
      }
    }
  }
  // The trail is shaped so that most combinations find something.
  EXPECT_GT(nonempty, 200);
}

TEST_F(AuditQueryTest, SinceAfterTheLastEventFindsNothing) {
  AppendTrail();
  AuditQuery q;
  q.since = absl::FromUnixSeconds(1720000000) + absl::Hours(24);
  EXPECT_TRUE(Listed(q).empty());
}

// An accepted call's event keeps its request's bytes exactly, an empty
// request (every field at its default) as empty bytes, and a refused
// call's event none, only its detail.
TEST_F(AuditQueryTest, AnEventKeepsItsRequestBytesOrNone) {
  const std::vector<std::optional<std::string>> requests = {
      std::string("\x0a\x03\x00\xffp", 6), std::string(), std::nullopt};
  const absl::Status s = store_->Write([&](StoreWriter& w) -> absl::Status {
    for (const std::optional<std::string>& request : requests) {
      AuditRecord e;
      e.time = absl::FromUnixSeconds(1720000000);
      e.user_id = "u1";
      e.method = "/portfolio.v1.InvestmentService/LogInvestment";
      e.outcome = request.has_value() ? "OK" : "NOT_FOUND";
      e.detail = request.has_value() ? "" : "project p9 not found";
      e.request = request;
      absl::StatusOr<int64_t> seq = w.AppendAudit(e);
      if (!seq.ok()) return seq.status();
    }
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
  AuditQuery q;
  q.oldest_first = true;
  std::vector<AuditRecord> events;
  ASSERT_TRUE(store_
                  ->Read([&](StoreReader& r) -> absl::Status {
                    absl::StatusOr<std::vector<AuditRecord>> listed =
                        r.ListAudit(q);
                    if (!listed.ok()) return listed.status();
                    events = *std::move(listed);
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].request, requests[0]);
  EXPECT_EQ(events[1].request, requests[1]);
  EXPECT_EQ(events[2].request, std::nullopt);
  EXPECT_EQ(events[2].detail, "project p9 not found");
}

}  // namespace
}  // namespace portfolio
