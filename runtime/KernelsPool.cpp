// Average pooling without padding, forward and backward each one pass over
// NCHW planes. Non-overlapping windows (kernel == stride, no
// padding), the pool he-lower-maxpool makes of AlexNet-small's 2x2/2
// max-pools: each output is the mean of its own tile, so forward and
// backward are one pass each over NCHW planes, without the zero fill and
// scatter of PyTorch's general CPU kernel. Overlapping windows (below) sum
// separably and gather their gradients.
#include "runtime/Kernels.h"
#include "runtime/VectorClones.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include <optional>
#include <vector>

using torch::Tensor;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

namespace he::runtime {
namespace {
// One plane: out[i][j] = scale * sum of in's k x k tile (i, j).
HE_VECTOR_CLONES
void tilesForward(const float *in, float *out, int64_t w, int64_t oh,
                  int64_t ow, int64_t kh, int64_t kw, float scale) {
  if (kh == 2 && kw == 2) {
    for (int64_t i = 0; i < oh; ++i) {
      const float *r0 = in + 2 * i * w, *r1 = r0 + w;
      float *o = out + i * ow;
      for (int64_t j = 0; j < ow; ++j)
        o[j] =
            scale * ((r0[2 * j] + r0[2 * j + 1]) + (r1[2 * j] + r1[2 * j + 1]));
    }
    return;
  }
  for (int64_t i = 0; i < oh; ++i)
    for (int64_t j = 0; j < ow; ++j) {
      float s = 0;
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t z = 0; z < kw; ++z)
          s += in[(i * kh + y) * w + j * kw + z];
      out[i * ow + j] = scale * s;
    }
}

// One plane: every cell of tile (i, j) gets scale * g[i][j]; the rows and
// columns no tile covers (floor mode's remainder) get 0.
HE_VECTOR_CLONES
void tilesBackward(const float *g, float *out, int64_t h, int64_t w, int64_t oh,
                   int64_t ow, int64_t kh, int64_t kw, float scale) {
  for (int64_t y = 0; y < h; ++y) {
    float *o = out + y * w;
    int64_t i = y / kh;
    if (i >= oh) {
      std::fill(o, o + w, 0.0f);
      continue;
    }
    const float *gi = g + i * ow;
    if (kw == 2) {
      for (int64_t j = 0; j < ow; ++j)
        o[2 * j] = o[2 * j + 1] = scale * gi[j];
    } else {
      for (int64_t j = 0; j < ow; ++j)
        for (int64_t z = 0; z < kw; ++z)
          o[j * kw + z] = scale * gi[j];
    }
    std::fill(o + ow * kw, o + w, 0.0f);
  }
}

struct Geometry {
  int64_t planes, h, w, oh, ow, kh, kw;
};

Geometry geometryOf(const Tensor &x, std::array<int64_t, 2> kernel) {
  return {x.size(0) * x.size(1), x.size(2), x.size(3), x.size(2) / kernel[0],
          x.size(3) / kernel[1], kernel[0], kernel[1]};
}

struct TilePoolFunction : public torch::autograd::Function<TilePoolFunction> {
  static Tensor forward(AutogradContext *ctx, Tensor xIn, int64_t kh,
                        int64_t kw, double divisor) {
    Tensor x = xIn.contiguous();
    Geometry s = geometryOf(x, {kh, kw});
    ctx->saved_data["sizes"] = x.sizes();
    ctx->saved_data["kh"] = kh;
    ctx->saved_data["kw"] = kw;
    ctx->saved_data["divisor"] = divisor;
    Tensor y = at::empty({x.size(0), x.size(1), s.oh, s.ow}, x.options());
    const float *in = x.data_ptr<float>();
    float *out = y.data_ptr<float>();
    float scale = float(1.0 / divisor);
    at::parallel_for(0, s.planes, 1, [&](int64_t first, int64_t last) {
      for (int64_t p = first; p < last; ++p)
        tilesForward(in + p * s.h * s.w, out + p * s.oh * s.ow, s.w, s.oh, s.ow,
                     s.kh, s.kw, scale);
    });
    return y;
  }

