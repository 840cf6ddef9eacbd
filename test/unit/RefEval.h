// A naive reference evaluator of he networks, for tests only: it runs a
// func.func of he ops on float data (static shapes except the batch), in
// double precision and with PyTorch's inference semantics, so that a pass
// can be checked to compute the same function before and after.
#ifndef HE_TEST_UNIT_REFEVAL_H
#define HE_TEST_UNIT_REFEVAL_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cstdint>
#include <string>
#include <vector>

namespace he::test {
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> data; // row-major
};

/// Runs `func` on `inputs`. Fails (with `error` set) on an op it does not
/// know or a parameter without value.
bool evaluate(mlir::func::FuncOp func, const std::vector<Tensor> &inputs,
              std::vector<Tensor> &results, std::string &error);

/// A tensor of `shape` with values uniform in [-1, 1) from `seed`.
Tensor randomTensor(std::vector<int64_t> shape, unsigned seed);

/// max |a - b| / max(max |a|, tiny), over tensors of equal shape.
double relativeError(const Tensor &a, const Tensor &b);
} // namespace he::test

#endif
