// Early-return helpers for absl::Status, which Abseil 20220623 does not ship.
#ifndef PORTFOLIO_COMMON_STATUS_MACROS_H_
#define PORTFOLIO_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Evaluates `expr` (an absl::Status) and returns it from the enclosing
// function when it is not OK.
#define RETURN_IF_ERROR(expr)                              \
  do {                                                     \
    const ::absl::Status portfolio_status_ = (expr);       \
    if (!portfolio_status_.ok()) return portfolio_status_; \
  } while (0)

#define PORTFOLIO_CONCAT_INNER_(a, b) a##b
#define PORTFOLIO_CONCAT_(a, b) PORTFOLIO_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status from
// the enclosing function, otherwise moves the value into `lhs`, which may be
// a declaration (`auto x`) or an existing variable.
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  ASSIGN_OR_RETURN_IMPL_(PORTFOLIO_CONCAT_(portfolio_or_, __LINE__), lhs, rexpr)

#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                           \
  if (!tmp.ok()) return tmp.status();           \
  lhs = std::move(tmp).value()

#endif  // PORTFOLIO_COMMON_STATUS_MACROS_H_
