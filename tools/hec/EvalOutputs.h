// What `hec eval` can write besides its JSON, so that other runtimes can be
// checked against hec's: the images exactly as the network receives them
// (--dump-inputs), their labels (--dump-labels) and the logits hec computes
// for them (--logits).
#ifndef HEC_EVALOUTPUTS_H
#define HEC_EVALOUTPUTS_H

#include "runtime/Data.h"
#include "runtime/HeModule.h"

#include "llvm/Support/Error.h"

#include <string>

namespace hec {
/// Writes `data`'s images, normalised as in training, as raw little-endian
/// float32 [N, C, H, W] (what tools/onnx-check/run.js reads).
llvm::Error writeRawImages(const he::runtime::Dataset &data,
                           const std::string &path);

/// Writes `data`'s labels, one class index a line (what tools/he-ckks
/// reads beside the images of writeRawImages).
llvm::Error writeLabels(const he::runtime::Dataset &data,
                        const std::string &path);

/// Runs `net` in eval mode over `data` and writes one line per image:
/// `<index> <predicted class> <logit 0> <logit 1> ...`, nine significant
/// digits, as tools/onnx-check/run.js prints them.
llvm::Error writeLogits(he::runtime::HeModule &net,
                        const he::runtime::Dataset &data, torch::Device device,
                        const std::string &path);
} // namespace hec

#endif
