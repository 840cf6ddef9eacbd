// hec-bench-train-step: the training-step throughput of a zoo network as hec
// trains it. The network comes from the zoo through tp_st's own passes
// (frontend::methodPipeline: max-pools blended with their average, every
// ReLU blended with a polynomial), λ is set on every activation blend
// through HeModule and the pool blends are at 1 (hec's hard pool switch
// during the transition), and the steps are runtime::train()'s own. It trains
// warmup + steps batches in one run and times the last `steps` (from the
// end of batch `warmup` to the end of the last one), so data loading, the
// optimiser's first step and one-off allocations stay outside the timing.
//
// Prints one JSON line; bench/run_train_step.py runs it beside
// bench/train_step.py, the same step in PyTorch.
#include "dialect/HeOps.h"
#include "lib/Frontend/Methods.h"
#include "lib/Frontend/Zoo.h"
#include "lib/Transforms/Passes.h"
#include "runtime/Data.h"
#include "runtime/Error.h"
#include "runtime/HeModule.h"
#include "runtime/Trainer.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/version.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>

#include <fmt/core.h>

namespace cl = llvm::cl;
using namespace he;

static cl::opt<std::string> model("model", cl::init("alexnet_small"),
                                  cl::desc("zoo network"));
static cl::opt<double> lambda("lambda", cl::init(0.5),
                              cl::desc("λ of every activation blend"));
static cl::opt<int64_t> batch("batch", cl::init(128));
static cl::opt<int64_t> warmup("warmup", cl::init(5),
                               cl::desc("untimed steps first"));
static cl::opt<int64_t> steps("steps", cl::init(30), cl::desc("timed steps"));
static cl::opt<int> threads("torch-threads", cl::init(2),
                            cl::desc("at::set_num_threads"));
static cl::opt<int64_t> imageSize("image-size", cl::init(28),
                                  cl::desc("images resized to N x N"));
static cl::opt<int64_t> channels("channels", cl::init(1),
                                 cl::desc("the grey images repeated over C"));
static cl::opt<int64_t> classes("classes", cl::init(10));
static cl::opt<uint64_t> seed("seed", cl::init(0));
static cl::opt<bool> emitIR("emit-ir",
                            cl::desc("print the network's IR and exit"));
static cl::opt<std::string>
    profile("profile", cl::desc("write a chrome trace of the timed steps"),
            cl::value_desc("file"));
static cl::opt<bool>
    stopPoll("stop-poll",
             cl::desc("poll for a stop as hec does: before every batch and "
                      "inside each step (its cost, against the default)"));
static cl::opt<std::string>
    dataDir("data", cl::init("/usr/share/datasets/fashion-mnist"));

namespace {
// Fashion-MNIST's training-set mean and standard deviation.
constexpr double kMean = 0.2860, kStd = 0.3530;

// The first n training images, resized and repeated over the channels when
// asked, normalised. The copy lets the rest of the file's images go.
runtime::Dataset loadImages(int64_t n) {
  runtime::Dataset data =
      runtime::subset(runtime::loadFashionMnist(dataDir, /*train=*/true), n);
  data.images = data.images.clone();
  data.labels = data.labels.clone();
  if (imageSize != data.images.size(2))
    data.images = at::upsample_bilinear2d(data.images, {imageSize, imageSize},
                                          /*align_corners=*/false);
  if (channels != 1)
    data.images = data.images.repeat({1, channels, 1, 1});
  data.images = data.images.contiguous();
  runtime::normalise(data, {kMean}, {kStd});
  return data;
}

// Multiply-adds per image of the convolutions and linear layers; a training
// step costs 2 FLOPs each for the forward, the weight gradient and (but for
// a layer reading the images) the input gradient.
double stepFlops(mlir::func::FuncOp func, int64_t batchSize) {
  double flops = 0;
  auto count = [&](mlir::Value input, double macs) {
    bool inputGrad = input != func.getArgument(0);
    flops += 2 * macs * batchSize * (inputGrad ? 3 : 2);
  };
  func.walk([&](Conv2dOp conv) {
    auto out = mlir::cast<mlir::RankedTensorType>(conv.getType()).getShape();
    auto w = mlir::cast<mlir::RankedTensorType>(conv.getWeight().getType())
                 .getShape();
    count(conv.getInput(),
          double(out[1]) * out[2] * out[3] * w[1] * w[2] * w[3]);
  });
  func.walk([&](LinearOp linear) {
    auto w = mlir::cast<mlir::RankedTensorType>(linear.getWeight().getType())
                 .getShape();
    count(linear.getInput(), double(w[0]) * w[1]);
  });
  return flops;
}

int64_t highWaterKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0)
      return std::stoll(line.substr(6));
  return -1;
}

