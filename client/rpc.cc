#include "client/rpc.h"

#include <random>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/errors.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace portfolio::client {
namespace {

// Retries a call the server could not take (UNAVAILABLE) a few times within
// its deadline. Request ids make this safe for mutations too.
constexpr char kServiceConfig[] = R"json({
  "methodConfig": [{
    "name": [
      {"service": "portfolio.v1.ProjectService"},
      {"service": "portfolio.v1.InvestmentService"},
      {"service": "portfolio.v1.IndicatorService"},
      {"service": "portfolio.v1.PortfolioService"}
    ],
    "retryPolicy": {
      "maxAttempts": 3,
      "initialBackoff": "0.2s",
      "maxBackoff": "1s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
})json";

std::shared_ptr<grpc::Channel> NewChannel(const std::string& addr) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  args.SetServiceConfigJSON(kServiceConfig);
  return grpc::CreateCustomChannel(addr, grpc::InsecureChannelCredentials(),
                                   args);
}

// Field violations from google.rpc.BadRequest details that the message
// does not already say, one `field: description` each.
std::vector<std::string> ExtraViolations(const grpc::Status& status) {
  std::vector<std::string> extra;
  google::rpc::Status details;
  if (status.error_details().empty() ||
      !details.ParseFromString(status.error_details())) {
    return extra;
  }
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations()) {
      if (absl::StrContains(status.error_message(), violation.description())) {
        continue;
      }
      extra.push_back(
          absl::StrCat(violation.field(), ": ", violation.description()));
    }
  }
  return extra;
}

}  // namespace

std::string NewRequestId() {
  std::random_device device;
  std::uniform_int_distribution<uint32_t> word;
  std::string id;
  for (int i = 0; i < 4; ++i) absl::StrAppendFormat(&id, "%08x", word(device));
  return id;
}

RpcClient::RpcClient(Connection connection, absl::Duration timeout)
    : connection_(std::move(connection)),
      timeout_(timeout),
      channel_(NewChannel(connection_.addr)),
      projects_(v1::ProjectService::NewStub(channel_)),
      investments_(v1::InvestmentService::NewStub(channel_)),
      indicators_(v1::IndicatorService::NewStub(channel_)),
      portfolios_(v1::PortfolioService::NewStub(channel_)) {}

void RpcClient::Prepare(grpc::ClientContext* context) const {
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
  if (!connection_.token.empty()) {
    context->AddMetadata("authorization",
                         absl::StrCat("Bearer ", connection_.token));
  }
}

absl::Status RpcClient::ToStatus(const grpc::Status& status) const {
  if (status.ok()) return absl::OkStatus();
  const auto code = static_cast<absl::StatusCode>(status.error_code());
  const std::string where = connection_.addr_source == "default"
                                ? connection_.addr
                                : absl::StrCat(connection_.addr, " (from ",
                                               connection_.addr_source, ")");
  constexpr char kHint[] =
      "\nIs the server running? Start one with `scripts/dev up`, or point "
      "--addr or PORTFOLIO_ADDR at it.";
  if (code == absl::StatusCode::kUnavailable) {
    return WithExitCode(absl::UnavailableError(
                            absl::StrCat("cannot reach the server at ", where,
                                         ": ", status.error_message(), kHint)),
                        ExitCode::kUnreachable);
  }
  if (code == absl::StatusCode::kDeadlineExceeded) {
    return WithExitCode(
        absl::DeadlineExceededError(absl::StrCat(
            "no answer from the server at ", where, " within ",
            absl::FormatDuration(timeout_), " (DEADLINE_EXCEEDED)", kHint)),
        ExitCode::kUnreachable);
  }
  std::string message = absl::StrCat(absl::StatusCodeToString(code), ": ",
                                     status.error_message());
  for (const std::string& line : ExtraViolations(status)) {
    absl::StrAppend(&message, "\n  ", line);
  }
  return WithExitCode(absl::Status(code, message), ExitCode::kRefused);
}

}  // namespace portfolio::client
