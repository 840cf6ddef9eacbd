#include "tools/hec/Sweep.h"

#include "dialect/HeOps.h"
#include "lib/Analysis/DepthReportFormat.h"
#include "lib/Frontend/BytecodeGuard.h"
#include "lib/Frontend/Methods.h"
#include "lib/Frontend/NetworkLoader.h"
#include "lib/Transforms/Pipelines.h"
#include "runtime/Checkpoint.h"
#include "runtime/Error.h"
#include "runtime/HeModule.h"
#include "runtime/Metrics.h"
#include "runtime/Trainer.h"
#include "tools/hec/Calibrate.h"
#include "tools/hec/ModelInfo.h"
#include "tools/hec/OnnxOutput.h"
#include "tools/hec/RunState.h"
#include "tools/hec/TrainOptions.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <torch/cuda.h>

#include <fmt/core.h>

#include <cstdio>
#include <unistd.h>

using namespace he;
using frontend::Experiment;
using frontend::Method;

namespace {
// Raised for anything that stops one run; the sweep records it and goes on.
struct RunFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void runPasses(mlir::ModuleOp module, llvm::StringRef funcPipeline,
               bool polynomialPipeline) {
  mlir::PassManager pm(module.getContext());
  std::string errors;
  llvm::raw_string_ostream es(errors);
  if (!funcPipeline.empty() &&
      failed(mlir::parsePassPipeline(("func.func(" + funcPipeline + ")").str(),
                                     pm, es)))
    throw RunFailure("cannot build the pass pipeline: " + es.str());
  if (polynomialPipeline && failed(buildPolynomialPipeline(pm, es)))
    throw RunFailure("cannot build the polynomial pipeline: " + es.str());
  if (failed(pm.run(module)))
    throw RunFailure("a pass failed (see the errors above)");
}

mlir::func::FuncOp forwardOf(mlir::ModuleOp module) {
  auto func = module.lookupSymbol<mlir::func::FuncOp>("forward");
  if (!func)
    throw RunFailure("the network has no func.func @forward");
  return func;
}

// `split` names the evaluation split's keys: test_accuracy or
// validation_accuracy, so a file never calls validation numbers test ones.
// `allSkipped`: every batch of the epoch was skipped for a non-finite loss,
// so the trainer's mean loss (0) is no loss at all.
llvm::json::Value epochJson(const runtime::EpochMetrics &m,
                            const std::string &split, bool allSkipped) {
  llvm::json::Object coeffs;
  for (const auto &[name, values] : m.coefficients) {
    llvm::json::Array a;
    for (double v : values)
      a.push_back(v);
    coeffs[name] = std::move(a);
  }
  llvm::json::Value loss = nullptr;
  if (!allSkipped)
    loss = m.loss;
  return llvm::json::Object{{"epoch", m.epoch},
                            {"loss", std::move(loss)},
                            {"train_accuracy", m.trainAccuracy},
                            {split + "_accuracy", m.testAccuracy},
                            {split + "_macro_f1", m.testMacroF1},
                            {"lambda", m.lambda},
                            {"lr", m.lr},
                            {"pool", runtime::poolModeName(m.poolMode)},
                            {"pool_lambda", m.poolLambda},
                            {"seconds", m.seconds},
                            {"images_per_s", m.imagesPerSecond},
                            {"skipped_batches", m.skippedBatches},
                            {"grad_norm", m.gradNormMean},
                            {"grad_norm_max", m.gradNormMax},
                            {"clipped_batches", m.clippedBatches},
                            {"coefficients", std::move(coeffs)}};
}

void writeModule(mlir::ModuleOp module, const std::string &folder) {
  std::string bc;
  llvm::raw_string_ostream bcs(bc);
  if (failed(mlir::writeBytecodeToFile(module, bcs)))
    throw RunFailure("cannot encode the model as bytecode");
  std::string text;
  llvm::raw_string_ostream ts(text);
  module.print(ts);
  // The checksum first: a model.mlirbc is never newer than its sidecar's
  // digest, so a crash between the two leaves a mismatch, never a pass.
  std::string model = folder + "/model.mlirbc";
  if (auto err =
          hec::writeFileAtomically(frontend::checksumPath(model),
                                   frontend::checksumRecord(bcs.str(), model)))
    throw RunFailure(llvm::toString(std::move(err)));
  if (auto err = hec::writeFileAtomically(model, bcs.str()))
    throw RunFailure(llvm::toString(std::move(err)));
  if (auto err = hec::writeFileAtomically(folder + "/model.mlir", ts.str()))
    throw RunFailure(llvm::toString(std::move(err)));
}

// A one-line progress bar within an epoch, redrawn in place; only on a
// terminal, so logs and pipes get one line per epoch.
void printProgress(const std::string &label, int epoch, int epochs,
                   int64_t batch, int64_t batches, double loss) {
  constexpr int width = 30;
  int filled = batches > 0 ? int(width * batch / batches) : 0;
  fmt::print("\r{} epoch {}/{} [{:=<{}}{: <{}}] {}/{} loss {:.4f}", label,
             epoch, epochs, "", filled, "", width - filled, batch, batches,
             loss);
  std::fflush(stdout);
}

class Sweep {
public:
  Sweep(const Experiment &exp, mlir::ModuleOp network, const hec::Splits &data,
        const hec::SweepOptions &options)
      : exp_(exp), network_(network), data_(data), options_(options),
        device_(hec::chooseDevice(exp.training.device)),
        fingerprint_(hec::runFingerprint(exp, options.maxBatchesPerEpoch)) {}