// From here on VmHWM is the peak of what follows (Linux >= 4.0).
void resetHighWater() { std::ofstream("/proc/self/clear_refs") << "5"; }

int run() {
  int64_t n = std::max<int64_t>(warmup + steps, 1) * batch;
  runtime::Dataset data = loadImages(n);
  runtime::Dataset test = runtime::subset(data, batch);

  mlir::MLIRContext context;
  context.loadDialect<HeDialect, mlir::func::FuncDialect>();
  mlir::OwningOpRef<mlir::ModuleOp> module = frontend::buildModel(
      model, classes, {channels, imageSize, imageSize}, context);
  if (!module)
    return 1;
  mlir::PassManager pm(&context);
  std::string pipeline = frontend::methodPipeline(frontend::Method::TpSt, {});
  if (failed(mlir::parsePassPipeline("func.func(" + pipeline + ")", pm)) ||
      failed(pm.run(*module)))
    return 1;
  auto func = module->lookupSymbol<mlir::func::FuncOp>("forward");
  if (emitIR) {
    module->print(llvm::outs());
    return 0;
  }

  torch::manual_seed(seed);
  runtime::HeModule net(func);
  net.setActivationLambda(lambda);
  net.setPoolLambda(1.0);

  using Clock = std::chrono::steady_clock;
  std::vector<Clock::time_point> ends;
  runtime::TrainOptions o;
  o.epochs = 1;
  o.batchSize = batch;
  o.lr = o.coeffLr = 1e-3;
  o.seed = seed;
  o.threads = threads;
  o.maxBatchesPerEpoch = warmup + steps;
  std::atomic<bool> stop{false}; // never set: only the polls' cost
  if (stopPoll)
    o.stopRequested = [&stop] { return stop.load(); };
  std::unique_ptr<torch::autograd::profiler::RecordProfile> profiler;
  o.onBatch = [&](int, int64_t, int64_t, double) {
    ends.push_back(Clock::now());
    if (!profile.empty() && int64_t(ends.size()) == warmup)
      profiler = std::make_unique<torch::autograd::profiler::RecordProfile>(
          profile.getValue());
  };
  resetHighWater();
  runtime::RunResult r = runtime::train(net, data, test, o);
  profiler.reset();
  if (r.diverged || int64_t(ends.size()) != warmup + steps) {
    fmt::print(stderr, "hec-bench-train-step: ran {} of {} steps{}{}\n",
               ends.size(), warmup + steps, r.diverged ? ": " : "", r.message);
    return 1;
  }
  Clock::time_point start = warmup > 0 ? ends[warmup - 1] : ends.front();
  int64_t timed = warmup > 0 ? steps : steps - 1;
  double seconds = std::chrono::duration<double>(ends.back() - start).count();
  fmt::print("{{\"impl\": \"hec\", \"model\": \"{}\", \"lambda\": {}, "
             "\"batch\": {}, \"steps\": {}, \"threads\": {}, "
             "\"stop_poll\": {}, "
             "\"image\": [{}, {}, {}], \"seconds\": {}, "
             "\"images_per_s\": {}, \"step_peak_rss_kb\": {}, "
             "\"step_flops\": {}, \"torch\": \"{}.{}\"}}\n",
             model.getValue(), lambda.getValue(), batch.getValue(), timed,
             threads.getValue(), bool(stopPoll), channels.getValue(),
             imageSize.getValue(), imageSize.getValue(), seconds,
             double(timed * batch) / seconds, highWaterKb(),
             stepFlops(func, batch), TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR);
  return 0;
}
} // namespace

int main(int argc, char **argv) {
  registerHePasses();
  cl::ParseCommandLineOptions(argc, argv, "hec training-step benchmark\n");
  try {
    return run();
  } catch (const std::exception &e) {
    fmt::print(stderr, "hec-bench-train-step: error: {}\n", e.what());
    return 1;
  }
}
