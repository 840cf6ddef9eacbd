#include "runtime/Ops.h"
#include "runtime/Kernels.h"

#include <ATen/ATen.h>

#include <limits>

namespace he::runtime {
namespace {
bool symmetric(const Padding &pad) {
  return pad[0] == pad[2] && pad[1] == pad[3];
}

// Pads (or crops, for negative amounts) so that a window of `kernel` sliding
// by `stride` with no padding gives exactly PyTorch's output size: PyTorch's
// pools take only symmetric padding, and ceil_mode's extra window needs room.
struct WindowPad {
  int64_t top, left, bottom, right;
};

WindowPad windowPad(const torch::Tensor &x, std::array<int64_t, 2> kernel,
                    std::array<int64_t, 2> stride, const Padding &pad,
                    bool ceilMode) {
  int64_t h = x.size(2), w = x.size(3);
  int64_t outH =
      windowOutput(h, kernel[0], stride[0], pad[0], pad[2], ceilMode);
  int64_t outW =
      windowOutput(w, kernel[1], stride[1], pad[1], pad[3], ceilMode);
  int64_t needH = (outH - 1) * stride[0] + kernel[0];
  int64_t needW = (outW - 1) * stride[1] + kernel[1];
  return {pad[0], pad[1], needH - h - pad[0], needW - w - pad[1]};
}
} // namespace

int64_t windowOutput(int64_t in, int64_t kernel, int64_t stride, int64_t padLo,
                     int64_t padHi, bool ceilMode) {
  int64_t span = in + padLo + padHi - kernel;
  int64_t out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
  if (ceilMode && (out - 1) * stride >= in + padLo)
    --out;
  return out;
}

torch::Tensor conv2d(const torch::Tensor &x, const torch::Tensor &weight,
                     const torch::Tensor &bias, std::array<int64_t, 2> stride,
                     const Padding &pad, int64_t groups) {
  if (symmetric(pad))
    return at::conv2d(x, weight, bias, stride,
                      at::IntArrayRef({pad[0], pad[1]}),
                      at::IntArrayRef({1, 1}), groups);
  torch::Tensor padded =
      at::constant_pad_nd(x, {pad[1], pad[3], pad[0], pad[2]}, 0.0);
  return at::conv2d(padded, weight, bias, stride, at::IntArrayRef({0, 0}),
                    at::IntArrayRef({1, 1}), groups);
}

torch::Tensor linear(const torch::Tensor &x, const torch::Tensor &weight,
                     const torch::Tensor &bias) {
  if (x.dim() != 2 || !x.device().is_cpu() || x.scalar_type() != at::kFloat ||
      weight.scalar_type() != at::kFloat)
    return at::linear(x, weight, bias);
  int64_t n = x.size(0), in = x.size(1), out = weight.size(0);
  torch::Tensor y = at::conv2d(x.reshape({n, in, 1, 1}),
                               weight.reshape({out, in, 1, 1}), bias);
  return y.reshape({n, out});
}

torch::Tensor maxPool2d(const torch::Tensor &x, std::array<int64_t, 2> kernel,
                        std::array<int64_t, 2> stride, const Padding &pad,
                        bool ceilMode) {
  if (symmetric(pad))
    return at::max_pool2d(x, kernel, stride, {pad[0], pad[1]}, {1, 1},
                          ceilMode);
  WindowPad p = windowPad(x, kernel, stride, pad, ceilMode);
  torch::Tensor padded =
      at::constant_pad_nd(x, {p.left, p.right, p.top, p.bottom},
                          -std::numeric_limits<double>::infinity());
  return at::max_pool2d(padded, kernel, stride, {0, 0}, {1, 1}, false);
}

torch::Tensor avgPool2d(const torch::Tensor &x, std::array<int64_t, 2> kernel,
                        std::array<int64_t, 2> stride, const Padding &pad,
                        bool ceilMode, bool countIncludePad,
                        std::optional<int64_t> divisorOverride) {
  // Without padding hec's own kernels do it: PyTorch's CPU kernel is several
  // times slower (docs/performance.md).
  if (pad == Padding{0, 0, 0, 0} && windowPoolApplies(x)) {
    int64_t oh = windowOutput(x.size(2), kernel[0], stride[0], 0, 0, ceilMode);
    int64_t ow = windowOutput(x.size(3), kernel[1], stride[1], 0, 0, ceilMode);
    if (tilePoolApplies(x, kernel, stride) && oh == x.size(2) / kernel[0] &&
        ow == x.size(3) / kernel[1])
      return tileAvgPool(x, kernel,
                         divisorOverride ? double(*divisorOverride)
                                         : double(kernel[0] * kernel[1]));
    if (oh >= 1 && ow >= 1)
      return windowAvgPool(x, kernel, stride, {oh, ow}, divisorOverride);
  }
  c10::optional<int64_t> divisor;
  if (divisorOverride)
    divisor = *divisorOverride;
  if (symmetric(pad))
    return at::avg_pool2d(x, kernel, stride, {pad[0], pad[1]}, ceilMode,
                          countIncludePad, divisor);
  WindowPad p = windowPad(x, kernel, stride, pad, ceilMode);
  torch::Tensor padded =
      at::constant_pad_nd(x, {p.left, p.right, p.top, p.bottom}, 0.0);
  if (divisorOverride)
    return at::avg_pool2d(padded, kernel, stride, {0, 0}, false, true, divisor);
  torch::Tensor sum =
      at::avg_pool2d(padded, kernel, stride, {0, 0}, false, true, 1);
  // The divisor counts the window's cells inside the input, plus (with
  // count_include_pad) those in the declared padding, never ceil_mode's
  // extra room: PyTorch's rule.
  torch::Tensor mask = at::ones({1, 1, x.size(2), x.size(3)}, x.options());
  if (countIncludePad) {
    mask = at::constant_pad_nd(mask, {pad[1], pad[3], pad[0], pad[2]}, 1.0);
    mask = at::constant_pad_nd(
        mask, {0, p.right - pad[3], 0, p.bottom - pad[2]}, 0.0);
  } else {
    mask = at::constant_pad_nd(mask, {p.left, p.right, p.top, p.bottom}, 0.0);
  }
  torch::Tensor count =
      at::avg_pool2d(mask, kernel, stride, {0, 0}, false, true, 1);
  return sum / count;
}

torch::Tensor globalAvgPool2d(const torch::Tensor &x,
                              std::optional<int64_t> divisorOverride) {
  if (divisorOverride)
    return x.sum({2, 3}, /*keepdim=*/true) / double(*divisorOverride);
  return x.mean({2, 3}, /*keepdim=*/true);
}
} // namespace he::runtime
