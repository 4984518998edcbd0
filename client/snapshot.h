// Which moment and which plan a summary reflects: the `--as-known-on` and
// `--basis` flags of summary, status, bulletin and report, and how the
// instant reads for people and for machines.
//
// A monthly report is only worth filing if it can be reproduced: asked
// again after a late correction it must give the same figures. The server
// answers "as it stood" at an instant; these helpers turn what people type
// (a day, or an exact time) into that instant.
#ifndef PORTFOLIO_CLIENT_SNAPSHOT_H_
#define PORTFOLIO_CLIENT_SNAPSHOT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "client/command_line.h"
#include "client/options.h"
#include "common/clock.h"
#include "google/protobuf/timestamp.pb.h"

namespace portfolio::client {

// Parses an --as-known-on value. A day (`2024-06-30`, or ParseDate's other
// forms) means everything recorded by the end of that day in the
// district's time zone (UTC+8): its last microsecond, 23:59:59.999999. An
// RFC 3339 time with an offset (`2024-06-30T18:00:00+08:00`,
// `2024-06-30T10:00:00.5Z`) is that exact instant, and so is a time in the
// district as the CLI prints one (`2024-06-30 18:00:03.870449 (UTC+8)`,
// the suffix optional), so a printed instant pasted back is exact; cut to
// the minute (`2024-06-30 18:00`), like a day it means the end of it,
// 18:00:59.999999. Returns
// INVALID_ARGUMENT (message without a flag name) for anything else, for an
// RFC 3339 time without an offset (`2024-06-30T18:00:00`, ambiguous), and
// for an instant outside the years kMinYear..kMaxYear in the district.
absl::StatusOr<absl::Time> ParseAsKnownOn(absl::string_view text);

// The specs of --as-known-on and --basis, for commands that take them.
std::vector<FlagSpec> SnapshotFlags();

// The values of --as-known-on and --basis in `args`; unset flags keep the
// defaults of SnapshotOptions. A usage error naming the flag for a bad
// value, and for an instant after `clock`'s now: figures as known then
// are not known yet, and asked again later would differ.
absl::StatusOr<SnapshotOptions> SnapshotFlagValues(const ParsedArgs& args,
                                                   const Clock& clock);

// Conversions between absl::Time and the API's Timestamp, exact to the
// nanosecond. FromTimestamp of an unset Timestamp is the Unix epoch.
google::protobuf::Timestamp ToTimestamp(absl::Time time);
absl::Time FromTimestamp(const google::protobuf::Timestamp& time);

// Sets `request`'s as_known_at (when `snapshot` has one) and plan_basis.
// For any request message with those two fields.
template <typename Request>
void ApplySnapshot(const SnapshotOptions& snapshot, Request* request) {
  if (snapshot.as_known_at.has_value()) {
    *request->mutable_as_known_at() = ToTimestamp(*snapshot.as_known_at);
  }
  request->set_plan_basis(snapshot.plan_basis);
}

// For people: `2024-06-30 23:59:59.999999 (UTC+8)`, in the district's time
// zone with as many fraction digits as needed; `fallback` when unset.
std::string FormatKnownAt(const google::protobuf::Timestamp& time,
                          absl::string_view fallback);

// For machines (CSV): RFC 3339 in the district's offset with every
// fraction digit, `2024-06-30T23:59:59.999999+08:00`; "" when unset.
std::string FormatKnownAtRfc3339(const google::protobuf::Timestamp& time);

// The plan basis for people: `当前计划 current` or `基准计划 baseline`.
std::string FormatPlanBasis(v1::PlanBasis basis);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_SNAPSHOT_H_
