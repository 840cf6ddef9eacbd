#include "lib/Transforms/ReplaceActivations/ReluFit.h"

#include <cmath>

// The fit is computed on t = x / range in [-1, 1], in the Legendre basis,
// where least squares needs no linear solve: the coefficient of P_k is
// (2k+1)/2 · ∫ relu(t) P_k(t) dt. Since relu(t) = t/2 + |t|/2, the P_1
// coefficient is 1/2, the other odd ones are 0, and an even k gets
// (2k+1)/2 · ∫_0^1 t P_k(t) dt. relu(x) = range · relu(t) then gives the
// coefficients in x.
llvm::SmallVector<double> he::fitRelu(unsigned degree, double range) {
  // Monomial coefficients of P_{k-1} and P_k, by Bonnet's recurrence
  // (k+1) P_{k+1} = (2k+1) t P_k - k P_{k-1}.
  llvm::SmallVector<double> prev(degree + 1, 0.0), cur(degree + 1, 0.0);
  llvm::SmallVector<double> fit(degree + 1, 0.0);
  cur[0] = 1.0;
  for (unsigned k = 0; k <= degree; ++k) {
    double weight = 0.0;
    if (k == 1) {
      weight = 0.5;
    } else if (k % 2 == 0) {
      double integral = 0.0;
      for (unsigned j = 0; j <= k; ++j)
        integral += cur[j] / (j + 2);
      weight = (2.0 * k + 1.0) / 2.0 * integral;
    }
    for (unsigned j = 0; j <= k; ++j)
      fit[j] += weight * cur[j];
    llvm::SmallVector<double> next(degree + 1, 0.0);
    for (unsigned j = 0; j + 1 <= degree && j <= k; ++j)
      next[j + 1] += (2.0 * k + 1.0) * cur[j] / (k + 1.0);
    for (unsigned j = 0; j <= degree; ++j)
      next[j] -= k * prev[j] / (k + 1.0);
    prev = cur;
    cur = next;
  }
  for (unsigned j = 0; j <= degree; ++j)
    fit[j] *= range / std::pow(range, j);
  return fit;
}
