#include "client/output.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace portfolio::client {
namespace {

absl::Status ToJson(const google::protobuf::Message& message,
                    std::string* json) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  const auto status =
      google::protobuf::util::MessageToJsonString(message, json, options);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot print JSON: ", status.message().as_string()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status PrintJson(std::ostream& out,
                       const google::protobuf::Message& message) {
  std::string json;
  if (absl::Status status = ToJson(message, &json); !status.ok()) {
    return status;
  }
  out << absl::StripTrailingAsciiWhitespace(json) << '\n';
  return absl::OkStatus();
}

absl::Status PrintJsonWithRequestId(std::ostream& out,
                                    const google::protobuf::Message& message,
                                    absl::string_view request_id) {
  return PrintJsonWithMembers(out, message,
                              {{"request_id", std::string(request_id)}});
}

absl::Status PrintJsonWithMembers(
    std::ostream& out, const google::protobuf::Message& message,
    const std::vector<std::pair<std::string, std::string>>& members) {
  const bool adds_any = std::any_of(
      members.begin(), members.end(), [&message](const auto& member) {
        return message.GetDescriptor()->FindFieldByName(member.first) ==
               nullptr;
      });
  if (!adds_any) return PrintJson(out, message);
  std::string json;
  if (absl::Status status = ToJson(message, &json); !status.ok()) {
    return status;
  }
  // The object's text without its closing brace, then the new members.
  absl::string_view body = absl::StripTrailingAsciiWhitespace(json);
  absl::ConsumeSuffix(&body, "}");
  body = absl::StripTrailingAsciiWhitespace(body);
  bool empty = body == "{";
  out << body;
  for (const auto& [name, value] : members) {
    if (message.GetDescriptor()->FindFieldByName(name) != nullptr) continue;
    google::protobuf::Value text;
    text.set_string_value(value);
    std::string quoted;
    if (absl::Status status = ToJson(text, &quoted); !status.ok()) {
      return status;
    }
    out << (empty ? "\n" : ",\n") << " \"" << name
        << "\": " << absl::StripAsciiWhitespace(quoted);
    empty = false;
  }
  out << "\n}\n";
  return absl::OkStatus();
}

absl::Status Emit(OutputFormat format, std::ostream& out,
                  const google::protobuf::Message& json, const Table& table,
                  Layout layout) {
  switch (format) {
    case OutputFormat::kJson:
      return PrintJson(out, json);
    case OutputFormat::kCsv:
      table.PrintCsv(out);
      return absl::OkStatus();
    case OutputFormat::kTable:
      break;
  }
  if (layout == Layout::kRecords) {
    table.PrintRecords(out);
  } else {
    table.PrintAligned(out);
    // A bare header reads like output cut short; say that nothing matched.
    if (table.row_count() == 0) out << "(没有符合条件的记录 nothing matches)\n";
  }
  return absl::OkStatus();
}

absl::Status EmitMutation(OutputFormat format, std::ostream& out,
                          const google::protobuf::Message& json,
                          const Table& table, absl::string_view request_id) {
  if (format == OutputFormat::kJson) {
    return PrintJsonWithRequestId(out, json, request_id);
  }
  return Emit(format, out, json, table, Layout::kRecords);
}

}  // namespace portfolio::client
