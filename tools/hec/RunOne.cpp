#include "tools/hec/RunOne.h"

#include "dialect/HeOps.h"
#include "lib/Frontend/Methods.h"
#include "runtime/Calibrate.h"
#include "runtime/Checkpoint.h"
#include "runtime/Metrics.h"
#include "runtime/Stop.h"
#include "tools/hec/EmitModel.h"
#include "tools/hec/MetricsLog.h"
#include "tools/hec/ModelInfo.h"
#include "tools/hec/RunFailure.h"
#include "tools/hec/SweepOrder.h"
#include "tools/hec/TrainOptions.h"

#include "llvm/Support/FileSystem.h"

#include <fmt/format.h>

using namespace he;
using namespace hec;
using frontend::Method;

RunTrainer::RunTrainer(const frontend::Experiment &exp, mlir::ModuleOp network,
                       const Splits &data, const SweepOptions &options,
                       Reporter &reporter)
    : exp_(exp), network_(network), data_(data), options_(options),
      reporter_(reporter), device_(chooseDevice(exp.training.device)),
      fingerprint_(runFingerprint(exp, options.maxBatchesPerEpoch)),
      inputs_(exp, *network.getContext(), options.outDir,
              options.only.has_value()) {}

void RunTrainer::checkOutput(size_t runs) {
  uint64_t paramBytes = 0;
  network_.walk([&](ParamOp param) {
    paramBytes +=
        4 * uint64_t(mlir::cast<mlir::RankedTensorType>(param.getType())
                         .getNumElements());
  });
  // Weights, Adam's two moments, the batch order; the models as bytecode
  // and as text (hex, twice the bytes).
  uint64_t checkpoint = 3 * paramBytes + 8 * uint64_t(data_.train.size());
  if (std::optional<std::string> warning = checkOutputFolder(
          options_.outDir, checkpoint, runs * 3 * paramBytes + checkpoint))
    reporter_.warning(*warning);
}

llvm::Expected<std::optional<RunRecord>>
RunTrainer::finished(const RunFiles &files) {
  return readRunRecord(files, fingerprint_);
}

void RunTrainer::useFinishedBaseline(int64_t seed) {
  RunFiles files = runFiles(options_.outDir, Method::Baseline, seed);
  llvm::Expected<std::optional<RunRecord>> done = finished(files);
  if (!done)
    llvm::consumeError(done.takeError());
  else if (*done && !(*done)->failed && !(*done)->diverged)
    inputs_.setBaseline(files.model());
}

std::optional<RunRecord> RunTrainer::run(Method method, int64_t seed) {
  RunRecord rec;
  rec.method = frontend::toString(method).str();
  rec.seed = seed;
  RunFiles files = runFiles(options_.outDir, method, seed);
  std::string label = runLabel(rec.method, seed);
  auto fail = [&](std::string message) {
    rec.failed = true;
    rec.message = std::move(message);
    reporter_.runFailed(label, rec.message);
  };
  if (options_.resume) {
    llvm::Expected<std::optional<RunRecord>> done = finished(files);
    if (!done) {
      fail(llvm::toString(done.takeError()));
      return rec;
    }
    if (*done && !(*done)->failed) {
      reporter_.runSkipped(label, (*done)->diverged);
      if (method == Method::Baseline && !(*done)->diverged)
        inputs_.setBaseline(files.model());
      return **done;
    }
  }
  rec.classNames = classNamesOf(data_.train);
  reporter_.runStarting(label, data_.train.size(), data_.test.size(),
                        data_.evaluated);
  try {
    if (std::error_code ec = llvm::sys::fs::create_directories(files.dir))
      throw RunFailure("cannot create " + files.dir + ": " + ec.message());
    clearTemporaries(files);
    std::optional<runtime::Checkpoint> resume;
    if (options_.resume && llvm::sys::fs::exists(files.checkpoint())) {
      try {
        resume = runtime::readCheckpoint(files.checkpoint());
      } catch (const runtime::CheckpointError &e) {
        throw RunFailure(std::string(e.what()) +
                         "; delete it (or run without --resume) to start "
                         "this run over");
      }
    } else {
      clearRunFolder(files);
    }
    if (!train(method, seed, files, label, rec, resume ? &*resume : nullptr))
      return std::nullopt;
  } catch (const runtime::Interrupted &) {
    // Stopped after its last epoch (calibrating, evaluating the emitted
    // model): not a failure; its last checkpoint has everything to finish.
    reporter_.runStopped(label, files.checkpoint());
    return std::nullopt;
  } catch (const std::exception &e) {
    fail(e.what());
  }
  if (auto err = writeRunRecord(files, rec, fingerprint_)) {
    fail(rec.message + (rec.message.empty() ? "" : "; ") +
         llvm::toString(std::move(err)));
  } else if (!rec.failed && !rec.diverged) {
    // Finished and recorded: the model has what the checkpoint had.
    llvm::sys::fs::remove(files.checkpoint());
  }
  return rec;
}

