// How an audit event's detail reads: an accepted call's event keeps its
// request's bytes and is rendered as JSON when read; older events and
// refused calls keep their text; bytes this build cannot read say so.
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "portfolio/v1/service.pb.h"
#include "server/service_base.h"
#include "storage/records.h"

namespace portfolio {
namespace {

constexpr char kLogInvestment[] =
    "/portfolio.v1.InvestmentService/LogInvestment";

AuditRecord Accepted(const std::string& method, const std::string& bytes) {
  AuditRecord e;
  e.method = method;
  e.outcome = "OK";
  e.request = bytes;
  return e;
}

TEST(AuditDetailTest, AKeptRequestReadsAsItsJsonWithProtoFieldNames) {
  v1::LogInvestmentRequest request;
  request.set_parent("projects/p1");
  request.mutable_period()->set_year(2024);
  request.mutable_period()->set_month(6);
  request.set_amount(30'000'000);
  request.set_note("三千万");
  EXPECT_EQ(
      AuditDetailOf(Accepted(kLogInvestment, request.SerializeAsString())),
      "{\"parent\":\"projects/p1\",\"period\":{\"year\":2024,\"month\":6},"
      "\"amount\":\"30000000\",\"note\":\"三千万\"}");
  // Every field at its default: no bytes, and still a request.
  EXPECT_EQ(AuditDetailOf(Accepted(kLogInvestment, "")), "{}");
}

TEST(AuditDetailTest, AnEventWithoutARequestReadsAsItsStoredDetail) {
  AuditRecord refused;
  refused.method = kLogInvestment;
  refused.outcome = "NOT_FOUND";
  refused.detail = "project p9 not found";
  EXPECT_EQ(AuditDetailOf(refused), "project p9 not found");
  // Recorded before requests were kept: the JSON made then.
  AuditRecord older = refused;
  older.outcome = "OK";
  older.detail = "{\"parent\":\"projects/p1\"}";
  EXPECT_EQ(AuditDetailOf(older), "{\"parent\":\"projects/p1\"}");
}

TEST(AuditDetailTest, BytesThisBuildCannotReadSaySoInsteadOfFailing) {
  const std::string unknown =
      AuditDetailOf(Accepted("/portfolio.v1.NoSuchService/Gone", "\x08\x01"));
  EXPECT_TRUE(absl::StrContains(unknown, "2 bytes")) << unknown;
  EXPECT_TRUE(absl::StrContains(unknown, "does not know")) << unknown;
  const std::string damaged =
      AuditDetailOf(Accepted(kLogInvestment, std::string("\x0a\xff\xff", 3)));
  EXPECT_TRUE(absl::StrContains(
      damaged, "does not parse as portfolio.v1.LogInvestmentRequest"))
      << damaged;
}

// What is kept: the request without its request id, and without fields
// this build does not know, which a caller could otherwise fill the
// append-only trail with, unseen in any rendering.
TEST(AuditDetailTest, TheKeptRequestLeavesOutTheRequestIdAndUnknownFields) {
  v1::LogInvestmentRequest request;
  request.set_parent("projects/p1");
  request.set_amount(5);
  request.set_request_id("retry-me");
  request.GetReflection()->MutableUnknownFields(&request)->AddLengthDelimited(
      999, std::string(1000, 'x'));
  v1::LogInvestmentRequest kept;
  ASSERT_TRUE(kept.ParseFromString(AuditRequestOf(request)));
  EXPECT_EQ(kept.parent(), "projects/p1");
  EXPECT_EQ(kept.amount(), 5);
  EXPECT_EQ(kept.request_id(), "");
  EXPECT_TRUE(kept.GetReflection()->GetUnknownFields(kept).empty());
  EXPECT_LT(AuditRequestOf(request).size(), 100u);
}

// Kept by another build with a field this one does not know: the fields it
// knows as JSON, and a word about the rest.
TEST(AuditDetailTest, FieldsThisBuildDoesNotKnowAreNotedBesideTheJson) {
  v1::LogInvestmentRequest request;
  request.set_parent("projects/p1");
  request.GetReflection()->MutableUnknownFields(&request)->AddVarint(999, 7);
  const std::string detail =
      AuditDetailOf(Accepted(kLogInvestment, request.SerializeAsString()));
  EXPECT_TRUE(absl::StartsWith(detail, "{\"parent\":\"projects/p1\"}"))
      << detail;
  EXPECT_TRUE(absl::StrContains(detail,
                                "bytes of fields this server does "
                                "not know"))
      << detail;
}

}  // namespace
}  // namespace portfolio
