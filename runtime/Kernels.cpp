#include "runtime/Kernels.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

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

// (1-lambda)*relu(x) + lambda*p(x); with relu=false just p(x).
Tensor forwardCpu(const Tensor &xIn, const Tensor &coeffs, double lambda,
                  bool relu) {
  Tensor x = xIn.contiguous();
  Tensor y = at::empty_like(x);
  std::vector<double> c = toVector(coeffs);
  const float *in = x.data_ptr<float>();
  float *out = y.data_ptr<float>();
  const int64_t k = c.size();
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
