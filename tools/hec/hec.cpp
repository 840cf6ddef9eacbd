// hec: trains the methods of an experiment side by side and writes verified
// polynomial-only models.
//
//   hec EXPERIMENT.toml [--out DIR]      the sweep (methods x seeds)
//   hec EXPERIMENT.toml --resume         continue it after a stop or crash
//   hec EXPERIMENT.toml --run M:S        one run of it (resumed, or nothing)
//   hec EXPERIMENT.toml --collect        results of the runs that finished
//   hec EXPERIMENT.toml --slurm          the sweep as Slurm jobs
//   hec --emit-ir EXPERIMENT.toml        the network's he IR, no weights
//   hec eval EXPERIMENT.toml MODEL       accuracy and macro-F1 as JSON
//   hec calibrate EXPERIMENT.toml MODEL OUT   activation ranges into OUT
//   hec plot RUN_DIR                     redraw a sweep's figures
#include "dialect/HeOps.h"
#include "lib/Frontend/BytecodeGuard.h"
#include "lib/Frontend/Experiment.h"
#include "lib/Frontend/ExperimentLimits.h"
#include "lib/Frontend/NetworkLoader.h"
#include "lib/Frontend/Zoo.h"
#include "lib/Transforms/Passes.h"
#include "runtime/Error.h"
#include "runtime/HeModule.h"
#include "runtime/Metrics.h"
#include "runtime/Stop.h"
#include "runtime/Trainer.h"
#include "tools/hec/Calibrate.h"
#include "tools/hec/Commands.h"
#include "tools/hec/EvalOutputs.h"
#include "tools/hec/ExperimentData.h"
#include "tools/hec/Figures.h"
#include "tools/hec/ModelInfo.h"
#include "tools/hec/Signals.h"
#include "tools/hec/Sweep.h"
#include "tools/hec/TrainOptions.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"

#include <fmt/core.h>

#include <csignal>
#include <cstring>
#include <memory>

namespace cl = llvm::cl;
using namespace he;

// --help lists these, not the many options LLVM's libraries register.
static cl::OptionCategory hecOptions("hec options");

static cl::list<std::string> positional(cl::Positional, cl::OneOrMore,
                                        cl::desc("[eval] <experiment.toml> "
                                                 "[model.mlirbc]"),
                                        cl::cat(hecOptions));
static cl::opt<std::string> outDir("out",
                                   cl::desc("Run folder (default: the "
                                            "experiment's output)"),
                                   cl::value_desc("dir"), cl::cat(hecOptions));
static cl::opt<bool> emitIR("emit-ir",
                            cl::desc("Print the network's he IR (no weights) "
                                     "and exit"),
                            cl::cat(hecOptions));
static cl::opt<int64_t>
    maxBatches("max-batches",
               cl::desc("Train on at most N batches per epoch (a quick check)"),
               cl::init(0), cl::cat(hecOptions));
static cl::opt<std::string>
    onlyRun("run",
            cl::desc("Train only this run of the sweep, METHOD:SEED (resumed "
                     "from its checkpoint; nothing when finished)"),
            cl::value_desc("method:seed"), cl::cat(hecOptions));
static cl::opt<int64_t>
    epochsOverride("epochs",
                   cl::desc("Train N epochs instead of training.epochs (a "
                            "quick check; the runs' fingerprint changes)"),
                   cl::init(0), cl::cat(hecOptions));
static cl::opt<bool>
    resumeSweep("resume",
                cl::desc("Continue the sweep's unfinished runs from their "
                         "checkpoints; keep its finished ones"),
                cl::cat(hecOptions));

static cl::opt<int64_t> threadsOption(
    "cores",
    cl::desc("The cores training.threads = 0 (all) stands for (default: this "
             "machine's; a Slurm job passes its CPUs)"),
    cl::init(0), cl::cat(hecOptions));
static cl::opt<bool>
    collect("collect",
            cl::desc("Write results.md/results.json from the runs that "
                     "finished in the run folder; list the others"),
            cl::cat(hecOptions));

