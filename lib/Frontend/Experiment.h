// An experiment as written in a TOML file (docs/experiments.md is the
// reference of every key): the data, the network, the training schedule, the
// methods to compare and the HE parameters. parseExperiment() reads and
// validates one file and reports every error it finds, each located at
// file:line:col.
#ifndef HE_FRONTEND_EXPERIMENT_H
#define HE_FRONTEND_EXPERIMENT_H

#include "lib/Schedule/Schedule.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace he::frontend {

/// A position in an experiment file; line and column are 1-based, 0 when
/// unknown (a value that took its default).
struct SourceLoc {
  std::string file;
  int line = 0;
  int column = 0;
};

/// One error found in an experiment file.
struct Diagnostic {
  SourceLoc loc;
  /// The dotted key path the error is about ("training.lr"), empty for
  /// syntax errors.
  std::string key;
  std::string message;
  /// "file:line:col: error: key: message", as compilers print errors.
  std::string str() const;
};

enum class DataKind { FashionMnist, ImageFolder, Covidx, Cifar10, Synthetic };
enum class Method { Baseline, Square, ApproxRelu, Tp, TpSt, TpStKd };
enum class Device { Cpu, Cuda, Auto };
/// How max-pool becomes avg-pool, and the learning rate over epochs: the
/// runtime's own schedules (lib/Schedule/Schedule.h), not twins of them.
using PoolReplace = he::PoolMode;
using he::LrSchedule;
enum class WeightInit { Scratch, Baseline };

llvm::StringRef toString(DataKind kind);
llvm::StringRef toString(Method method);
llvm::StringRef toString(Device device);
llvm::StringRef toString(PoolReplace replace);
llvm::StringRef toString(LrSchedule schedule);
llvm::StringRef toString(WeightInit init);
std::optional<DataKind> parseDataKind(llvm::StringRef text);
std::optional<Method> parseMethod(llvm::StringRef text);
std::optional<Device> parseDevice(llvm::StringRef text);
std::optional<PoolReplace> parsePoolReplace(llvm::StringRef text);
std::optional<LrSchedule> parseLrSchedule(llvm::StringRef text);
std::optional<WeightInit> parseWeightInit(llvm::StringRef text);
/// The six methods in the order of the paper's tables.
llvm::ArrayRef<Method> allMethods();
/// True for the methods that replace activations through he.blend over the
/// transition (tp_st, tp_st_kd).
bool usesTransition(Method method);

/// [data]: where the images come from and how they are prepared.
struct DataConfig {
  DataKind kind = DataKind::FashionMnist;
  /// The data set's folder (relative paths are relative to the working
  /// directory). Defaults: /usr/share/datasets/fashion-mnist for
  /// fashion-mnist, data/cifar10 and data/covidx; required for image-folder;
  /// unused for synthetic.
  std::string path;
  /// Use only the first N images (0: all).
  int64_t trainSubset = 0;
  int64_t testSubset = 0;
  /// Hold out the last N training images (before train_subset applies) and
  /// evaluate on them instead of the test split, which is then not read:
  /// settings are chosen without looking at the test set (0: off).
  int64_t validation = 0;
  /// [C, H, W] the images are resized to. Defaults: 1x28x28 for
  /// fashion-mnist and synthetic, 3x32x32 for cifar10, 3x224x224 otherwise.
  std::array<int64_t, 3> imageSize = {1, 28, 28};
  /// Per-channel normalisation (one value per channel after parsing).
  /// Defaults: Fashion-MNIST 0.2860/0.3530, CIFAR-10's and ImageNet's
  /// statistics, 0/1 for synthetic.
  std::vector<double> mean, std;

