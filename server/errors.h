// Errors that name the field at fault, and their conversion to gRPC at the
// edge (the one place absl::Status becomes grpc::Status).
#ifndef PORTFOLIO_SERVER_ERRORS_H_
#define PORTFOLIO_SERVER_ERRORS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace portfolio {

// INVALID_ARGUMENT "field: why", with the field attached so ToGrpcStatus can
// add a google.rpc.BadRequest field violation.
absl::Status FieldError(absl::string_view field, absl::string_view why);

// The same error with another code (e.g. FAILED_PRECONDITION, ABORTED),
// still naming the field.
absl::Status FieldError(absl::StatusCode code, absl::string_view field,
                        absl::string_view why);

// Names `field` in an error from a parser, keeping the code: an error that
// names no field becomes "field: message"; one that names field F becomes
// "field.F: ...". OK stays OK.
absl::Status WithField(absl::string_view field, const absl::Status& status);

// The canonical code and message, plus google.rpc.Status details
// (BadRequest naming the field; ErrorInfo with the code) in the
// `grpc-status-details-bin` trailer.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_ERRORS_H_