  static variable_list backward(AutogradContext *ctx, variable_list grads) {
    std::vector<int64_t> sizes = ctx->saved_data["sizes"].toIntVector();
    int64_t kh = ctx->saved_data["kh"].toInt(),
            kw = ctx->saved_data["kw"].toInt();
    double divisor = ctx->saved_data["divisor"].toDouble();
    Tensor g = grads[0].contiguous();
    Tensor gx = at::empty(sizes, g.options());
    Geometry s = geometryOf(gx, {kh, kw});
    const float *in = g.data_ptr<float>();
    float *out = gx.data_ptr<float>();
    float scale = float(1.0 / divisor);
    at::parallel_for(0, s.planes, 1, [&](int64_t first, int64_t last) {
      for (int64_t p = first; p < last; ++p)
        tilesBackward(in + p * s.oh * s.ow, out + p * s.h * s.w, s.h, s.w, s.oh,
                      s.ow, s.kh, s.kw, scale);
    });
    return {gx, Tensor(), Tensor(), Tensor()};
  }
};

// Overlapping windows (SqueezeNet's and AlexNet's 3x3/2, ceil_mode too),
// no padding. Per axis: each output's window [start, end), clipped to the
// input, and each input position's covering outputs [first, last). The
// divisor, the clipped window's area, is a row factor times a column
// factor.
struct Axis {
  std::vector<int64_t> start, end, first, last;
  std::vector<float> scale;
};

Axis axisOf(int64_t in, int64_t out, int64_t k, int64_t s) {
  Axis a;
  for (int64_t o = 0; o < out; ++o) {
    a.start.push_back(o * s);
    a.end.push_back(std::min(o * s + k, in));
    a.scale.push_back(1.0f / float(a.end.back() - a.start.back()));
  }
  for (int64_t y = 0; y < in; ++y) {
    a.first.push_back(y < k ? 0 : (y - k) / s + 1);
    a.last.push_back(std::min(out, y / s + 1));
  }
  return a;
}

struct Windows {
  int64_t planes, h, w, oh, ow;
  Axis rows, cols;
  std::optional<double> divisor;
  float scale(int64_t i, int64_t j) const {
    return divisor ? float(1.0 / *divisor) : rows.scale[i] * cols.scale[j];
  }
};

// One plane: column sums over each output row's window rows, then the
// window sums along the row.
HE_VECTOR_CLONES
void windowsForward(const float *in, float *out, const Windows &s,
                    float *colSums) {
  for (int64_t i = 0; i < s.oh; ++i) {
    std::fill(colSums, colSums + s.w, 0.0f);
    for (int64_t y = s.rows.start[i]; y < s.rows.end[i]; ++y)
      for (int64_t z = 0; z < s.w; ++z)
        colSums[z] += in[y * s.w + z];
    for (int64_t j = 0; j < s.ow; ++j) {
      float sum = 0;
      for (int64_t z = s.cols.start[j]; z < s.cols.end[j]; ++z)
        sum += colSums[z];
      out[i * s.ow + j] = sum * s.scale(i, j);
    }
  }
}

// One plane: input row y gathers the scaled gradients of the output rows
// whose windows cover it, then spreads them over each window's columns
// (in a row that stays in L1).
HE_VECTOR_CLONES
void windowsBackward(const float *g, float *out, const Windows &s,
                     float *scaled, float *rowSums) {
  for (int64_t i = 0; i < s.oh; ++i)
    for (int64_t j = 0; j < s.ow; ++j)
      scaled[i * s.ow + j] = g[i * s.ow + j] * s.scale(i, j);
  for (int64_t y = 0; y < s.h; ++y) {
    std::fill(rowSums, rowSums + s.ow, 0.0f);
    for (int64_t i = s.rows.first[y]; i < s.rows.last[y]; ++i)
      for (int64_t j = 0; j < s.ow; ++j)
        rowSums[j] += scaled[i * s.ow + j];
    float *o = out + y * s.w;
    std::fill(o, o + s.w, 0.0f);
    for (int64_t j = 0; j < s.ow; ++j)
      for (int64_t z = s.cols.start[j]; z < s.cols.end[j]; ++z)
        o[z] += rowSums[j];
  }
}

Windows windowsOf(const std::vector<int64_t> &sizes, int64_t oh, int64_t ow,
                  std::array<int64_t, 2> kernel, std::array<int64_t, 2> stride,
                  std::optional<double> divisor) {
  return {sizes[0] * sizes[1],
          sizes[2],
          sizes[3],
          oh,
          ow,
          axisOf(sizes[2], oh, kernel[0], stride[0]),
          axisOf(sizes[3], ow, kernel[1], stride[1]),
          divisor};
}

struct WindowPoolFunction
    : public torch::autograd::Function<WindowPoolFunction> {
  static Tensor forward(AutogradContext *ctx, Tensor xIn,
                        std::vector<int64_t> geometry, double divisor) {
    // geometry: kh, kw, sh, sw, oh, ow; divisor <= 0: the window's area.
    Tensor x = xIn.contiguous();
    ctx->saved_data["sizes"] = x.sizes();
    ctx->saved_data["geometry"] = geometry;
    ctx->saved_data["divisor"] = divisor;
    Windows s =
        windowsOf(x.sizes().vec(), geometry[4], geometry[5],
                  {geometry[0], geometry[1]}, {geometry[2], geometry[3]},
                  divisor > 0 ? std::optional<double>(divisor) : std::nullopt);
    Tensor y = at::empty({x.size(0), x.size(1), s.oh, s.ow}, x.options());
    const float *in = x.data_ptr<float>();
    float *out = y.data_ptr<float>();
    at::parallel_for(0, s.planes, 1, [&](int64_t first, int64_t last) {
      std::vector<float> colSums(s.w);
      for (int64_t p = first; p < last; ++p)
        windowsForward(in + p * s.h * s.w, out + p * s.oh * s.ow, s,
                       colSums.data());
    });
    return y;
  }

  static variable_list backward(AutogradContext *ctx, variable_list grads) {
    std::vector<int64_t> sizes = ctx->saved_data["sizes"].toIntVector();
    std::vector<int64_t> geometry = ctx->saved_data["geometry"].toIntVector();
    double divisor = ctx->saved_data["divisor"].toDouble();
    Windows s =
        windowsOf(sizes, geometry[4], geometry[5], {geometry[0], geometry[1]},
                  {geometry[2], geometry[3]},
                  divisor > 0 ? std::optional<double>(divisor) : std::nullopt);
    Tensor g = grads[0].contiguous();
    Tensor gx = at::empty(sizes, g.options());
    const float *in = g.data_ptr<float>();
    float *out = gx.data_ptr<float>();
    at::parallel_for(0, s.planes, 1, [&](int64_t first, int64_t last) {
      std::vector<float> scaled(s.oh * s.ow), rowSums(s.ow);
      for (int64_t p = first; p < last; ++p)
        windowsBackward(in + p * s.oh * s.ow, out + p * s.h * s.w, s,
                        scaled.data(), rowSums.data());
    });
    return {gx, Tensor(), Tensor()};
  }
};
} // namespace

bool tilePoolApplies(const Tensor &x, std::array<int64_t, 2> kernel,
                     std::array<int64_t, 2> stride) {
  return x.device().is_cpu() && x.scalar_type() == at::kFloat && x.dim() == 4 &&
         kernel == stride && kernel[0] >= 1 && kernel[1] >= 1 &&
         x.size(2) >= kernel[0] && x.size(3) >= kernel[1];
}

bool windowPoolApplies(const Tensor &x) {
  return x.device().is_cpu() && x.scalar_type() == at::kFloat && x.dim() == 4;
}

Tensor windowAvgPool(const Tensor &x, std::array<int64_t, 2> kernel,
                     std::array<int64_t, 2> stride,
                     std::array<int64_t, 2> outSize,
                     std::optional<int64_t> divisorOverride) {
  return WindowPoolFunction::apply(
      x,
      std::vector<int64_t>{kernel[0], kernel[1], stride[0], stride[1],
                           outSize[0], outSize[1]},
      divisorOverride ? double(*divisorOverride) : 0.0);
}

Tensor tileAvgPool(const Tensor &x, std::array<int64_t, 2> kernel,
                   double divisor) {
  return TilePoolFunction::apply(x, kernel[0], kernel[1], divisor);
}
} // namespace he::runtime