// Slurm (docs/cluster.md).
static cl::OptionCategory slurmOptions("hec --slurm options (over [slurm])");
static cl::opt<bool> slurm("slurm",
                           cl::desc("Submit the sweep to Slurm with sbatch: "
                                    "a job array per method, a collect job"),
                           cl::cat(slurmOptions));
static cl::opt<bool> dryRun("dry-run",
                            cl::desc("With --slurm: print the job scripts and "
                                     "sbatch commands, submit nothing"),
                            cl::cat(slurmOptions));
static cl::opt<std::string> partition("partition", cl::desc("Slurm partition"),
                                      cl::cat(slurmOptions));
static cl::opt<int64_t> cpusPerTask("cpus-per-task",
                                    cl::desc("CPUs of each job (its threads)"),
                                    cl::init(0), cl::cat(slurmOptions));
static cl::opt<std::string> memory("mem", cl::desc("Memory of each job (8G)"),
                                   cl::cat(slurmOptions));
static cl::opt<std::string>
    timeLimit("time", cl::desc("Time limit of each job (2:00:00)"),
              cl::cat(slurmOptions));
static cl::opt<int64_t> gpus("gpus",
                             cl::desc("GPUs of each job (--gres=gpu:N)"),
                             cl::init(0), cl::cat(slurmOptions));
static cl::list<std::string>
    sbatchArgs("sbatch-arg", cl::desc("One more sbatch argument (repeatable)"),
               cl::value_desc("arg"), cl::cat(slurmOptions));

static cl::opt<std::string>
    logitsFile("logits",
               cl::desc("[eval] Write each image's predicted class and logits "
                        "to FILE (one line per image)"),
               cl::value_desc("file"), cl::cat(hecOptions));
static cl::opt<std::string>
    dumpInputs("dump-inputs",
               cl::desc("[eval] Write the evaluated images, normalised, to "
                        "FILE as raw float32 [N, C, H, W]"),
               cl::value_desc("file"), cl::cat(hecOptions));
static cl::opt<std::string>
    dumpLabels("dump-labels",
               cl::desc("[eval] Write the evaluated images' labels to FILE, "
                        "one class index a line (with --dump-inputs: what "
                        "tools/he-ckks encrypts)"),
               cl::value_desc("file"), cl::cat(hecOptions));

namespace {
using hec::fail;

std::optional<frontend::Experiment> readExperiment(const std::string &path) {
  frontend::ParseResult result = frontend::parseExperiment(path);
  if (!result) {
    for (const frontend::Diagnostic &d : result.diagnostics)
      fmt::print(stderr, "{}\n", d.str());
    fmt::print(stderr, "{} {} in {}; nothing was trained\n",
               result.diagnostics.size(),
               result.diagnostics.size() == 1 ? "error" : "errors", path);
    return std::nullopt;
  }
  return std::move(*result.experiment);
}

int evalCommand(const frontend::Experiment &exp, const std::string &model,
                mlir::MLIRContext &context) {
  // Checked against the experiment before any data is read: the images'
  // shape, the class count, and weights (an --emit-ir output has none).
  mlir::OwningOpRef<mlir::ModuleOp> module = frontend::loadNetwork(
      model, frontend::experimentUse(exp, "the model", true), context,
      mlir::UnknownLoc::get(&context));
  if (!module)
    return 1;
  auto func = module->lookupSymbol<mlir::func::FuncOp>("forward");
  hec::Splits data = hec::loadExperimentData(exp);
  runtime::useThreads(int(exp.training.threads));
  runtime::HeModule net(func);
  runtime::EvalResult r =
      runtime::evaluate(net, data.test, hec::evalBatchSize(exp),
                        hec::chooseDevice(exp.training.device));
  if (!dumpInputs.empty())
    if (auto err = hec::writeRawImages(data.test, dumpInputs))
      return fail(llvm::toString(std::move(err)));
  if (!dumpLabels.empty())
    if (auto err = hec::writeLabels(data.test, dumpLabels))
      return fail(llvm::toString(std::move(err)));
  if (!logitsFile.empty())
    if (auto err = hec::writeLogits(
            net, data.test, hec::chooseDevice(exp.training.device), logitsFile))
      return fail(llvm::toString(std::move(err)));
  llvm::json::Object out{{"accuracy", 100 * r.accuracy},
                         {"macro_f1", 100 * r.macroF1},
                         {"split", data.evaluated},
                         {data.evaluated + "_images", data.test.size()}};
  llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(out)))
               << "\n";
  return 0;
}

