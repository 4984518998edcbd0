// Printing results in the format the user chose.
#ifndef PORTFOLIO_CLIENT_OUTPUT_H_
#define PORTFOLIO_CLIENT_OUTPUT_H_

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "client/options.h"
#include "client/table.h"
#include "google/protobuf/message.h"

namespace portfolio::client {

// Writes `message` as indented JSON and a newline: proto field names,
// primitive fields even when zero, enums by name. int64 values (yuan) are
// exact, as strings, per the proto3 JSON mapping. INTERNAL if protobuf
// cannot print it.
absl::Status PrintJson(std::ostream& out,
                       const google::protobuf::Message& message);

// As PrintJson, adding a top-level "request_id" member after the message's
// own fields, unless the message already has a request_id field.
absl::Status PrintJsonWithRequestId(std::ostream& out,
                                    const google::protobuf::Message& message,
                                    absl::string_view request_id);

// As PrintJson, adding top-level string members, in order, after the
// message's own fields; each is skipped when the message has a field of
// that name. For facts of the request a response does not echo.
absl::Status PrintJsonWithMembers(
    std::ostream& out, const google::protobuf::Message& message,
    const std::vector<std::pair<std::string, std::string>>& members);

// How a table reads in table mode: a listing, or one record per row.
enum class Layout { kList, kRecords };

// Prints `json` in json mode, else `table` as CSV or in `layout`.
absl::Status Emit(OutputFormat format, std::ostream& out,
                  const google::protobuf::Message& json, const Table& table,
                  Layout layout);

// As Emit for the result of a mutating call sent with `request_id`.
absl::Status EmitMutation(OutputFormat format, std::ostream& out,
                          const google::protobuf::Message& json,
                          const Table& table, absl::string_view request_id);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_OUTPUT_H_
