// Calibration of an emitted network (lib/Analysis/Calibration.h): its
// ranges over a data set, observed by the runtime, recorded on its ops.
#ifndef HEC_CALIBRATE_H
#define HEC_CALIBRATE_H

#include "lib/Frontend/Experiment.h"
#include "runtime/Data.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <torch/types.h>

namespace hec {
/// Runs `func` in eval mode over every image of `data` and records
/// he.range (min, max, 99.99th percentile of |x| of the result) on every he
/// op but he.param, and he.input_range on every he.poly_act. Throws
/// he::runtime::Error when the network cannot be run or observed op by op
/// (a fused blend: calibrate after the polynomial pipeline).
void calibrateNetwork(mlir::func::FuncOp func, const he::runtime::Dataset &data,
                      torch::Device device, int64_t batchSize = 256);

/// `hec calibrate EXPERIMENT.toml MODEL OUT`: calibrates MODEL over the
/// experiment's training images and writes it to OUT (bytecode when OUT
/// ends in .mlirbc, else text). Returns the exit code.
int calibrateCommand(const he::frontend::Experiment &exp,
                     const std::string &model, const std::string &out,
                     mlir::MLIRContext &context);
} // namespace hec

#endif