  /// COVIDx label files, relative to `path` ("": the release's own names,
  /// train.txt/val.txt/test.txt for CXR, train_COVIDx_CT-2A.txt ... for
  /// CT-2A).
  std::string trainList, valList, testList;
  /// Leave out images that cannot be read (listed in the run folder)
  /// instead of refusing the data set.
  bool skipBadImages = false;
  /// Folder of the decoded-image caches ("": <path>/.hec-cache, or
  /// ~/.cache/hec when the data folder is read-only).
  std::string cache;
  /// The split runs are evaluated on: "test", or the data set's own "val"
  /// split (image folders with val/, COVIDx's val list).
  std::string evalSplit = "test";

  /// [data.augment]: training-time augmentation; all off by default.
  struct Augment {
    /// Random rotation in [-rotation, rotation] degrees.
    double rotation = 0;
    bool hflip = false;
    bool vflip = false;
    /// Brightness, contrast and saturation each scaled by a random factor
    /// in [1 - color_jitter, 1 + color_jitter].
    double colorJitter = 0;
  } augment;

  /// [data.synthetic]: random images with learnable class structure.
  struct Synthetic {
    int64_t classes = 10;
    int64_t trainSize = 1000;
    int64_t testSize = 200;
  } synthetic;
};

/// [model]: a network of the zoo (Zoo.h) or a .mlir file.
struct ModelConfig {
  std::string name = "alexnet_small";
  /// Output classes; defaults to the data set's class count.
  int64_t classes = 10;
  /// True when `name` is a path to a .mlir/.mlirbc network.
  bool isFile() const;
};

/// [training]: Adam and the schedule shared by every method.
struct TrainingConfig {
  std::string optimizer = "adam";
  double lr = 1e-3;
  /// Constant, or cosine annealing per epoch from lr towards 0.
  LrSchedule lrSchedule = LrSchedule::Constant;
  /// Where every method but the baseline starts: the network's own
  /// initialisation, or the trained baseline of the same seed (whose
  /// activations the method then replaces).
  WeightInit init = WeightInit::Scratch;
  std::array<double, 2> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weightDecay = 0;
  /// > 0: the largest global L2 norm of a step's gradients (0: no clipping).
  double gradClip = 0;
  int64_t batchSize = 128;
  int64_t epochs = 20;
  std::vector<int64_t> seeds = {111};
  /// CPU threads (0: all cores).
  int64_t threads = 0;
  Device device = Device::Auto;
  /// Divergence: a run stops when a layer's largest |activation| exceeds
  /// this bound (0: off; non-finite losses stop a run regardless).
  double activationBound = 0;
  /// Skip batches with a non-finite loss instead of stopping the run.
  bool keepGoingOnNan = false;
  /// Before each evaluation, recompute every batch norm's running
  /// statistics over the training images with the weights fixed.
  bool reestimateBatchNorm = false;
};

/// [transition]: the smooth replacement of ReLU by the polynomial.
/// Epochs count from 1, as in the paper: "replacement starts in epoch
/// start_epoch" means lambda(start_epoch) = 1/epochs > 0.
struct TransitionConfig {
  int64_t startEpoch = 3;
  int64_t epochs = 10;
  /// Raise lambda every batch along the same line instead of once per
  /// epoch: within epoch e it climbs to lambda(e), reached at the epoch's
  /// last batch, so the jump to 1 is spread over the epoch before it.
  bool perBatch = false;
  /// he::lambdaAt (lib/Schedule/Schedule.h), the runtime's schedule:
  /// lambda(e) = 0 for e < startEpoch, else min(1, (e - startEpoch + 1) /
  /// epochs). It reaches 1 in epoch startEpoch + epochs - 1.
  double lambdaAt(int64_t epoch) const;
  int64_t lastEpoch() const { return startEpoch + epochs - 1; }
};

/// [polynomial]: the trainable activation a*x^2 + b*x (and higher degrees).
/// The trained parameters are a' = a / scaleA and b' = b / scaleB (the
/// coefficient scales s1, s2 of the paper's appendix): a = scaleA * a'.
struct PolynomialConfig {
  int64_t degree = 2;
  /// Initial effective coefficients of x^2 and x; higher powers start at 0.
  double initA = 0.0;
  double initB = 1.0;
  double scaleA = 1.0;
  double scaleB = 1.0;
  /// Learning rate of the coefficients; defaults to training.lr.
  double coeffLr = 1e-3;
  /// Replace initA/initB, when the polynomials start to act, by the
  /// least-squares fit of ReLU on each layer's inputs.
  bool fitRelu = false;
};

