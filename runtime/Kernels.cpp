#include "runtime/Kernels.h"
#include "runtime/VectorClones.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include <algorithm>
#include <cstring>
#include <vector>

using torch::Tensor;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

namespace he::runtime {
namespace {
// Fixed blocks make the coefficient gradients' summation order, and so the
// result, independent of the number of threads.
constexpr int64_t kBlock = 1 << 14;

bool fastPath(const Tensor &x, const Tensor &coeffs) {
  return x.device().is_cpu() && x.scalar_type() == at::kFloat &&
         coeffs.device().is_cpu() && coeffs.scalar_type() == at::kFloat &&
         coeffs.dim() == 1 && coeffs.numel() >= 1;
}

std::vector<double> toVector(const Tensor &coeffs) {
  Tensor c = coeffs.contiguous();
  const float *p = c.data_ptr<float>();
  return std::vector<double>(p, p + c.numel());
}

// Degree 2, the paper's case, has its own loops: a branch-free float form
// that the compiler vectorises (for AVX2 too, through target_clones), with
// the coefficient gradients summed per block in double lanes.
//
//   y  = a0 + x * (s(x) + a2 * x),   s(x) = x > 0 ? sPos : sNeg
//   dy = d(x) + d2 * x,              d(x) = x > 0 ? dPos : dNeg
struct Quadratic {
  float a0, sPos, sNeg, a2;
  float dPos, dNeg, d2;
};

Quadratic quadratic(const std::vector<double> &c, double lambda, bool relu) {
  const double l = relu ? lambda : 1.0, r = relu ? 1 - lambda : 0.0;
  Quadratic q;
  q.a0 = float(l * c[0]);
  q.sPos = float(r + l * c[1]);
  q.sNeg = float(l * c[1]);
  q.a2 = float(l * c[2]);
  q.dPos = q.sPos;
  q.dNeg = q.sNeg;
  q.d2 = float(2 * l * c[2]);
  return q;
}

HE_VECTOR_CLONES
void quadraticForward(const float *in, float *out, int64_t n,
                      const Quadratic &q) {
  for (int64_t i = 0; i < n; ++i) {
    float v = in[i];
    float s = v > 0 ? q.sPos : q.sNeg;
    out[i] = q.a0 + v * (s + q.a2 * v);
  }
}

constexpr int kLanes = 8;
// GCC's vector extensions: one AVX2 register in the avx2 clone, two SSE
// ones otherwise. The sums run in float over short chunks, then in double.
typedef float Floats __attribute__((vector_size(4 * kLanes)));
typedef double Doubles __attribute__((vector_size(8 * kLanes)));
constexpr int64_t kChunk = 32 * kLanes;

// gx = g * dy over [0, n); acc[j][lane] += g * x^j.
HE_VECTOR_CLONES
void quadraticBackward(const float *in, const float *grad, float *out,
                       int64_t n, const Quadratic &q,
                       double (&acc)[3][kLanes]) {
  Doubles sum0 = {}, sum1 = {}, sum2 = {};
  int64_t i = 0;
  while (i + kLanes <= n) {
    Floats s0 = {}, s1 = {}, s2 = {};
    for (int64_t end = std::min(n - kLanes, i + kChunk - kLanes); i <= end;
         i += kLanes) {
      Floats v, g;
      std::memcpy(&v, in + i, sizeof v);
      std::memcpy(&g, grad + i, sizeof g);
      Floats d = v > 0 ? q.dPos : q.dNeg;
      Floats gx = g * (d + q.d2 * v);
      std::memcpy(out + i, &gx, sizeof gx);
      Floats gv = g * v;
      s0 += g;
      s1 += gv;
      s2 += gv * v;
    }
    sum0 += __builtin_convertvector(s0, Doubles);
    sum1 += __builtin_convertvector(s1, Doubles);
    sum2 += __builtin_convertvector(s2, Doubles);
  }
  for (int l = 0; l < kLanes; ++l) {
    acc[0][l] += sum0[l];
    acc[1][l] += sum1[l];
    acc[2][l] += sum2[l];
  }
  for (; i < n; ++i) {
    float v = in[i], g = grad[i];
    float d = v > 0 ? q.dPos : q.dNeg;
    out[i] = g * (d + q.d2 * v);
    acc[0][0] += g;
    acc[1][0] += double(g) * v;
    acc[2][0] += double(g) * v * v;
  }
}

// (1-lambda)*relu(x) + lambda*p(x); with relu=false just p(x).
Tensor forwardCpu(const Tensor &xIn, const Tensor &coeffs, double lambda,
                  bool relu) {
  Tensor x = xIn.contiguous();
  Tensor y = at::empty_like(x);
  std::vector<double> c = toVector(coeffs);
  const float *in = x.data_ptr<float>();
  float *out = y.data_ptr<float>();
  const int64_t k = c.size();
  if (k == 3) {
    Quadratic q = quadratic(c, lambda, relu);
    at::parallel_for(0, x.numel(), kBlock, [&](int64_t begin, int64_t end) {
      quadraticForward(in + begin, out + begin, end - begin, q);
    });
    return y;
  }
  at::parallel_for(0, x.numel(), kBlock, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      double v = in[i], p = c[k - 1];
      for (int64_t j = k - 2; j >= 0; --j)
        p = p * v + c[j];
      out[i] =
          relu ? float((1 - lambda) * (v > 0 ? v : 0) + lambda * p) : float(p);
    }
  });
  return y;
}

