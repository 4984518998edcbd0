// The fixture of the importer tests: a fresh SQLite store per test, each
// import run in one transaction the way the server runs it, and reads of
// what was committed.
#ifndef PORTFOLIO_TESTS_SERVER_IMPORTER_FIXTURE_H_
#define PORTFOLIO_TESTS_SERVER_IMPORTER_FIXTURE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "server/importer.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_store.h"

namespace portfolio {

// Imports into a fresh SQLite store, each import in one transaction the
// way the server runs it, and reads back what was committed. The clock
// stands at 2024-07-15 09:00 in the district.
class ImporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Store>> store = testing::OpenStoreIn(dir_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  absl::StatusOr<ImportCounts> Import(ImportKind kind, const std::string& file,
                                      const std::string& content) {
    absl::StatusOr<ImportCounts> counts = absl::UnknownError("not run");
    const absl::Status committed = store_->Write([&](StoreWriter& w) {
      counts = ImportCsv(w, kind, file, content, "importer", clock_.Now());
      return counts.status();
    });
    if (!committed.ok()) return committed;
    return counts;
  }

  // Imports and expects success with the given counts.
  void ImportOk(ImportKind kind, const std::string& content, int created,
                int updated) {
    absl::StatusOr<ImportCounts> counts = Import(kind, "file.csv", content);
    ASSERT_TRUE(counts.ok()) << counts.status();
    EXPECT_EQ(counts->created, created);
    EXPECT_EQ(counts->updated, updated);
  }

  // Leads must be users: creates them.
  void AddUsers(const std::vector<std::string>& ids) {
    ASSERT_TRUE(store_
                    ->Write([&](StoreWriter& w) -> absl::Status {
                      for (const std::string& id : ids) {
                        UserRecord u;
                        u.id = id;
                        u.role = "lead";
                        u.create_time = clock_.Now();
                        absl::Status s = w.InsertUser(u);
                        if (!s.ok()) return s;
                      }
                      return absl::OkStatus();
                    })
                    .ok());
  }

  absl::StatusOr<ProjectRecord> GetProject(const std::string& id) {
    absl::StatusOr<ProjectRecord> p = absl::UnknownError("not run");
    const absl::Status read = store_->Read([&](StoreReader& r) {
      p = r.GetProject(id);
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    return p;
  }

  absl::StatusOr<PlanRecord> GetPlan(const std::string& id, int year) {
    absl::StatusOr<PlanRecord> plan = absl::UnknownError("not run");
    const absl::Status read = store_->Read([&](StoreReader& r) {
      plan = r.GetPlan(id, year);
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    return plan;
  }

  absl::StatusOr<IndicatorRecord> GetIndicator(const std::string& id) {
    absl::StatusOr<IndicatorRecord> i = absl::UnknownError("not run");
    const absl::Status read = store_->Read([&](StoreReader& r) {
      i = r.GetIndicator(id);
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    return i;
  }

  absl::StatusOr<PortfolioRecord> GetPortfolio(int year) {
    absl::StatusOr<PortfolioRecord> p = absl::UnknownError("not run");
    const absl::Status read = store_->Read([&](StoreReader& r) {
      p = r.GetPortfolio(year);
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    return p;
  }

  // Runs `fn` over a snapshot and returns what it returned (or the read's
  // error), e.g. ReadBack([](StoreReader& r) { return r.GetUser("li"); }).
  template <typename Fn>
  auto ReadBack(Fn fn) -> decltype(fn(std::declval<StoreReader&>())) {
    decltype(fn(std::declval<StoreReader&>())) result =
        absl::UnknownError("not run");
    const absl::Status read = store_->Read([&](StoreReader& r) {
      result = fn(r);
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    return result;
  }

  int64_t ProjectCount() {
    int64_t total = -1;
    const absl::Status read = store_->Read([&](StoreReader& r) {
      absl::StatusOr<ProjectPage> page = r.ListProjects({});
      if (!page.ok()) return page.status();
      total = page->total;
      return absl::OkStatus();
    });
    EXPECT_TRUE(read.ok()) << read;
    return total;
  }

  testing::TempDir dir_;
  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2024, 7, 15, 9, 0, 0),
                                   DistrictTimeZone())};
  std::unique_ptr<Store> store_;
};

}  // namespace portfolio

#endif  // PORTFOLIO_TESTS_SERVER_IMPORTER_FIXTURE_H_
