// Least-squares fit of ReLU by a polynomial on the inputs a layer actually
// sees: the coefficients c_1..c_d minimising
//
//   sum_x (relu(x) - c_0 - c_1 x - ... - c_d x^d)^2
//
// over every input element x, with the constant c_0 held where it is (the
// paper's activation has none). Started from this fit, the polynomial is
// already the best quadratic stand-in for the ReLU it replaces, on that
// layer's scale, instead of the identity (a = 0, b = 1) for every layer.
#ifndef HE_RUNTIME_RELUFITONINPUTS_H
#define HE_RUNTIME_RELUFITONINPUTS_H

#include <torch/types.h>

#include <optional>
#include <vector>

namespace he::runtime {
/// The sums the normal equations need, accumulated over batches in double
/// on the inputs' device.
class ReluFitOnInputs {
public:
  /// Fits powers 1..degree; the constant c0 stays fixed.
  ReluFitOnInputs(int64_t degree, double c0);

  /// Adds every element of `x` (any shape, any floating type).
  void add(const torch::Tensor &x);

  /// The fitted coefficients c_0..c_degree (c_0 the fixed constant), or
  /// nullopt when no input was added or the inputs do not determine them
  /// (fewer distinct values than powers, e.g. all zero).
  std::optional<std::vector<double>> solve() const;

private:
  int64_t degree_;
  double c0_;
  torch::Tensor sums_; // [sum x^2 .. sum x^(2d), sum (r - c0) x .. x^d]
};
} // namespace he::runtime

#endif