hec::SweepCommandLine commandLine(const char *argv0) {
  hec::SweepCommandLine c;
  c.outDir = outDir;
  c.maxBatches = maxBatches;
  c.epochs = epochsOverride;
  c.onlyRun = onlyRun;
  c.resume = resumeSweep;
  c.threads = threadsOption;
  c.dryRun = dryRun;
  c.argv0 = argv0;
  if (partition.getNumOccurrences())
    c.partition = partition;
  if (memory.getNumOccurrences())
    c.memory = memory;
  if (timeLimit.getNumOccurrences())
    c.timeLimit = timeLimit;
  if (cpusPerTask.getNumOccurrences())
    c.cpusPerTask = cpusPerTask;
  if (gpus.getNumOccurrences())
    c.gpus = gpus;
  c.sbatchArgs = sbatchArgs;
  return c;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  he::registerHePasses();
  mlir::registerCanonicalizerPass();
  cl::HideUnrelatedOptions({&hecOptions, &slurmOptions});
  cl::ParseCommandLineOptions(
      argc, argv,
      "hec: train HE-friendly polynomial networks\n\n"
      "  hec EXPERIMENT.toml              train every method x seed\n"
      "  hec EXPERIMENT.toml --run M:S    train one run of the sweep\n"
      "  hec EXPERIMENT.toml --collect    results of the finished runs\n"
      "  hec EXPERIMENT.toml --slurm      submit the sweep to Slurm\n"
      "  hec --emit-ir EXPERIMENT.toml    print the network's he IR\n"
      "  hec eval EXPERIMENT.toml MODEL   evaluate a model on the test "
      "split\n"
      "                                   (or data.validation's images)\n"
      "  hec calibrate EXPERIMENT.toml MODEL OUT\n"
      "                                   record MODEL's activation ranges "
      "over\n"
      "                                   the training images in OUT\n"
      "  hec plot RUN_DIR                 draw the figures of a sweep's run\n"
      "                                   folder into RUN_DIR/figures\n");
  hec::installStopHandlers();
  // Decoding, evaluation and calibration stop within a batch too.
  runtime::setStopPoll(hec::stopRequested);
  frontend::setProbeStopPoll(hec::stopRequested); // a model's checking parse

  if (positional.size() == 2 && positional[0] == "plot") {
    std::vector<std::string> drawn, notes;
    llvm::Error err = hec::writeFigures(positional[1], &drawn, &notes);
    for (const std::string &name : drawn)
      fmt::print("{}/figures/{}.png, .svg\n", positional[1], name);
    for (const std::string &note : notes)
      fmt::print("note: {}\n", note);
    if (err)
      return fail(llvm::toString(std::move(err)));
    return 0;
  }
  bool eval = positional.size() == 3 && positional[0] == "eval";
  bool calibrate = positional.size() == 4 && positional[0] == "calibrate";
  if (!eval && !calibrate && positional.size() != 1)
    return fail("expected EXPERIMENT.toml or eval EXPERIMENT.toml MODEL "
                "(or calibrate EXPERIMENT.toml MODEL OUT, or plot RUN_DIR; "
                "see --help)");
  std::string path = eval || calibrate ? positional[1] : positional[0];

  std::optional<frontend::Experiment> exp = readExperiment(path);
  if (!exp)
    return 1;
  if (epochsOverride < 0 || epochsOverride > frontend::kMaxEpochs)
    return fail(fmt::format("--epochs must be in [1, {}] (training.epochs' "
                            "bound)",
                            frontend::kMaxEpochs));
  if (epochsOverride > 0) {
    // The parser refuses a transition that ends after the last epoch; for
    // this quick check it is said, not refused: the runs with a transition
    // stop short of lambda = 1, and their emitted polynomial network is
    // not the network they trained.
    const frontend::TransitionConfig &t = exp->transition;
    int64_t least = std::max(t.startEpoch + 1, t.lastEpoch());
    auto smooth = llvm::find_if(exp->methods, frontend::usesTransition);
    if (smooth != exp->methods.end() && epochsOverride < least)
      fmt::print(stderr,
                 "hec: warning: --epochs {}: the transition of {} starts in "
                 "epoch {} and takes {} epoch(s), so lambda stays below 1 and "
                 "its emitted model is not the network it trained (a quick "
                 "check only; --epochs {} or more completes it)\n",
                 int64_t(epochsOverride), frontend::toString(*smooth),
                 t.startEpoch, t.epochs, least);
    exp->training.epochs = epochsOverride;
  }
  if (threadsOption < 0 || threadsOption > 256)
    return fail("--cores must be in [1, 256]");
  int modes = int(collect) + int(slurm) + int(!onlyRun.empty()) +
              int(eval || calibrate) + int(emitIR);
  if (modes > 1)
    return fail("--collect, --slurm, --run, --emit-ir, eval and calibrate "
                "do not go together; give one");
  // Options of one command, given without it, would be ignored: refused.
  const cl::Option *evalOnly[] = {&logitsFile, &dumpInputs, &dumpLabels};
  // (cl::list's operator& gives its vector: std::addressof.)
  const cl::Option *slurmOnly[] = {&dryRun,
                                   &partition,
                                   &cpusPerTask,
                                   &memory,
                                   &timeLimit,
                                   &gpus,
                                   std::addressof(sbatchArgs)};
  for (const cl::Option *o : evalOnly)
    if (!eval && o->getNumOccurrences())
      return fail(fmt::format("--{} goes with hec eval", o->ArgStr.str()));
  for (const cl::Option *o : slurmOnly)
    if (!slurm && o->getNumOccurrences())
      return fail(fmt::format("--{} goes with --slurm", o->ArgStr.str()));

  mlir::MLIRContext context;
  context.loadDialect<he::HeDialect, mlir::func::FuncDialect>();
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  frontend::UnlocatedDiagnosticPrinter unlocated(&context);
  try {
    if (eval)
      return evalCommand(*exp, positional[2], context);
    if (calibrate)
      return hec::calibrateCommand(*exp, positional[2], positional[3], context);
    if (collect)
      return hec::collectCommand(*exp, commandLine(argv[0]));
    mlir::OwningOpRef<mlir::ModuleOp> network =
        frontend::buildExperimentModel(*exp, context);
    if (!network)
      return 1;
    if (emitIR) {
      network->print(llvm::outs());
      return 0;
    }
    // After the network is built: nothing is submitted that cannot train.
    if (slurm)
      return hec::slurmCommand(*exp, commandLine(argv[0]));
    return hec::sweepCommand(*exp, *network, commandLine(argv[0]));
  } catch (const runtime::Interrupted &e) {
    // Outside a run (a run stops at a batch boundary with a checkpoint):
    // reading the data, `hec eval`, `hec calibrate`. Nothing half-done was
    // written.
    int signal = hec::stopSignal();
    fmt::print(stderr, "hec: {} ({})\n", e.what(),
               signal == SIGINT    ? "SIGINT"
               : signal == SIGTERM ? "SIGTERM"
                                   : strsignal(signal));
    return signal ? 128 + signal : 1;
  } catch (const runtime::Error &e) {
    return fail(e.what());
  } catch (const c10::Error &e) {
    return fail(std::string("LibTorch: ") + e.what_without_backtrace());
  } catch (const std::exception &e) {
    return fail(e.what());
  }
}