  std::vector<hec::RunRecord> run() {
    std::vector<Method> methods = exp_.methods;
    std::stable_sort(methods.begin(), methods.end(), [](Method a, Method b) {
      return a == Method::Baseline && b != Method::Baseline;
    });
    checkOutput(methods.size() * exp_.training.seeds.size());
    std::vector<hec::RunRecord> records;
    for (int64_t seed : exp_.training.seeds) {
      baselineModel_.clear();
      for (Method method : methods) {
        if (options_.stopRequested && options_.stopRequested())
          return records;
        if (options_.only && *options_.only != std::pair{method, seed}) {
          if (method == Method::Baseline)
            useFinishedBaseline(seed);
          continue;
        }
        std::optional<hec::RunRecord> record = runOne(method, seed);
        if (!record) // interrupted: its checkpoint has the rest
          return records;
        records.push_back(std::move(*record));
        if (options_.onRun)
          options_.onRun(records);
      }
    }
    return records;
  }

private:
  // Before training: the run folder takes a checkpoint, and (a warning)
  // has room for every run's files.
  void checkOutput(size_t runs) {
    uint64_t paramBytes = 0;
    network_.walk([&](ParamOp param) {
      paramBytes +=
          4 * uint64_t(mlir::cast<mlir::RankedTensorType>(param.getType())
                           .getNumElements());
    });
    // Weights, Adam's two moments, the batch order; the models as bytecode
    // and as text (hex, twice the bytes).
    uint64_t checkpoint = 3 * paramBytes + 8 * uint64_t(data_.train.size());
    hec::checkOutputFolder(options_.outDir, checkpoint,
                           runs * 3 * paramBytes + checkpoint);
  }

  // One run; nullopt when a stop request interrupted it.
  std::optional<hec::RunRecord> runOne(Method method, int64_t seed) {
    hec::RunRecord rec;
    rec.method = frontend::toString(method).str();
    rec.seed = seed;
    hec::RunFiles files{
        llvm::formatv("{0}/{1}/seed-{2}", options_.outDir, rec.method, seed)};
    std::string label = llvm::formatv("[{0} seed {1}]", rec.method, seed);
    if (options_.resume) {
      llvm::Expected<std::optional<hec::RunRecord>> done =
          hec::readRunRecord(files, fingerprint_);
      if (!done) {
        rec.failed = true;
        rec.message = llvm::toString(done.takeError());
        fmt::print(stderr, "{} failed: {}\n", label, rec.message);
        return rec;
      }
      if (*done && !(*done)->failed) {
        fmt::print("{} finished earlier{}: skipped\n", label,
                   (*done)->diverged ? " (diverged)" : "");
        if (method == Method::Baseline && !(*done)->diverged)
          baselineModel_ = files.model();
        return **done;
      }
    }
    rec.classNames = hec::classNamesOf(data_.train);
    fmt::print("{} training on {} images, evaluating on {} {} images\n", label,
               data_.train.size(), data_.test.size(), data_.evaluated);
    std::fflush(stdout);
    try {
      if (std::error_code ec = llvm::sys::fs::create_directories(files.dir))
        throw RunFailure("cannot create " + files.dir + ": " + ec.message());
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
        hec::clearRunFolder(files);
      }
      if (!train(method, seed, files, label, rec, resume ? &*resume : nullptr))
        return std::nullopt;
    } catch (const std::exception &e) {
      rec.failed = true;
      rec.message = e.what();
      fmt::print(stderr, "{} failed: {}\n", label, e.what());
    }
    if (auto err = hec::writeRunRecord(files, rec, fingerprint_)) {
      rec.failed = true;
      rec.message +=
          (rec.message.empty() ? "" : "; ") + llvm::toString(std::move(err));
      fmt::print(stderr, "{} failed: {}\n", label, rec.message);
    } else if (!rec.failed && !rec.diverged) {
      // Finished and recorded: the model has what the checkpoint had.
      llvm::sys::fs::remove(files.checkpoint());
    }
    return rec;
  }

