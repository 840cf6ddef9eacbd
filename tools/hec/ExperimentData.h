// The training and test splits an experiment names, loaded and normalised.
#ifndef HEC_TOOLS_EXPERIMENTDATA_H
#define HEC_TOOLS_EXPERIMENTDATA_H

#include "lib/Frontend/Experiment.h"
#include "runtime/Data.h"

namespace hec {
struct Splits {
  he::runtime::Dataset train, test;
};

/// Loads, subsets and normalises the experiment's data. Throws
/// he::runtime::Error naming the file and what is wrong (a missing or
/// corrupt file, a data kind the runtime cannot read yet, images whose size
/// differs from the experiment's).
Splits loadExperimentData(const he::frontend::Experiment &experiment);
} // namespace hec

#endif
