// Fused activation kernels: the polynomial activation and the ReLU -> poly
// blend of the paper's smooth transition, forward and backward each in one
// pass over memory. On CPU with contiguous f32 data they run a hand-written
// loop (at::parallel_for); elsewhere (CUDA, other dtypes) they compute the
// same values with composed torch ops inside the same autograd Function.
#ifndef HE_RUNTIME_KERNELS_H
#define HE_RUNTIME_KERNELS_H

#include <torch/types.h>

#include <array>
#include <optional>

namespace he::runtime {
/// y = sum_k coeffs[k] * x^k (coefficients by ascending power, a 1-D tensor
/// on x's device). Differentiable in x and coeffs.
torch::Tensor polyAct(const torch::Tensor &x, const torch::Tensor &coeffs);

/// y = (1 - lambda) * relu(x) + lambda * poly(x). Differentiable in x and
/// coeffs; lambda is a constant of the schedule. relu's derivative at 0 is
/// 0, as in PyTorch.
torch::Tensor blendReluPoly(const torch::Tensor &x, const torch::Tensor &coeffs,
                            double lambda);

/// Whether tileAvgPool computes this average pool: CPU f32 NCHW with
/// non-overlapping windows (kernel == stride); the caller checks that there
/// is no padding and that ceil_mode adds no window.
bool tilePoolApplies(const torch::Tensor &x, std::array<int64_t, 2> kernel,
                     std::array<int64_t, 2> stride);
/// The average pool of tiles `kernel` (stride = kernel, no padding, floor
/// mode: rows and columns past the last whole tile are dropped), each sum
/// divided by `divisor`. Differentiable in x.
torch::Tensor tileAvgPool(const torch::Tensor &x, std::array<int64_t, 2> kernel,
                          double divisor);

/// Whether windowAvgPool computes an average pool of x: CPU f32, 4-D.
bool windowPoolApplies(const torch::Tensor &x);
/// PyTorch's AvgPool2d without padding (count_include_pad then does not
/// matter) for any kernel and stride, `outSize` given by the caller
/// (ceil_mode's extra window is clipped to the input, its divisor the
/// clipped area, as PyTorch's). Differentiable in x.
torch::Tensor windowAvgPool(const torch::Tensor &x,
                            std::array<int64_t, 2> kernel,
                            std::array<int64_t, 2> stride,
                            std::array<int64_t, 2> outSize,
                            std::optional<int64_t> divisorOverride);

/// The same functions composed from torch ops (the reference the fused
/// kernels are tested against).
torch::Tensor polyActComposed(const torch::Tensor &x,
                              const torch::Tensor &coeffs);
torch::Tensor blendReluPolyComposed(const torch::Tensor &x,
                                    const torch::Tensor &coeffs, double lambda);
} // namespace he::runtime

#endif
