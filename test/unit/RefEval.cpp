#include "RefEval.h"

#include "dialect/ParamValues.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace mlir;
using he::test::Tensor;

namespace {
int64_t numel(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Tensor zeros(std::vector<int64_t> shape) {
  Tensor t;
  t.data.assign(numel(shape), 0.0);
  t.shape = std::move(shape);
  return t;
}

// PyTorch's output size of a sliding window (the last window of ceil_mode
// must start inside the input or its leading padding).
int64_t windowOutput(int64_t in, int64_t k, int64_t s, int64_t lo, int64_t hi,
                     bool ceilMode) {
  int64_t span = in + lo + hi - k;
  int64_t out = (ceilMode ? (span + s - 1) / s : span / s) + 1;
  if (ceilMode && (out - 1) * s >= in + lo)
    --out;
  return out;
}

Tensor conv2d(he::Conv2dOp op, const Tensor &x, const Tensor &w,
              const Tensor *b) {
  ArrayRef<int64_t> s = op.getStride(), p = op.getPadding();
  int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3];
  int64_t o = w.shape[0], ig = w.shape[1], kh = w.shape[2], kw = w.shape[3];
  int64_t og = o / op.getGroups();
  int64_t oh = (h + p[0] + p[2] - kh) / s[0] + 1;
  int64_t ow = (wd + p[1] + p[3] - kw) / s[1] + 1;
  Tensor y = zeros({n, o, oh, ow});
  for (int64_t ni = 0; ni < n; ++ni)
    for (int64_t oi = 0; oi < o; ++oi)
      for (int64_t yi = 0; yi < oh; ++yi)
        for (int64_t xi = 0; xi < ow; ++xi) {
          double acc = b ? b->data[oi] : 0.0;
          for (int64_t ci = 0; ci < ig; ++ci) {
            int64_t channel = (oi / og) * ig + ci;
            for (int64_t i = 0; i < kh; ++i)
              for (int64_t j = 0; j < kw; ++j) {
                int64_t r = yi * s[0] - p[0] + i, q = xi * s[1] - p[1] + j;
                if (r < 0 || r >= h || q < 0 || q >= wd)
                  continue;
                acc += w.data[((oi * ig + ci) * kh + i) * kw + j] *
                       x.data[((ni * c + channel) * h + r) * wd + q];
              }
          }
          y.data[((ni * o + oi) * oh + yi) * ow + xi] = acc;
        }
  return y;
}

Tensor linear(const Tensor &x, const Tensor &w, const Tensor *b) {
  int64_t n = x.shape[0], f = x.shape[1], o = w.shape[0];
  Tensor y = zeros({n, o});
  for (int64_t ni = 0; ni < n; ++ni)
    for (int64_t oi = 0; oi < o; ++oi) {
      double acc = b ? b->data[oi] : 0.0;
      for (int64_t fi = 0; fi < f; ++fi)
        acc += w.data[oi * f + fi] * x.data[ni * f + fi];
      y.data[ni * o + oi] = acc;
    }
  return y;
}

// Inner size: elements per (batch, channel) pair.
int64_t inner(const Tensor &x) {
  return numel(x.shape) / (x.shape[0] * x.shape[1]);
}

Tensor batchNorm(he::BatchNormOp op, const Tensor &x, const Tensor &w,
                 const Tensor &b, const Tensor &mean, const Tensor &var) {
  Tensor y = x;
  int64_t c = x.shape[1], hw = inner(x);
  double eps = op.getEpsilon().convertToDouble();
  for (size_t i = 0; i < y.data.size(); ++i) {
    int64_t ch = (i / hw) % c;
    y.data[i] = (x.data[i] - mean.data[ch]) / std::sqrt(var.data[ch] + eps) *
                    w.data[ch] +
                b.data[ch];
  }
  return y;
}

// Average (max = false) or max pooling with PyTorch's window rules.
template <typename Pool>
Tensor pool(Pool op, const Tensor &x, bool max, bool countIncludePad,
            std::optional<int64_t> divisor) {
  ArrayRef<int64_t> k = op.getKernel(), s = op.getStride(), p = op.getPadding();
  int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
  int64_t oh = windowOutput(h, k[0], s[0], p[0], p[2], op.getCeilMode());
  int64_t ow = windowOutput(w, k[1], s[1], p[1], p[3], op.getCeilMode());
  Tensor y = zeros({n, c, oh, ow});
  for (int64_t nc = 0; nc < n * c; ++nc)
    for (int64_t yi = 0; yi < oh; ++yi)
      for (int64_t xi = 0; xi < ow; ++xi) {
        int64_t h0 = yi * s[0] - p[0], w0 = xi * s[1] - p[1];
        int64_t h1 = std::min(h0 + k[0], max ? h : h + p[2]);
        int64_t w1 = std::min(w0 + k[1], max ? w : w + p[3]);
        int64_t padded = (h1 - h0) * (w1 - w0);
        h0 = std::max<int64_t>(h0, 0), w0 = std::max<int64_t>(w0, 0);
        h1 = std::min(h1, h), w1 = std::min(w1, w);
        double acc = max ? -std::numeric_limits<double>::infinity() : 0.0;
        for (int64_t r = h0; r < h1; ++r)
          for (int64_t q = w0; q < w1; ++q) {
            double v = x.data[(nc * h + r) * w + q];
            acc = max ? std::max(acc, v) : acc + v;
          }
        if (!max)
          acc /= divisor           ? *divisor
                 : countIncludePad ? padded
                                   : (h1 - h0) * (w1 - w0);
        y.data[(nc * oh + yi) * ow + xi] = acc;
      }
  return y;
}

Tensor add(const Tensor &a, const Tensor &b) {
  Tensor y = a;
  size_t rank = a.shape.size(), offset = rank - b.shape.size();
  std::vector<int64_t> index(rank, 0);
  for (size_t i = 0; i < y.data.size(); ++i) {
    int64_t rem = i, bi = 0;
    for (size_t d = rank; d-- > 0;) {
      index[d] = rem % a.shape[d];
      rem /= a.shape[d];
    }
    for (size_t d = offset; d < rank; ++d) {
      int64_t size = b.shape[d - offset];
      bi = bi * size + (size == 1 ? 0 : index[d]);
    }
    y.data[i] += b.data[bi];
  }
  return y;
}

Tensor concat(const std::vector<const Tensor *> &xs, int64_t axis) {
  std::vector<int64_t> shape = xs[0]->shape;
  shape[axis] = 0;
  for (const Tensor *x : xs)
    shape[axis] += x->shape[axis];
  int64_t outer = 1, in = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  for (size_t d = axis + 1; d < shape.size(); ++d)
    in *= shape[d];
  Tensor y;
  y.shape = shape;
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor *x : xs) {
      int64_t chunk = x->shape[axis] * in;
      y.data.insert(y.data.end(), x->data.begin() + o * chunk,
                    x->data.begin() + (o + 1) * chunk);
    }
  return y;
}

