// The demo's data directory: telling a demo database from any other, and
// making a new one. The one guard between the generator and the report's
// own database.
#ifndef PORTFOLIO_TOOLS_DEMO_DATA_DIR_H_
#define PORTFOLIO_TOOLS_DEMO_DATA_DIR_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock.h"

namespace portfolio::demo {

// A file the generator puts beside every demo database, saying what it is.
// A directory holding a database without it is never opened, let alone
// replaced.
inline constexpr char kDemoMarkerFile[] = "SYNTHETIC-DEMO-DATA.txt";
// Database settings: how the demo was generated (its presence is what
// makes a database a demo), and the label the server shows in summaries.
inline constexpr char kDemoGeneratorSetting[] = "demo_generator";
inline constexpr char kDatasetLabelSetting[] = "dataset_label";

// Makes `dir` ready for a new demo database. A directory that does not
// exist, or holds none of the server's files (portfolio.db and its
// journals, admin.token), is ready as it is. One holding an earlier demo
// (the marker file, and a database whose demo_generator setting is set)
// has those files removed; nothing else in it is touched.
// FAILED_PRECONDITION, naming the reason, when `dir` holds any of the
// server's files without the marker, or a database without the setting:
// then nothing is opened or changed. UNAVAILABLE when files cannot be
// read or removed.
absl::Status ClearDemoDir(const std::string& dir);

// Creates `dir` (mode 0700) when missing, writes the marker file, then a
// new database in it (portfolio.db, as the server names it) holding: the
// demo settings (`generator`, `label`) first, so it is never without
// them; the report's dataset, as the server seeds it; and the server's
// first admin with a token written to dir/admin.token. Times are
// `clock`'s. Returns that token's secret. Requires a directory made ready
// by ClearDemoDir. UNAVAILABLE when a file cannot be written; the seed's
// error when the dataset does not import.
absl::StatusOr<std::string> CreateDemoDatabase(const std::string& dir,
                                               const std::string& generator,
                                               const std::string& label,
                                               const Clock& clock);

}  // namespace portfolio::demo

#endif  // PORTFOLIO_TOOLS_DEMO_DATA_DIR_H_