  // Trains one run, from `resume` when given; false when interrupted.
  bool train(Method method, int64_t seed, const hec::RunFiles &files,
             const std::string &label, hec::RunRecord &rec,
             const runtime::Checkpoint *resume) {
    const std::string &folder = files.dir;
    runtime::TrainOptions o = hec::trainOptions(exp_, method, seed, device_,
                                                options_.maxBatchesPerEpoch);
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
        startingNetwork(method, seed, label, o, resume);
    runPasses(*module, frontend::methodPipeline(method, exp_.polynomial),
              false);
    mlir::func::FuncOp func = forwardOf(*module);

    torch::manual_seed(seed);
    auto net = std::make_shared<runtime::HeModule>(func);
    if (frontend::specOf(method).polynomial())
      net->setCoefficientScales(
          {1.0, exp_.polynomial.scaleB, exp_.polynomial.scaleA});

    // metrics.jsonl is rewritten whole after every epoch, so that it never
    // holds half a line, and matches the checkpoint on resume.
    std::string metrics;
    auto writeMetrics = [&] {
      if (auto err = hec::writeFileAtomically(files.metrics(), metrics))
        throw RunFailure(llvm::toString(std::move(err)));
    };
    if (resume) {
      runtime::CheckpointProgress progress =
          runtime::checkpointProgress(*resume);
      for (const runtime::EpochMetrics &m : progress.epochs)
        metrics +=
            llvm::formatv("{0}\n", epochJson(m, data_.evaluated, allSkipped(m)))
                .str();
      writeMetrics();
      fmt::print("{} resuming from {} at epoch {}, batch {}\n", label,
                 resume->source(), progress.epoch, progress.batch);
    }
    o.onEpoch = [&](const runtime::EpochMetrics &m) {
      if (isatty(fileno(stdout)))
        fmt::print("\r\033[K"); // clear the progress bar
      metrics +=
          llvm::formatv("{0}\n", epochJson(m, data_.evaluated, allSkipped(m)))
              .str();
      writeMetrics();
      // Only a transition has a lambda: the other methods' networks have
      // no he.blend, and "lambda 0.00" would read as "still ReLU".
      std::string schedule =
          o.useTransition
              ? fmt::format("lambda {:.2f}, pool {} {:.2f}, ", m.lambda,
                            runtime::poolModeName(m.poolMode), m.poolLambda)
              : "";
      std::string loss =
          !allSkipped(m)
              ? fmt::format("{:.4f}", m.loss)
              : fmt::format("n/a (all {} batches skipped: non-finite loss)",
                            m.skippedBatches);
      fmt::print("{} epoch {}/{}: loss {}, train {:.2f}%, {} {:.2f}%, "
                 "macro-F1 {:.2f}%, {}lr {:.3g}, {:.1f} s, {:.0f} images/s\n",
                 label, m.epoch, o.epochs, loss, 100 * m.trainAccuracy,
                 data_.evaluated, 100 * m.testAccuracy, 100 * m.testMacroF1,
                 schedule, m.lr, m.seconds, m.imagesPerSecond);
      std::fflush(stdout);
    };
    o.log = [&](const std::string &line) {
      if (isatty(fileno(stdout)))
        fmt::print("\r\033[K");
      fmt::print("{} {}\n", label, line);
      std::fflush(stdout);
    };
    if (isatty(fileno(stdout)))
      o.onBatch = [&](int epoch, int64_t batch, int64_t batches, double loss) {
        printProgress(label, epoch, o.epochs, batch, batches, loss);
      };
    runtime::HeModule *teacher = nullptr;
    if (frontend::specOf(method).distillation)
      teacher = loadTeacher(seed, o, resume);

    runtime::RunResult result =
        runtime::train(*net, data_.train, data_.test, o, teacher);
    if (result.interrupted) {
      if (isatty(fileno(stdout)))
        fmt::print("\r\033[K");
      fmt::print("{} stopped; checkpoint {}\n", label, files.checkpoint());
      std::fflush(stdout);
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
      fmt::print("{} diverged: {}\n", label, result.message);
      return true;
    }

    net->writeBack(func);
    runPasses(*module, "", frontend::specOf(method).polynomial());
    hec::calibrateNetwork(func, data_.train, device_, hec::evalBatchSize(exp_));
    DepthReportData report = buildDepthReport(func, CostModel{}, ckks());
    rec.depth = report.depth.totalDepth;
    std::string depthJson;
    llvm::raw_string_ostream ds(depthJson);
    ds << llvm::formatv("{0:2}", depthReportJson(report)) << "\n";
    if (auto err = hec::writeFileAtomically(folder + "/depth.json", ds.str()))
      throw RunFailure(llvm::toString(std::move(err)));
    hec::annotateModel(*module, data_.train);
    writeModule(*module, folder);
    if (auto err = hec::writeOnnxModel(*module, folder, ckks()))
      fmt::print("{} {}", label, llvm::toString(std::move(err)));

    // The emitted model, read back from disk, must score what training
    // measured: proof that folding and absorbing changed nothing.
    rec.evalAccuracy = 100 * evaluateFile(folder + "/model.mlirbc").accuracy;
    fmt::print(
        "{} done: {} accuracy {:.2f}%, macro-F1 {:.2f}%, emitted "
        "model {:.2f}%, depth {}\n",
        label, data_.evaluated, rec.accuracy, rec.macroF1, rec.evalAccuracy,
        rec.depth ? std::to_string(*rec.depth) : "none (not polynomial)");
    if (hec::collapsed(rec, exp_.model.classes))
      fmt::print("{} collapsed: {:.2f}% is near chance ({:.2f}% for {} "
                 "classes); the network learned almost nothing\n",
                 label, rec.accuracy, 100.0 / double(exp_.model.classes),
                 exp_.model.classes);
    if (method == Method::Baseline)
      baselineModel_ = files.model();
    return true;
  }