struct Evaluator {
  llvm::DenseMap<Value, Tensor> env;
  std::string error;
  std::vector<Tensor> results;

  const Tensor &get(Value v) { return env.find(v)->second; }
  const Tensor *getOptional(Value v) { return v ? &get(v) : nullptr; }

  bool run(Operation *op) {
    std::optional<Tensor> y =
        llvm::TypeSwitch<Operation *, std::optional<Tensor>>(op)
            .Case([&](he::ParamOp p) -> std::optional<Tensor> {
              std::optional<std::vector<float>> v = he::readParamValue(p);
              if (!v) {
                error = "param " + p.getParamName().str() + " has no value";
                return std::nullopt;
              }
              Tensor t;
              t.shape = std::vector<int64_t>(p.getType().getShape());
              t.data.assign(v->begin(), v->end());
              return t;
            })
            .Case([&](he::Conv2dOp c) {
              return conv2d(c, get(c.getInput()), get(c.getWeight()),
                            getOptional(c.getBias()));
            })
            .Case([&](he::LinearOp l) {
              return linear(get(l.getInput()), get(l.getWeight()),
                            getOptional(l.getBias()));
            })
            .Case([&](he::BatchNormOp b) {
              return batchNorm(b, get(b.getInput()), get(b.getWeight()),
                               get(b.getBias()), get(b.getRunningMean()),
                               get(b.getRunningVar()));
            })
            .Case([&](he::AvgPool2dOp p) {
              std::optional<int64_t> d;
              if (auto o = p.getDivisorOverride())
                d = static_cast<int64_t>(*o);
              return pool(p, get(p.getInput()), false, p.getCountIncludePad(),
                          d);
            })
            .Case([&](he::MaxPool2dOp p) {
              return pool(p, get(p.getInput()), true, false, std::nullopt);
            })
            .Case([&](he::GlobalAvgPool2dOp p) {
              const Tensor &x = get(p.getInput());
              int64_t hw = inner(x);
              double d = p.getDivisorOverride()
                             ? static_cast<double>(*p.getDivisorOverride())
                             : hw;
              Tensor y = zeros({x.shape[0], x.shape[1], 1, 1});
              for (size_t i = 0; i < x.data.size(); ++i)
                y.data[i / hw] += x.data[i] / d;
              return y;
            })
            .Case([&](he::ReluOp r) {
              Tensor y = get(r.getInput());
              for (double &v : y.data)
                v = std::max(v, 0.0);
              return y;
            })
            .Case([&](he::PolyActOp p) {
              Tensor y = get(p.getInput());
              ArrayRef<double> c = p.getCoeffs();
              for (double &v : y.data) {
                double acc = 0;
                for (size_t k = c.size(); k-- > 0;)
                  acc = acc * v + c[k];
                v = acc;
              }
              return y;
            })
            .Case([&](he::BlendOp b) {
              Tensor y = get(b.getFrom());
              const Tensor &to = get(b.getTo());
              double lambda = b.getLambda().convertToDouble();
              for (size_t i = 0; i < y.data.size(); ++i)
                y.data[i] = (1 - lambda) * y.data[i] + lambda * to.data[i];
              return y;
            })
            .Case([&](he::AddOp a) {
              return add(get(a.getLhs()), get(a.getRhs()));
            })
            .Case([&](he::ConcatOp c) {
              std::vector<const Tensor *> xs;
              for (Value v : c.getInputs())
                xs.push_back(&get(v));
              return concat(xs, c.getAxis());
            })
            .Case([&](he::FlattenOp f) {
              Tensor y = get(f.getInput());
              y.shape = {y.shape[0], numel(y.shape) / y.shape[0]};
              return y;
            })
            .Case([&](he::DropoutOp d) { return get(d.getInput()); })
            .Case([&](func::ReturnOp r) -> std::optional<Tensor> {
              for (Value v : r.getOperands())
                results.push_back(get(v));
              return Tensor();
            })
            .Default([&](Operation *other) -> std::optional<Tensor> {
              error =
                  "cannot evaluate " + other->getName().getStringRef().str();
              return std::nullopt;
            });
    if (!y)
      return false;
    if (op->getNumResults() == 1)
      env[op->getResult(0)] = std::move(*y);
    return true;
  }
};
} // namespace

bool he::test::evaluate(func::FuncOp func, const std::vector<Tensor> &inputs,
                        std::vector<Tensor> &results, std::string &error) {
  Evaluator eval;
  Block &body = func.getBody().front();
  if (body.getNumArguments() != inputs.size()) {
    error = "wrong number of inputs";
    return false;
  }
  for (auto [arg, input] : llvm::zip(body.getArguments(), inputs))
    eval.env[arg] = input;
  for (Operation &op : body)
    if (!eval.run(&op)) {
      error = eval.error;
      return false;
    }
  results = std::move(eval.results);
  return true;
}

Tensor he::test::randomTensor(std::vector<int64_t> shape, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  Tensor t = zeros(std::move(shape));
  for (double &v : t.data)
    v = dist(gen);
  return t;
}

double he::test::relativeError(const Tensor &a, const Tensor &b) {
  if (a.shape != b.shape)
    return std::numeric_limits<double>::infinity();
  double scale = 1e-30, diff = 0;
  for (size_t i = 0; i < a.data.size(); ++i) {
    scale = std::max(scale, std::abs(a.data[i]));
    diff = std::max(diff, std::abs(a.data[i] - b.data[i]));
  }
  return diff / scale;
}
