// The list arithmetic of `projects leads add|remove`, apart from the calls
// so that it is tested on its own.
#ifndef PORTFOLIO_CLIENT_LEADS_H_
#define PORTFOLIO_CLIENT_LEADS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "client/options.h"

namespace portfolio::client {

// The leads a project should have after `change` of `user`: `leads` with
// `user` appended (kAdd), or with every occurrence of it removed (kRemove),
// the others in their order. nullopt when there is nothing to write:
// `user` already is a lead (kAdd) or is not one (kRemove).
std::optional<std::vector<std::string>> ChangedLeads(
    const std::vector<std::string>& leads, absl::string_view user,
    LeadChange change);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_LEADS_H_
