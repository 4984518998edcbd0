// The report's dataset (data/chiping-2024), compiled into the binary so the
// server can seed a new database wherever it runs.
#ifndef PORTFOLIO_DATA_DATASET_H_
#define PORTFOLIO_DATA_DATASET_H_

#include <string>
#include <vector>

namespace portfolio {

struct DatasetFile {
  std::string name;     // e.g. "projects.csv"
  std::string content;  // the file's bytes
};

// The files in import order: projects, plans, indicators, portfolio.
// Thread-safe; the vector lives for the whole program.
const std::vector<DatasetFile>& ReportDataset();

}  // namespace portfolio

#endif  // PORTFOLIO_DATA_DATASET_H_
