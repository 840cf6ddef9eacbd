// The training split and the split a run is evaluated on (the test split,
// or the validation images held out of the training split), loaded and
// normalised.
#ifndef HEC_TOOLS_EXPERIMENTDATA_H
#define HEC_TOOLS_EXPERIMENTDATA_H

#include "lib/Frontend/Experiment.h"
#include "runtime/Data.h"

namespace hec {
struct Splits {
  /// `test` is what runs are evaluated on: the test split, or with
  /// data.validation the held-out training images.
  he::runtime::Dataset train, test;
  /// "test" or "validation": names `test` in logs and files.
  std::string evaluated = "test";
};

/// Loads, splits, subsets and normalises the experiment's data. Throws
/// he::runtime::Error naming the file and what is wrong (a missing or
/// corrupt file, a data kind the runtime cannot read yet, images whose size
/// differs from the experiment's, a validation split that leaves no
/// training images).
Splits loadExperimentData(const he::frontend::Experiment &experiment);
} // namespace hec

#endif
