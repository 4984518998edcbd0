#include "client/errors.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace portfolio::client {
namespace {

constexpr char kExitCodeUrl[] = "type.portfolio.dev/client.ExitCode";

// `status` with `message` in place of its own, keeping code and payloads.
absl::Status WithMessage(const absl::Status& status,
                         absl::string_view message) {
  absl::Status changed(status.code(), message);
  status.ForEachPayload(
      [&changed](absl::string_view url, const absl::Cord& payload) {
        changed.SetPayload(url, payload);
      });
  return changed;
}

}  // namespace

absl::Status OutputError(const absl::Status& status) {
  return WithExitCode(status, ExitCode::kFailure);
}

absl::Status UsageError(absl::string_view message) {
  return WithExitCode(absl::InvalidArgumentError(message), ExitCode::kUsage);
}

absl::Status WithExitCode(absl::Status status, ExitCode code) {
  if (status.ok()) return status;
  status.SetPayload(kExitCodeUrl,
                    absl::Cord(absl::StrCat(static_cast<int>(code))));
  return status;
}

ExitCode ExitCodeOf(const absl::Status& status) {
  if (status.ok()) return ExitCode::kOk;
  const auto payload = status.GetPayload(kExitCodeUrl);
  int code = 0;
  if (!payload.has_value() || !absl::SimpleAtoi(std::string(*payload), &code)) {
    return ExitCode::kFailure;
  }
  return static_cast<ExitCode>(code);
}

absl::Status Annotate(const absl::Status& status, absl::string_view prefix) {
  if (status.ok()) return status;
  return WithMessage(status, absl::StrCat(prefix, ": ", status.message()));
}

absl::Status AppendToMessage(const absl::Status& status,
                             absl::string_view suffix) {
  if (status.ok()) return status;
  return WithMessage(status, absl::StrCat(status.message(), suffix));
}

}  // namespace portfolio::client