  // The network a run trains, before its method's passes: the experiment's,
  // or with training.init = "baseline" (and for every method but the
  // baseline) the finished baseline of the same seed, weights included.
  mlir::OwningOpRef<mlir::ModuleOp>
  startingNetwork(Method method, int64_t seed, const std::string &label,
                  runtime::TrainOptions &o, const runtime::Checkpoint *resume) {
    if (method == Method::Baseline ||
        exp_.training.init != frontend::WeightInit::Baseline)
      return network_.clone();
    std::string path = baselineOf(seed, "starting from the baseline");
    pinInput("init", path, o, resume);
    mlir::OwningOpRef<mlir::ModuleOp> module =
        readNetwork(path, "the starting network");
    fmt::print("{} starting from {}\n", label, path);
    return module;
  }

  // The teacher of a distilled run: the finished baseline of the same seed
  // (its model.mlirbc), or the experiment's teacher file. Read from disk
  // also in an uninterrupted sweep, so that a resumed run learns from the
  // very same numbers.
  runtime::HeModule *loadTeacher(int64_t seed, runtime::TrainOptions &o,
                                 const runtime::Checkpoint *resume) {
    std::string path = exp_.distillation.teacher == "baseline"
                           ? baselineOf(seed, "distillation")
                           : exp_.distillation.teacher;
    pinInput("teacher", path, o, resume);
    if (path != teacherPath_) {
      mlir::OwningOpRef<mlir::ModuleOp> module =
          readNetwork(path, "the teacher");
      teacher_ = std::make_shared<runtime::HeModule>(forwardOf(*module));
      teacherPath_ = path;
    }
    return teacher_.get();
  }

  // With --run, a method after its seed's baseline takes the baseline run
  // that finished in the run folder, if there is one.
  void useFinishedBaseline(int64_t seed) {
    hec::RunFiles files{llvm::formatv("{0}/{1}/seed-{2}", options_.outDir,
                                      frontend::toString(Method::Baseline),
                                      seed)};
    llvm::Expected<std::optional<hec::RunRecord>> done =
        hec::readRunRecord(files, fingerprint_);
    if (!done)
      llvm::consumeError(done.takeError());
    else if (*done && !(*done)->failed && !(*done)->diverged)
      baselineModel_ = files.model();
  }

