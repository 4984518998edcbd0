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
// its deadline. Request ids make this safe for mutations too; CreateToken
// has none (a retry would make a second token), so its own entry, which
// takes precedence over its service's, has no retry policy.
constexpr char kServiceConfig[] = R"json({
  "methodConfig": [{
    "name": [
      {"service": "portfolio.v1.ProjectService"},
      {"service": "portfolio.v1.InvestmentService"},
      {"service": "portfolio.v1.IndicatorService"},
      {"service": "portfolio.v1.PortfolioService"},
      {"service": "portfolio.v1.AdminService"}
    ],
    "retryPolicy": {
      "maxAttempts": 3,
      "initialBackoff": "0.2s",
      "maxBackoff": "1s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }, {
    "name": [{"service": "portfolio.v1.AdminService", "method": "CreateToken"}]
  }]
})json";

std::shared_ptr<grpc::ChannelCredentials> Credentials(
    const Connection& connection) {
  if (connection.ca_path.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = connection.ca_pem;
  return grpc::SslCredentials(options);
}

std::shared_ptr<grpc::Channel> NewChannel(const Connection& connection) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  args.SetServiceConfigJSON(kServiceConfig);
  return grpc::CreateCustomChannel(connection.addr, Credentials(connection),
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
      channel_(NewChannel(connection_)),
      projects_(v1::ProjectService::NewStub(channel_)),
      investments_(v1::InvestmentService::NewStub(channel_)),
      indicators_(v1::IndicatorService::NewStub(channel_)),
      problems_(v1::ProblemService::NewStub(channel_)),
      portfolios_(v1::PortfolioService::NewStub(channel_)),
      admin_(v1::AdminService::NewStub(channel_)) {}

void RpcClient::Prepare(grpc::ClientContext* context,
                        absl::Duration at_least) const {
  context->set_deadline(
      absl::ToChronoTime(absl::Now() + std::max(timeout_, at_least)));
  if (!connection_.token.empty()) {
    context->AddMetadata("authorization",
                         absl::StrCat("Bearer ", connection_.token));
  }
}

absl::Status RpcClient::ToStatus(const grpc::Status& status,
                                 absl::Duration at_least) const {
  if (status.ok()) return absl::OkStatus();
  const auto code = static_cast<absl::StatusCode>(status.error_code());
  std::string where = connection_.addr_source == "default"
                          ? connection_.addr
                          : absl::StrCat(connection_.addr, " (from ",
                                         connection_.addr_source, ")");
  if (!connection_.ca_path.empty()) {
    absl::StrAppend(&where, " over TLS with CA file ", connection_.ca_path);
  }
  const std::string hint = absl::StrCat(
      "\nIs the server running? Start one with `scripts/dev up`, or point "
      "--addr or PORTFOLIO_ADDR at it.",
      connection_.ca_path.empty()
          ? " If it serves TLS, pass --ca FILE."
          : " Its certificate must be signed by that CA and name the host "
            "in the address.");
  if (code == absl::StatusCode::kUnavailable) {
    return WithExitCode(absl::UnavailableError(
                            absl::StrCat("cannot reach the server at ", where,
                                         ": ", status.error_message(), hint)),
                        ExitCode::kUnreachable);
  }
  if (code == absl::StatusCode::kDeadlineExceeded) {
    return WithExitCode(absl::DeadlineExceededError(absl::StrCat(
                            "no answer from the server at ", where, " within ",
                            absl::FormatDuration(std::max(timeout_, at_least)),
                            " (DEADLINE_EXCEEDED)", hint)),
                        ExitCode::kUnreachable);
  }
  std::string message = absl::StrCat(absl::StatusCodeToString(code), ": ",
                                     status.error_message());
  for (const std::string& line : ExtraViolations(status)) {
    absl::StrAppend(&message, "\n  ", line);
  }
  // Logging in again helps with a missing, revoked or expired token, not
  // with a disabled account, whose message says whom to ask.
  if (code == absl::StatusCode::kUnauthenticated &&
      !absl::StrContains(status.error_message(), " is disabled;")) {
    absl::StrAppend(&message,
                    "\nRun `portfolio login` or pass --token; an admin "
                    "creates tokens with `portfolio tokens create`.");
  }
  return WithExitCode(absl::Status(code, message), ExitCode::kRefused);
}

}  // namespace portfolio::client
