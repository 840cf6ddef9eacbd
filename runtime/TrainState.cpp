// A training run in a checkpoint. Entries:
//   train.seed, train.batch_size, train.data_size  the run it belongs to
//   progress.*          epoch, in_epoch, batch and the epoch's partial sums
//   schedule.*          lambda, pool_lambda, pool_mode of the current epoch
//   model.<name>        every registered parameter and buffer
//   model.blend_lambdas the lambdas of the blends, in IR order
//   adam.<g>.<i>.*      Adam's step, exp_avg, exp_avg_sq per parameter
//   rng.cpu, rng.device torch's default generators
//   batches.*           the shuffle's random stream, order and position
//   metrics.*           every finished epoch's metrics
//   result.*            the last test evaluation
//   info.<key>          TrainOptions::checkpointInfo
#include "runtime/TrainState.h"
#include "runtime/HeModule.h"

#include <ATen/Context.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <mutex>

namespace he::runtime {
namespace {
// The fields of EpochMetrics that are numbers, in the column order of
// metrics.values.
constexpr int kMetricColumns = 13;

torch::Tensor generatorState(torch::Device device) {
  at::Generator gen = at::globalContext().defaultGenerator(device);
  std::lock_guard<std::mutex> lock(gen.mutex());
  return gen.get_state();
}

void setGeneratorState(torch::Device device, const torch::Tensor &state) {
  at::Generator gen = at::globalContext().defaultGenerator(device);
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(state);
}

std::string adamKey(size_t group, size_t index, const char *field) {
  return fmt::format("adam.{}.{}.{}", group, index, field);
}

[[noreturn]] void mismatch(const Checkpoint &ck, const std::string &what) {
  throw CheckpointError(fmt::format("{}: {}", ck.source(), what));
}

// A stored tensor that must have `like`'s shape.
torch::Tensor fitting(const Checkpoint &ck, const std::string &key,
                      const torch::Tensor &like) {
  const torch::Tensor &t = ck.getTensor(key);
  if (t.sizes() != like.sizes() || t.scalar_type() != like.scalar_type())
    mismatch(ck, fmt::format("'{}' is {} {}, this run's is {} {}", key,
                             c10::toString(t.scalar_type()), t.sizes(),
                             c10::toString(like.scalar_type()), like.sizes()));
  return t;
}

void saveEpochs(Checkpoint &ck, const std::vector<EpochMetrics> &epochs) {
  int64_t n = int64_t(epochs.size());
  ck.setInt("metrics.count", n);
  torch::Tensor values = torch::zeros({n, kMetricColumns}, torch::kDouble);
  torch::Tensor pools = torch::zeros({n}, torch::kLong);
  torch::Tensor skipped = torch::zeros({n}, torch::kLong);
  for (int64_t i = 0; i < n; ++i) {
    const EpochMetrics &m = epochs[i];
    double row[kMetricColumns] = {
        double(m.epoch),         m.loss,   m.trainAccuracy, m.testAccuracy,
        m.testMacroF1,           m.lambda, m.poolLambda,    m.seconds,
        m.imagesPerSecond,       m.lr,     m.gradNormMean,  m.gradNormMax,
        double(m.clippedBatches)};
    for (int c = 0; c < kMetricColumns; ++c)
      values[i][c] = row[c];
    pools[i] = int64_t(m.poolMode);
    skipped[i] = m.skippedBatches;
    std::vector<std::string> names;
    std::vector<int64_t> sizes;
    std::vector<double> coeffs;
    for (const auto &[name, c] : m.coefficients) {
      names.push_back(name);
      sizes.push_back(int64_t(c.size()));
      coeffs.insert(coeffs.end(), c.begin(), c.end());
    }
    ck.setString(fmt::format("metrics.{}.coeff_names", i),
                 fmt::format("{}", fmt::join(names, "\n")));
    ck.setTensor(fmt::format("metrics.{}.coeff_sizes", i),
                 torch::tensor(sizes, torch::kLong).reshape({-1}));
    ck.setTensor(fmt::format("metrics.{}.coeffs", i),
                 torch::tensor(coeffs, torch::kDouble).reshape({-1}));
  }
  ck.setTensor("metrics.values", values);
  ck.setTensor("metrics.pool_mode", pools);
  ck.setTensor("metrics.skipped", skipped);
}
} // namespace

std::vector<EpochMetrics> epochsOf(const Checkpoint &ck) {
  int64_t n = ck.getInt("metrics.count");
  if (n < 0 || n > 1000000)
    mismatch(ck, fmt::format("metrics.count is {}", n));
  const torch::Tensor &values = ck.getTensor("metrics.values");
  const torch::Tensor &pools = ck.getTensor("metrics.pool_mode");
  const torch::Tensor &skipped = ck.getTensor("metrics.skipped");
  if (values.scalar_type() != torch::kDouble ||
      values.sizes() != torch::IntArrayRef{n, kMetricColumns} ||
      pools.scalar_type() != torch::kLong ||
      pools.sizes() != torch::IntArrayRef{n} ||
      skipped.scalar_type() != torch::kLong ||
      skipped.sizes() != torch::IntArrayRef{n})
    mismatch(ck, "the metrics tables do not match metrics.count");
  std::vector<EpochMetrics> out;
  const double *v = values.data_ptr<double>();
  for (int64_t i = 0; i < n; ++i, v += kMetricColumns) {
    EpochMetrics m;
    m.epoch = int(v[0]);
    m.loss = v[1];
    m.trainAccuracy = v[2];
    m.testAccuracy = v[3];
    m.testMacroF1 = v[4];
    m.lambda = v[5];
    m.poolLambda = v[6];
    m.seconds = v[7];
    m.imagesPerSecond = v[8];
    m.lr = v[9];
    m.gradNormMean = v[10];
    m.gradNormMax = v[11];
    m.clippedBatches = int64_t(v[12]);
    m.poolMode = pools.data_ptr<int64_t>()[i] == int64_t(PoolMode::Smooth)
                     ? PoolMode::Smooth
                     : PoolMode::Hard;
    m.skippedBatches = skipped.data_ptr<int64_t>()[i];
    const std::string &names =
        ck.getString(fmt::format("metrics.{}.coeff_names", i));
    const torch::Tensor &sizes =
        ck.getTensor(fmt::format("metrics.{}.coeff_sizes", i));
    const torch::Tensor &coeffs =
        ck.getTensor(fmt::format("metrics.{}.coeffs", i));
    if (sizes.scalar_type() != torch::kLong || sizes.dim() != 1 ||
        coeffs.scalar_type() != torch::kDouble || coeffs.dim() != 1)
      mismatch(ck, fmt::format("the coefficients of epoch {} are malformed",
                               m.epoch));
    int64_t at = 0;
    size_t start = 0;
    for (int64_t k = 0; k < sizes.numel(); ++k) {
      size_t end = names.find('\n', start);
      std::string name = names.substr(start, end - start);
      start = end == std::string::npos ? names.size() : end + 1;
      int64_t size = sizes.data_ptr<int64_t>()[k];
      if (size < 0 || at + size > coeffs.numel())
        mismatch(ck, fmt::format("the coefficients of epoch {} are malformed",
                                 m.epoch));
      const double *c = coeffs.data_ptr<double>() + at;
      m.coefficients.emplace_back(name, std::vector<double>(c, c + size));
      at += size;
    }
    out.push_back(std::move(m));
  }
  return out;
}

Checkpoint saveTrainState(HeModule &model, torch::optim::Adam &adam,
                          const BatchIterator &batches, const RunResult &result,
                          const Progress &p, const TrainOptions &o) {
  torch::NoGradGuard noGrad;
  Checkpoint ck;
  ck.setInt("train.seed", int64_t(o.seed));
  ck.setInt("train.batch_size", o.batchSize);
  ck.setInt("progress.epoch", p.epoch);
  ck.setInt("progress.in_epoch", p.inEpoch);
  ck.setInt("progress.batch", p.batch);
  ck.setDouble("progress.loss_sum", p.lossSum);
  ck.setInt("progress.correct", p.correct);
  ck.setInt("progress.seen", p.seen);
  ck.setInt("progress.skipped", p.skipped);
  ck.setInt("progress.clipped", p.clipped);
  ck.setDouble("progress.grad_norm_sum", p.gradNormSum);
  ck.setDouble("progress.grad_norm_max", p.gradNormMax);
  ck.setDouble("progress.seconds", p.seconds);
  ck.setDouble("schedule.lambda",
               o.useTransition ? lambdaAt(p.epoch, o.e0, o.d) : 0.0);
  ck.setDouble("schedule.pool_lambda",
               o.useTransition ? poolLambdaAt(o.poolMode, p.epoch, o.e0, o.d)
                               : 0.0);
  ck.setString("schedule.pool_mode", poolModeName(o.poolMode));

  for (const auto &item : model.named_parameters())
    ck.setTensor("model." + item.key(), item.value());
  for (const auto &item : model.named_buffers())
    ck.setTensor("model." + item.key(), item.value());
  std::vector<double> lambdas = model.blendLambdas();
  ck.setTensor("model.blend_lambdas",
               torch::tensor(lambdas, torch::kDouble).reshape({-1}));

  const auto &groups = adam.param_groups();
  ck.setInt("adam.groups", int64_t(groups.size()));
  for (size_t g = 0; g < groups.size(); ++g) {
    const auto &params = groups[g].params();
    ck.setInt(fmt::format("adam.{}.size", g), int64_t(params.size()));
    for (size_t i = 0; i < params.size(); ++i) {
      auto it = adam.state().find(
          c10::guts::to_string(params[i].unsafeGetTensorImpl()));
      if (it == adam.state().end())
        continue; // no step taken yet
      auto &s = static_cast<torch::optim::AdamParamState &>(*it->second);
      ck.setInt(adamKey(g, i, "step"), s.step());
      ck.setTensor(adamKey(g, i, "exp_avg"), s.exp_avg());
      ck.setTensor(adamKey(g, i, "exp_avg_sq"), s.exp_avg_sq());
      if (s.max_exp_avg_sq().defined())
        ck.setTensor(adamKey(g, i, "max_exp_avg_sq"), s.max_exp_avg_sq());
    }
  }

  ck.setTensor("rng.cpu", generatorState(torch::kCPU));
  if (!o.device.is_cpu())
    ck.setTensor("rng.device", generatorState(o.device));
  BatchIterator::State b = batches.state();
  ck.setString("batches.rng", b.rng);
  ck.setTensor("batches.order",
               torch::tensor(b.order, torch::kLong).reshape({-1}));
  ck.setInt("batches.position", b.position);
  ck.setInt("train.data_size", int64_t(b.order.size()));

  saveEpochs(ck, result.epochs);
  ck.setDouble("result.test_accuracy", result.testAccuracy);
  ck.setDouble("result.test_macro_f1", result.testMacroF1);
  if (result.confusion.defined())
    ck.setTensor("result.confusion", result.confusion);
  for (const auto &[key, value] : o.checkpointInfo)
    ck.setString("info." + key, value);
  return ck;
}

Progress restoreTrainState(const Checkpoint &ck, HeModule &model,
                           torch::optim::Adam &adam, BatchIterator &batches,
                           RunResult &result, const TrainOptions &o) {
  torch::NoGradGuard noGrad;
  auto expect = [&](const char *key, int64_t want) {
    if (int64_t got = ck.getInt(key); got != want)
      mismatch(ck, fmt::format("written with {} = {}, this run has {}", key,
                               got, want));
  };
  expect("train.seed", int64_t(o.seed));
  expect("train.batch_size", o.batchSize);

  Progress p;
  int64_t epoch = ck.getInt("progress.epoch");
  if (epoch < 1 || epoch > int64_t(o.epochs) + 1)
    mismatch(ck, fmt::format("resumes at epoch {} of a run of {} epochs", epoch,
                             o.epochs));
  p.epoch = int(epoch);
  p.inEpoch = ck.getInt("progress.in_epoch") != 0;
  p.batch = ck.getInt("progress.batch");
  p.lossSum = ck.getDouble("progress.loss_sum");
  p.correct = ck.getInt("progress.correct");
  p.seen = ck.getInt("progress.seen");
  p.skipped = ck.getInt("progress.skipped");
  p.clipped = ck.getInt("progress.clipped");
  p.gradNormSum = ck.getDouble("progress.grad_norm_sum");
  p.gradNormMax = ck.getDouble("progress.grad_norm_max");
  p.seconds = ck.getDouble("progress.seconds");
  if (p.batch < 0 || p.skipped < 0 || p.skipped > p.batch)
    mismatch(ck, fmt::format("progress.batch {} and progress.skipped {} are "
                             "inconsistent",
                             p.batch, p.skipped));
  if (ck.getString("schedule.pool_mode") != poolModeName(o.poolMode))
    mismatch(ck, fmt::format("written with pool mode {}, this run has {}",
                             ck.getString("schedule.pool_mode"),
                             poolModeName(o.poolMode)));

  // Every tensor of the model, and nothing else.
  size_t tensors = 0;
  auto load = [&](const std::string &name, torch::Tensor &t) {
    t.copy_(fitting(ck, "model." + name, t.to(torch::kCPU)));
    ++tensors;
  };
  for (auto &item : model.named_parameters())
    load(item.key(), item.value());
  for (auto &item : model.named_buffers())
    load(item.key(), item.value());
  if (ck.keysWithPrefix("model.").size() != tensors + 1)
    mismatch(ck, fmt::format("holds {} model tensors, this model has {}",
                             ck.keysWithPrefix("model.").size() - 1, tensors));
  torch::Tensor lambdas =
      torch::tensor(model.blendLambdas(), torch::kDouble).reshape({-1});
  fitting(ck, "model.blend_lambdas", lambdas);

  const auto &groups = adam.param_groups();
  expect("adam.groups", int64_t(groups.size()));
  for (size_t g = 0; g < groups.size(); ++g) {
    const auto &params = groups[g].params();
    expect(fmt::format("adam.{}.size", g).c_str(), int64_t(params.size()));
    for (size_t i = 0; i < params.size(); ++i) {
      std::string key = c10::guts::to_string(params[i].unsafeGetTensorImpl());
      if (!ck.has(adamKey(g, i, "step"))) {
        adam.state().erase(key);
        continue;
      }
      const torch::Tensor &param = params[i];
      auto onDevice = [&](const char *field) {
        return fitting(ck, adamKey(g, i, field), param.detach().to(torch::kCPU))
            .to(param.device());
      };
      auto s = std::make_unique<torch::optim::AdamParamState>();
      s->step(ck.getInt(adamKey(g, i, "step")));
      s->exp_avg(onDevice("exp_avg"));
      s->exp_avg_sq(onDevice("exp_avg_sq"));
      if (ck.has(adamKey(g, i, "max_exp_avg_sq")))
        s->max_exp_avg_sq(onDevice("max_exp_avg_sq"));
      adam.state()[key] = std::move(s);
    }
  }

  BatchIterator::State b;
  b.rng = ck.getString("batches.rng");
  const torch::Tensor &order = ck.getTensor("batches.order");
  if (order.scalar_type() != torch::kLong || order.dim() != 1)
    mismatch(ck, "batches.order is not a list of integers");
  b.order.assign(order.data_ptr<int64_t>(),
                 order.data_ptr<int64_t>() + order.numel());
  b.position = ck.getInt("batches.position");
  try {
    batches.restore(b);
  } catch (const CheckpointError &) {
    throw;
  } catch (const Error &e) {
    mismatch(ck, e.what());
  }

  try {
    setGeneratorState(torch::kCPU, ck.getTensor("rng.cpu"));
    if (!o.device.is_cpu())
      setGeneratorState(o.device, ck.getTensor("rng.device"));
  } catch (const c10::Error &e) {
    mismatch(ck, std::string("random generator state: ") +
                     e.what_without_backtrace());
  }

  result.epochs = epochsOf(ck);
  if (int64_t(result.epochs.size()) != p.epoch - 1)
    mismatch(ck, fmt::format("has the metrics of {} epochs but resumes at "
                             "epoch {}",
                             result.epochs.size(), p.epoch));
  result.testAccuracy = ck.getDouble("result.test_accuracy");
  result.testMacroF1 = ck.getDouble("result.test_macro_f1");
  if (ck.has("result.confusion"))
    result.confusion = ck.getTensor("result.confusion");
  return p;
}

StepStart stepStart(const HeModule &model, const BatchIterator &batches,
                    const Progress &progress, torch::Device device) {
  StepStart start;
  start.progress = progress;
  start.position = batches.position();
  start.rngCpu = generatorState(torch::kCPU);
  if (!device.is_cpu())
    start.rngDevice = generatorState(device);
  for (const torch::Tensor &t : model.batchNormStatistics())
    start.statistics.push_back(t.detach().clone());
  return start;
}

void returnToStepStart(const StepStart &start, HeModule &model,
                       BatchIterator &batches, Progress &progress,
                       torch::Device device) {
  progress = start.progress;
  batches.rewind(start.position);
  setGeneratorState(torch::kCPU, start.rngCpu);
  if (!device.is_cpu())
    setGeneratorState(device, start.rngDevice);
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> statistics = model.batchNormStatistics();
  for (size_t i = 0; i < statistics.size(); ++i)
    statistics[i].copy_(start.statistics[i]);
}

} // namespace he::runtime