bool RunTrainer::train(Method method, int64_t seed, const RunFiles &files,
                       const std::string &label, RunRecord &rec,
                       const runtime::Checkpoint *resume) {
  runtime::TrainOptions o =
      trainOptions(exp_, method, seed, device_, options_.maxBatchesPerEpoch);
  if (o.threads <= 0 && options_.allCores > 0)
    o.threads = int(options_.allCores);
  o.checkpointPath = files.checkpoint();
  o.checkpointInfo = {{"fingerprint", fingerprint_},
                      {"method", rec.method},
                      {"seed", std::to_string(seed)}};
  o.stopRequested = options_.stopRequested;
  o.resume = resume;
  if (resume && (!resume->has("info.fingerprint") ||
                 resume->getString("info.fingerprint") != fingerprint_))
    throw RunFailure(resume->source() +
                     ": written for other settings (the experiment or "
                     "--max-batches changed since); run without --resume "
                     "to start over");

  mlir::OwningOpRef<mlir::ModuleOp> module =
      inputs_.startingNetwork(method, seed, o, resume);
  if (module)
    reporter_.startingFrom(label, inputs_.startingPath());
  else
    module = network_.clone();
  runPasses(*module, frontend::methodPipeline(method, exp_.polynomial), false);
  mlir::func::FuncOp func = forwardOf(*module);

  torch::manual_seed(seed);
  auto net = std::make_shared<runtime::HeModule>(func);

  MetricsLog metrics(files.metrics(), data_.evaluated);
  if (resume) {
    runtime::CheckpointProgress progress = runtime::checkpointProgress(*resume);
    for (const runtime::EpochMetrics &m : progress.epochs)
      metrics.add(m, allSkipped(m));
    reporter_.runResuming(label, resume->source(), progress.epoch,
                          progress.batch);
  }
  o.onEpoch = [&](const runtime::EpochMetrics &m) {
    metrics.add(m, allSkipped(m));
    reporter_.epoch(
        label, {m, o.epochs, data_.evaluated, o.useTransition, allSkipped(m)});
  };
  o.log = [&](const std::string &line) { reporter_.note(label, line); };
  o.onBatch = [&](int epoch, int64_t batch, int64_t batches, double loss) {
    reporter_.batch(label, epoch, o.epochs, batch, batches, loss);
  };
  runtime::HeModule *teacher = inputs_.teacher(method, seed, o, resume);

  runtime::RunResult result =
      runtime::train(*net, data_.train, data_.test, o, teacher);
  if (result.interrupted) {
    reporter_.runStopped(label, files.checkpoint());
    return false;
  }
  rec.accuracy = 100 * result.testAccuracy;
  rec.macroF1 = 100 * result.testMacroF1;
  double images = 0, seconds = 0;
  for (const auto &m : result.epochs) {
    images += m.imagesPerSecond * m.seconds;
    seconds += m.seconds;
  }
  rec.imagesPerSecond = seconds > 0 ? images / seconds : 0;
  if (result.diverged) {
    rec.diverged = true;
    rec.message = result.message;
    reporter_.runDiverged(label, result.message);
    return true;
  }

  net->writeBack(func);
  EmittedModel emitted;
  try {
    emitted = emitModel(*module, frontend::specOf(method).polynomial(), exp_,
                        data_, device_, files.dir);
  } catch (const runtime::NonFiniteActivations &e) {
    // Trained past non-finite losses (keep_going_on_nan), the network can
    // still produce NaN: no model to emit, the run diverged.
    rec.diverged = true;
    rec.message = fmt::format("after epoch {}: {}", o.epochs, e.what());
    reporter_.runDiverged(label, rec.message);
    return true;
  }
  rec.depth = emitted.depth;
  if (!emitted.onnxNote.empty())
    reporter_.note(label, llvm::StringRef(emitted.onnxNote).rtrim().str());

  // The emitted model, read back from disk, must score what training
  // measured: proof that folding and absorbing changed nothing.
  mlir::OwningOpRef<mlir::ModuleOp> written =
      inputs_.read(files.model(), "the emitted model");
  runtime::HeModule emittedNet(forwardOf(*written));
  rec.evalAccuracy = 100 * runtime::evaluate(emittedNet, data_.test,
                                             evalBatchSize(exp_), device_)
                               .accuracy;
  reporter_.runDone(label, rec, data_.evaluated, exp_.model.classes);
  if (method == Method::Baseline)
    inputs_.setBaseline(files.model());
  return true;
}

bool RunTrainer::allSkipped(const runtime::EpochMetrics &m) const {
  int64_t batchSize = std::max<int64_t>(1, exp_.training.batchSize);
  int64_t batches = (int64_t(data_.train.size()) + batchSize - 1) / batchSize;
  if (options_.maxBatchesPerEpoch > 0)
    batches = std::min(batches, options_.maxBatchesPerEpoch);
  return batches > 0 && m.skippedBatches >= batches;
}
