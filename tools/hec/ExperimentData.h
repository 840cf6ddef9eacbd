// The training split and the split a run is evaluated on (the test split,
// the data set's own val split, or the validation images held out of the
// training split), loaded and normalised.
#ifndef HEC_TOOLS_EXPERIMENTDATA_H
#define HEC_TOOLS_EXPERIMENTDATA_H

#include "lib/Frontend/Experiment.h"
#include "runtime/Data.h"
#include "runtime/data/Source.h"

#include <memory>
#include <string>
#include <vector>

namespace hec {
struct Splits {
  /// `test` is what runs are evaluated on: the test split, the val split,
  /// or with data.validation the held-out training images.
  he::runtime::Dataset train, test;
  /// "test", "val" or "validation": names `test` in logs and files.
  std::string evaluated = "test";
  /// "<file>: <why>" for each image left out (data.skip_bad_images).
  std::vector<std::string> skipped;
};

/// Loads, splits, subsets and normalises the experiment's data, decoding
/// image files once into a cache (with a progress line on stderr when
/// `progress`). Throws he::runtime::Error naming the file and what is wrong
/// (a missing or corrupt file, a label file's line, images whose size
/// differs from the experiment's, classes that differ from model.classes, a
/// validation split that leaves no training images).
Splits loadExperimentData(const he::frontend::Experiment &experiment,
                          bool progress = false);

/// The runtime's reader of the experiment's data kind, at its path (no file
/// is read yet).
std::unique_ptr<he::runtime::DataSource>
dataSource(const he::frontend::Experiment &experiment);

/// The name of the split the experiment's runs are evaluated on (Splits's
/// `evaluated`), without reading any data.
std::string evaluatedSplit(const he::frontend::Experiment &experiment);
} // namespace hec

#endif