// grad_x = g * ((1-lambda)*[x>0] + lambda*p'(x)) and
// grad_c[j] = lambda * sum g * x^j, in one pass.
std::pair<Tensor, Tensor> backwardCpu(const Tensor &xIn, const Tensor &gIn,
                                      const Tensor &coeffs, double lambda,
                                      bool relu) {
  Tensor x = xIn.contiguous(), g = gIn.contiguous();
  Tensor gx = at::empty_like(x);
  std::vector<double> c = toVector(coeffs);
  const int64_t k = c.size(), n = x.numel();
  const int64_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<double> partial(blocks * k, 0.0);
  const float *in = x.data_ptr<float>(), *grad = g.data_ptr<float>();
  float *out = gx.data_ptr<float>();
  const double l = relu ? lambda : 1.0;
  if (k == 3) {
    Quadratic q = quadratic(c, lambda, relu);
    at::parallel_for(0, blocks, 1, [&](int64_t first, int64_t last) {
      for (int64_t b = first; b < last; ++b) {
        int64_t i = b * kBlock, len = std::min(n, i + kBlock) - i;
        double acc[3][kLanes] = {};
        quadraticBackward(in + i, grad + i, out + i, len, q, acc);
        for (int j = 0; j < 3; ++j)
          for (int lane = 0; lane < kLanes; ++lane)
            partial[b * k + j] += acc[j][lane];
      }
    });
  } else {
    at::parallel_for(0, blocks, 1, [&](int64_t first, int64_t last) {
      for (int64_t b = first; b < last; ++b) {
        double *acc = &partial[b * k];
        for (int64_t i = b * kBlock, e = std::min(n, i + kBlock); i < e; ++i) {
          double v = in[i], gi = grad[i];
          double dp = 0;
          for (int64_t j = k - 1; j >= 1; --j)
            dp = dp * v + j * c[j];
          double d = l * dp;
          if (relu && v > 0)
            d += 1 - lambda;
          out[i] = float(gi * d);
          double power = gi;
          for (int64_t j = 0; j < k; ++j, power *= v)
            acc[j] += power;
        }
      }
    });
  }
  std::vector<float> sums(k);
  for (int64_t j = 0; j < k; ++j) {
    double s = 0;
    for (int64_t b = 0; b < blocks; ++b)
      s += partial[b * k + j];
    sums[j] = float(l * s);
  }
  Tensor gc = at::tensor(sums, coeffs.options());
  return {gx, gc};
}

Tensor polyComposed(const Tensor &x, const Tensor &coeffs) {
  int64_t k = coeffs.size(0);
  Tensor y = at::zeros_like(x) + coeffs[k - 1];
  for (int64_t j = k - 2; j >= 0; --j)
    y = y * x + coeffs[j];
  return y;
}

Tensor polyDerivativeComposed(const Tensor &x, const Tensor &coeffs) {
  int64_t k = coeffs.size(0);
  Tensor d = at::zeros_like(x);
  for (int64_t j = k - 1; j >= 1; --j)
    d = d * x + coeffs[j] * double(j);
  return d;
}

// Other devices: the same formulas with torch ops (no grad is recorded
// inside a Function's forward and backward).
std::pair<Tensor, Tensor> backwardComposed(const Tensor &x, const Tensor &g,
                                           const Tensor &coeffs, double lambda,
                                           bool relu) {
  const double l = relu ? lambda : 1.0;
  Tensor d = polyDerivativeComposed(x, coeffs) * l;
  if (relu)
    d = d + (x > 0).to(x.scalar_type()) * (1 - lambda);
  Tensor gx = g * d;
  int64_t k = coeffs.size(0);
  std::vector<Tensor> gc;
  Tensor power = g;
  for (int64_t j = 0; j < k; ++j, power = power * x)
    gc.push_back(power.sum() * l);
  return {gx, at::stack(gc).to(coeffs.scalar_type())};
}

struct ActivationFunction
    : public torch::autograd::Function<ActivationFunction> {
  static Tensor forward(AutogradContext *ctx, Tensor x, Tensor coeffs,
                        double lambda, bool relu) {
    ctx->save_for_backward({x, coeffs});
    ctx->saved_data["lambda"] = lambda;
    ctx->saved_data["relu"] = relu;
    if (fastPath(x, coeffs))
      return forwardCpu(x, coeffs, lambda, relu);
    Tensor p = polyComposed(x, coeffs);
    return relu ? at::relu(x) * (1 - lambda) + p * lambda : p;
  }

  static variable_list backward(AutogradContext *ctx, variable_list grads) {
    variable_list saved = ctx->get_saved_variables();
    Tensor x = saved[0], coeffs = saved[1];
    double lambda = ctx->saved_data["lambda"].toDouble();
    bool relu = ctx->saved_data["relu"].toBool();
    auto [gx, gc] = fastPath(x, coeffs) && grads[0].device().is_cpu() &&
                            grads[0].scalar_type() == at::kFloat
                        ? backwardCpu(x, grads[0], coeffs, lambda, relu)
                        : backwardComposed(x, grads[0], coeffs, lambda, relu);
    return {gx, gc, Tensor(), Tensor()};
  }
};
} // namespace

Tensor polyAct(const Tensor &x, const Tensor &coeffs) {
  return ActivationFunction::apply(x, coeffs, 1.0, false);
}

Tensor blendReluPoly(const Tensor &x, const Tensor &coeffs, double lambda) {
  return ActivationFunction::apply(x, coeffs, lambda, true);
}

Tensor polyActComposed(const Tensor &x, const Tensor &coeffs) {
  return polyComposed(x, coeffs);
}

Tensor blendReluPolyComposed(const Tensor &x, const Tensor &coeffs,
                             double lambda) {
  return at::relu(x) * (1 - lambda) + polyComposed(x, coeffs) * lambda;
}
} // namespace he::runtime
