// The he ops on tensors, as PyTorch computes them, extended to what the IR
// allows and PyTorch's functions do not: asymmetric padding
// [top, left, bottom, right] for convolutions and pools.
#ifndef HE_RUNTIME_OPS_H
#define HE_RUNTIME_OPS_H

#include <torch/types.h>

#include <array>
#include <optional>

namespace he::runtime {
/// Padding as the IR writes it: top, left, bottom, right.
using Padding = std::array<int64_t, 4>;

/// PyTorch's Conv2d with zero padding `pad`; `bias` may be undefined.
torch::Tensor conv2d(const torch::Tensor &x, const torch::Tensor &weight,
                     const torch::Tensor &bias, std::array<int64_t, 2> stride,
                     const Padding &pad, int64_t groups);

/// PyTorch's Linear (y = x W^T + b; `bias` may be undefined). On CPU f32 with
/// a 2-D input it runs as a 1x1 convolution, which oneDNN computes: the
/// BLAS behind at::linear may be the unoptimised reference one (Debian's
/// default), many times slower.
torch::Tensor linear(const torch::Tensor &x, const torch::Tensor &weight,
                     const torch::Tensor &bias);

/// PyTorch's MaxPool2d (-inf padding, ceil_mode's rule that the last window
/// starts inside the input or its leading padding).
torch::Tensor maxPool2d(const torch::Tensor &x, std::array<int64_t, 2> kernel,
                        std::array<int64_t, 2> stride, const Padding &pad,
                        bool ceilMode);

/// PyTorch's AvgPool2d, including count_include_pad and divisor_override.
torch::Tensor avgPool2d(const torch::Tensor &x, std::array<int64_t, 2> kernel,
                        std::array<int64_t, 2> stride, const Padding &pad,
                        bool ceilMode, bool countIncludePad,
                        std::optional<int64_t> divisorOverride);

/// Mean over H and W keeping [N, C, 1, 1]; with `divisorOverride` the sum
/// divided by it instead.
torch::Tensor globalAvgPool2d(const torch::Tensor &x,
                              std::optional<int64_t> divisorOverride);

/// The output length of a window sliding over `in` elements, as PyTorch's
/// pools compute it (the IR verifiers use the same rule).
int64_t windowOutput(int64_t in, int64_t kernel, int64_t stride, int64_t padLo,
                     int64_t padHi, bool ceilMode);
} // namespace he::runtime

#endif