  std::string baselineOf(int64_t seed, llvm::StringRef purpose) const {
    if (baselineModel_.empty())
      throw RunFailure(purpose.str() + " needs the baseline of seed " +
                       std::to_string(seed) +
                       (options_.only
                            ? ", which has not finished in " + options_.outDir +
                                  " (run baseline:" + std::to_string(seed) +
                                  " first)"
                            : ", which did not train"));
    return baselineModel_;
  }

  // A file this run learns from (`role`: the teacher, the starting
  // weights): the checkpoint records it and its checksum, and a resumed
  // run insists on the very same bytes.
  void pinInput(const std::string &role, const std::string &path,
                runtime::TrainOptions &o, const runtime::Checkpoint *resume) {
    llvm::Expected<uint32_t> crc = hec::fileChecksum(path);
    if (!crc)
      throw RunFailure("the " + role +
                       " file: " + llvm::toString(crc.takeError()));
    std::string checksum = std::to_string(*crc);
    o.checkpointInfo[role] = path;
    o.checkpointInfo[role + "_crc"] = checksum;
    if (resume && (!resume->has("info." + role + "_crc") ||
                   resume->getString("info." + role + "_crc") != checksum))
      throw RunFailure(resume->source() + ": trained with another " + role +
                       " file than " + path +
                       " (it changed since); run without --resume to start "
                       "over");
  }

  // A network file this run reads (NetworkLoader.h): checked against the
  // experiment, weights required; its errors become the run's failure.
  mlir::OwningOpRef<mlir::ModuleOp> readNetwork(const std::string &path,
                                                const std::string &role) {
    mlir::MLIRContext &context = *network_.getContext();
    std::string errors;
    mlir::ScopedDiagnosticHandler collect(&context, [&](mlir::Diagnostic &d) {
      if (d.getSeverity() == mlir::DiagnosticSeverity::Error)
        errors += (errors.empty() ? "" : "; ") + d.str();
      return mlir::success();
    });
    mlir::OwningOpRef<mlir::ModuleOp> module =
        frontend::loadNetwork(path, frontend::experimentUse(exp_, role, true),
                              context, mlir::UnknownLoc::get(&context));
    if (!module)
      throw RunFailure(errors.empty() ? "cannot read " + path : errors);
    return module;
  }

  runtime::EvalResult evaluateFile(const std::string &path) {
    mlir::OwningOpRef<mlir::ModuleOp> module =
        readNetwork(path, "the emitted model");
    runtime::HeModule net(forwardOf(*module));
    return runtime::evaluate(net, data_.test, hec::evalBatchSize(exp_),
                             device_);
  }

  // Every batch of epoch `m` skipped (training.keep_going_on_nan).
  bool allSkipped(const runtime::EpochMetrics &m) const {
    int64_t batchSize = std::max<int64_t>(1, exp_.training.batchSize);
    int64_t batches = (int64_t(data_.train.size()) + batchSize - 1) / batchSize;
    if (options_.maxBatchesPerEpoch > 0)
      batches = std::min(batches, options_.maxBatchesPerEpoch);
    return batches > 0 && m.skippedBatches >= batches;
  }

  CkksOptions ckks() const {
    CkksOptions c;
    c.securityBits = exp_.he.security;
    c.scaleBits = exp_.he.scaleBits;
    c.firstModBits = exp_.he.firstModBits;
    c.specialPrimeBits = exp_.he.specialPrimeBits;
    return c;
  }

  const Experiment &exp_;
  mlir::ModuleOp network_;
  const hec::Splits &data_;
  const hec::SweepOptions &options_;
  torch::Device device_;
  std::string fingerprint_;
  std::string baselineModel_; // of the current seed, once it finished
  std::string teacherPath_;   // what teacher_ was read from
  std::shared_ptr<runtime::HeModule> teacher_;
};
} // namespace

torch::Device hec::chooseDevice(frontend::Device device) {
  bool cuda = torch::cuda::is_available();
  if (device == frontend::Device::Cuda && !cuda)
    throw runtime::Error("training.device is \"cuda\" but no CUDA device is "
                         "available (this LibTorch build or machine has none)");
  if (device != frontend::Device::Cpu && cuda)
    return torch::Device(torch::kCUDA);
  return torch::Device(torch::kCPU);
}

std::vector<hec::RunRecord> hec::runSweep(const Experiment &experiment,
                                          mlir::ModuleOp network,
                                          const Splits &data,
                                          const SweepOptions &options) {
  return Sweep(experiment, network, data, options).run();
}
