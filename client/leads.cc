#include "client/leads.h"

#include <algorithm>

namespace portfolio::client {

std::optional<std::vector<std::string>> ChangedLeads(
    const std::vector<std::string>& leads, absl::string_view user,
    LeadChange change) {
  const bool present =
      std::find(leads.begin(), leads.end(), user) != leads.end();
  if (present == (change == LeadChange::kAdd)) return std::nullopt;
  std::vector<std::string> changed;
  for (const std::string& lead : leads) {
    if (lead != user) changed.push_back(lead);
  }
  if (change == LeadChange::kAdd) changed.emplace_back(user);
  return changed;
}

}  // namespace portfolio::client