/// [distillation]: knowledge distillation for tp_st_kd.
/// loss = alpha * tau^2 * CE(softmax(zt/tau), softmax(zs/tau))
///      + (1 - alpha) * CE(softmax(zs), y), as in the paper.
struct DistillationConfig {
  double temperature = 10;
  double alpha = 0.1;
  /// "baseline" (the trained baseline of the same seed) or a .mlir/.mlirbc
  /// network with weights.
  std::string teacher = "baseline";
};

/// [pooling]: how max-pool becomes avg-pool: at once, or blended over the
/// transition like the activations.
struct PoolingConfig {
  PoolReplace replace = PoolReplace::Hard;
};

/// [he]: CKKS parameters for the depth report.
struct HeConfig {
  int64_t security = 128;
  int64_t scaleBits = 40;
  int64_t firstModBits = 60;
  int64_t specialPrimeBits = 60;
};

/// [slurm]: the resources of each job of `hec --slurm` (SlurmKeys.cpp). They
/// change where a run trains, never its numbers: not in the fingerprint.
struct SlurmConfig {
  std::string partition;   ///< empty: the cluster's default
  int64_t cpusPerTask = 0; ///< 0: training.threads, else 1
  std::string memory;      ///< --mem, e.g. "8G" (empty: the default)
  std::string timeLimit;   ///< --time, e.g. "2:00:00" (empty: the default)
  int64_t gpus = 0;        ///< --gres=gpu:N
  /// Seconds before the time limit at which a job is told to checkpoint
  /// and requeue itself (--signal=B:USR1@N).
  int64_t signalSeconds = 300;
  std::vector<std::string> extraArgs; ///< more sbatch arguments, as given
};

struct Experiment {
  /// The file it was read from.
  std::string file;
  /// Defaults to the file's stem.
  std::string name;
  /// The run folder; defaults to runs/<name>.
  std::string output;
  DataConfig data;
  ModelConfig model;
  TrainingConfig training;
  /// Defaults to all six, in the order of allMethods().
  std::vector<Method> methods;
  TransitionConfig transition;
  PolynomialConfig polynomial;
  DistillationConfig distillation;
  PoolingConfig pooling;
  HeConfig he;
  SlurmConfig slurm;
  /// Where each key that the file sets was written ("model.name" -> 7:8).
  std::map<std::string, SourceLoc> locations;

  bool hasMethod(Method method) const;
  /// The location of `key`, else of the nearest enclosing table that the
  /// file writes, else the file itself (line 0).
  SourceLoc locationOf(llvm::StringRef key) const;
};

struct ParseOptions {
  /// Check that data.path, a model file and a teacher file exist. Off to
  /// validate experiments whose data sets are not downloaded.
  bool checkPaths = true;
};

/// An experiment, or the errors that prevented it (all of them).
struct ParseResult {
  std::optional<Experiment> experiment;
  std::vector<Diagnostic> diagnostics;
  explicit operator bool() const { return experiment.has_value(); }
};

ParseResult parseExperiment(llvm::StringRef path,
                            const ParseOptions &options = {});
/// Parses `text` as if read from `path` (which need not exist).
ParseResult parseExperimentString(llvm::StringRef text, llvm::StringRef path,
                                  const ParseOptions &options = {});

/// The experiment with every default filled in, as TOML that parses back to
/// the same experiment.
std::string printExperiment(const Experiment &experiment);

/// Every key the parser knows, as dotted paths ("data.augment.rotation"),
/// tables included ("data.augment").
std::vector<std::string> knownKeys();

} // namespace he::frontend

#endif // HE_FRONTEND_EXPERIMENT_H
