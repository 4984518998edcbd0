// How a failed command ends: which exit code it maps to. Errors stay
// absl::Status values; the exit code rides along as a payload so that an
// INVALID_ARGUMENT the server sent is not mistaken for a usage error.
#ifndef PORTFOLIO_CLIENT_ERRORS_H_
#define PORTFOLIO_CLIENT_ERRORS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace portfolio::client {

// The process exit codes, as `portfolio --help` documents them.
enum class ExitCode : int {
  kOk = 0,
  // A local failure that is none of the below (e.g. output not written).
  kFailure = 1,
  // Unknown command or flag, bad flag value, missing argument, unreadable
  // input file, malformed config file.
  kUsage = 2,
  // The server answered with an error (any code but the two below).
  kRefused = 3,
  // The server could not be reached (UNAVAILABLE) or did not answer in time
  // (DEADLINE_EXCEEDED).
  kUnreachable = 4,
};

// An INVALID_ARGUMENT error that exits with kUsage. `message` is one line
// saying what is wrong, e.g. `--year: "20x" is not a year`.
absl::Status UsageError(absl::string_view message);

// A file or directory the command was to write could not be made (a
// missing directory, no permission, a full disk): `status`, exiting with
// kFailure, the code the help gives for output not written.
absl::Status OutputError(const absl::Status& status);

// `status` with its exit code set to `code`. OK stays OK.
absl::Status WithExitCode(absl::Status status, ExitCode code);

// kOk for OK; the code set by WithExitCode; otherwise kFailure.
ExitCode ExitCodeOf(const absl::Status& status);

// `status` with `prefix: ` in front of its message, keeping code and
// payloads; e.g. naming the flag a value came from. OK stays OK.
absl::Status Annotate(const absl::Status& status, absl::string_view prefix);

// `status` with `suffix` after its message, keeping code and payloads;
// e.g. a line on what to do next. OK stays OK.
absl::Status AppendToMessage(const absl::Status& status,
                             absl::string_view suffix);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_ERRORS_H_
