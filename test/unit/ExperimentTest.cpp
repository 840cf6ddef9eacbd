// The experiment parser's keys: defaults, every key read, the printer's
// round trip, every key's type checked and documented in
// docs/experiments.md. Its checks of values are ExperimentChecksTest.cpp.
#include "lib/Frontend/Experiment.h"
#include "lib/Frontend/ExperimentSchema.h"
#include "test/unit/ExperimentParse.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace he::frontend;
using namespace he::frontend::test;

namespace {
// Sets every key of the schema to a value other than its default.
const char *kFullExperiment = R"(
name = "full"
output = "out/full"
methods = ["tp_st", "baseline", "tp_st_kd"]

[data]
kind = "synthetic"
path = "unused"
train_subset = 40
test_subset = 0
validation = 16
image_size = [3, 32, 32]
train_list = ""
val_list = ""
test_list = ""
skip_bad_images = true
cache = "cache/here"
eval_split = "test"
normalize = { mean = [0.5, 0.25, 0.125], std = [2] }
augment = { rotation = 15, hflip = true, vflip = true, color_jitter = 0.2 }
synthetic = { classes = 4, train_size = 64, test_size = 32 }

[model]
name = "squeezenet_cifar"
classes = 4

[training]
optimizer = "adam"
lr = 0.01
lr_schedule = "cosine"
init = "baseline"
betas = [0.8, 0.99]
eps = 1e-7
weight_decay = 5e-4
grad_clip = 2.5
batch_size = 16
epochs = 12
seeds = [1, 2]
threads = 2
device = "cpu"
activation_bound = 1e4
keep_going_on_nan = true
reestimate_bn = true

[transition]
start_epoch = 2
epochs = 5
per_batch = true

[polynomial]
degree = 3
init_a = 0.5
init_b = 0.75
scale_a = 0.01
scale_b = 0.1
coeff_lr = 0.002
fit_relu = true

[distillation]
temperature = 4
alpha = 0.5
teacher = "baseline"

[pooling]
replace = "smooth"

[he]
security = 192
scale_bits = 30
first_mod_bits = 50
special_prime_bits = 55

[slurm]
partition = "gpu,cpu"
cpus_per_task = 4
memory = "16G"
time = "1-12:00"
gpus = 0
signal_seconds = 600
sbatch_args = ["--account=lab", "--qos=long"]
)";

TEST(ExperimentTest, AnEmptyFileTakesEveryDefault) {
  Experiment e = parseOk("");
  EXPECT_EQ(e.name, "exp");
  EXPECT_EQ(e.output, "runs/exp");
  EXPECT_EQ(e.methods,
            std::vector<Method>(allMethods().begin(), allMethods().end()));
  EXPECT_EQ(e.data.kind, DataKind::FashionMnist);
  EXPECT_EQ(e.data.path, "/usr/share/datasets/fashion-mnist");
  EXPECT_EQ(e.data.imageSize, (std::array<int64_t, 3>{1, 28, 28}));
  EXPECT_EQ(e.data.mean, std::vector<double>{0.2860});
  EXPECT_EQ(e.data.std, std::vector<double>{0.3530});
  EXPECT_EQ(e.model.name, "alexnet_small");
  EXPECT_EQ(e.model.classes, 10);
  EXPECT_EQ(e.training.optimizer, "adam");
  EXPECT_DOUBLE_EQ(e.training.lr, 1e-3);
  EXPECT_EQ(e.training.lrSchedule, LrSchedule::Constant);
  EXPECT_EQ(e.training.init, WeightInit::Scratch);
  EXPECT_EQ(e.training.batchSize, 128);
  EXPECT_EQ(e.training.seeds, std::vector<int64_t>{111});
  EXPECT_EQ(e.training.device, Device::Auto);
  EXPECT_EQ(e.training.activationBound, 0.0);
  EXPECT_FALSE(e.training.keepGoingOnNan);
  EXPECT_FALSE(e.training.reestimateBatchNorm);
  EXPECT_EQ(e.transition.startEpoch, 3);
  EXPECT_EQ(e.transition.epochs, 10);
  EXPECT_FALSE(e.transition.perBatch);
  EXPECT_DOUBLE_EQ(e.polynomial.initB, 1.0);
  EXPECT_DOUBLE_EQ(e.polynomial.coeffLr, e.training.lr);
  EXPECT_FALSE(e.polynomial.fitRelu);
  EXPECT_DOUBLE_EQ(e.distillation.temperature, 10);
  EXPECT_DOUBLE_EQ(e.distillation.alpha, 0.1);
  EXPECT_EQ(e.pooling.replace, PoolReplace::Hard);
  EXPECT_EQ(e.he.scaleBits, 40);
}

TEST(ExperimentTest, DefaultsFollowTheDataAndTheModel) {
  Experiment covidx = parseOk("data.kind = 'covidx'\nmodel.name = 'alexnet'");
  EXPECT_EQ(covidx.model.classes, 3);
  EXPECT_EQ(covidx.data.path, "data/covidx");
  EXPECT_EQ(covidx.data.imageSize, (std::array<int64_t, 3>{3, 224, 224}));
  EXPECT_EQ(covidx.data.mean.size(), 3u);

  // One statistic is repeated for RGB images.
  Experiment rgb = parseOk("data.kind = 'synthetic'\n"
                           "data.image_size = [3, 28, 28]\n"
                           "data.normalize.mean = [0.25]");
  EXPECT_EQ(rgb.data.mean, std::vector<double>(3, 0.25));

  EXPECT_DOUBLE_EQ(parseOk("training.lr = 0.5").polynomial.coeffLr, 0.5);
}

TEST(ExperimentTest, AFullFileSetsEveryKnownKey) {
  Experiment e = parseOk(kFullExperiment);
  for (const std::string &key : knownKeys())
    EXPECT_TRUE(e.locations.count(key)) << key << " is not in the full file";
  EXPECT_EQ(e.name, "full");
  EXPECT_EQ(e.output, "out/full");
  EXPECT_EQ(e.methods, (std::vector<Method>{Method::TpSt, Method::Baseline,
                                            Method::TpStKd}));
  EXPECT_EQ(e.data.kind, DataKind::Synthetic);
  EXPECT_EQ(e.data.path, "unused");
  EXPECT_EQ(e.data.trainSubset, 40);
  EXPECT_EQ(e.data.testSubset, 0);
  EXPECT_EQ(e.data.validation, 16);
  EXPECT_EQ(e.data.imageSize, (std::array<int64_t, 3>{3, 32, 32}));
  EXPECT_TRUE(e.data.skipBadImages);
  EXPECT_EQ(e.data.cache, "cache/here");
  EXPECT_EQ(e.data.evalSplit, "test");
  EXPECT_EQ(e.data.mean, (std::vector<double>{0.5, 0.25, 0.125}));
  EXPECT_EQ(e.data.std, (std::vector<double>{2, 2, 2}));
  EXPECT_DOUBLE_EQ(e.data.augment.rotation, 15);
  EXPECT_TRUE(e.data.augment.hflip);
  EXPECT_TRUE(e.data.augment.vflip);
  EXPECT_DOUBLE_EQ(e.data.augment.colorJitter, 0.2);
  EXPECT_EQ(e.data.synthetic.classes, 4);
  EXPECT_EQ(e.data.synthetic.trainSize, 64);
  EXPECT_EQ(e.data.synthetic.testSize, 32);
  EXPECT_EQ(e.model.name, "squeezenet_cifar");
  EXPECT_EQ(e.model.classes, 4);
  EXPECT_DOUBLE_EQ(e.training.lr, 0.01);
  EXPECT_EQ(e.training.lrSchedule, LrSchedule::Cosine);
  EXPECT_EQ(e.training.init, WeightInit::Baseline);
  EXPECT_EQ(e.training.betas, (std::array<double, 2>{0.8, 0.99}));
  EXPECT_DOUBLE_EQ(e.training.eps, 1e-7);
  EXPECT_DOUBLE_EQ(e.training.weightDecay, 5e-4);
  EXPECT_DOUBLE_EQ(e.training.gradClip, 2.5);
  EXPECT_EQ(e.training.batchSize, 16);
  EXPECT_EQ(e.training.epochs, 12);
  EXPECT_EQ(e.training.seeds, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(e.training.threads, 2);
  EXPECT_EQ(e.training.device, Device::Cpu);
  EXPECT_DOUBLE_EQ(e.training.activationBound, 1e4);
  EXPECT_TRUE(e.training.keepGoingOnNan);
  EXPECT_TRUE(e.training.reestimateBatchNorm);
  EXPECT_EQ(e.transition.startEpoch, 2);
  EXPECT_EQ(e.transition.epochs, 5);
  EXPECT_TRUE(e.transition.perBatch);
  EXPECT_EQ(e.polynomial.degree, 3);
  EXPECT_DOUBLE_EQ(e.polynomial.initA, 0.5);
  EXPECT_DOUBLE_EQ(e.polynomial.initB, 0.75);
  EXPECT_DOUBLE_EQ(e.polynomial.scaleA, 0.01);
  EXPECT_DOUBLE_EQ(e.polynomial.scaleB, 0.1);
  EXPECT_DOUBLE_EQ(e.polynomial.coeffLr, 0.002);
  EXPECT_TRUE(e.polynomial.fitRelu);
  EXPECT_DOUBLE_EQ(e.distillation.temperature, 4);
  EXPECT_DOUBLE_EQ(e.distillation.alpha, 0.5);
  EXPECT_EQ(e.distillation.teacher, "baseline");
  EXPECT_EQ(e.pooling.replace, PoolReplace::Smooth);
  EXPECT_EQ(e.he.security, 192);
  EXPECT_EQ(e.he.scaleBits, 30);
  EXPECT_EQ(e.he.firstModBits, 50);
  EXPECT_EQ(e.he.specialPrimeBits, 55);
  EXPECT_EQ(e.slurm.partition, "gpu,cpu");
  EXPECT_EQ(e.slurm.cpusPerTask, 4);
  EXPECT_EQ(e.slurm.memory, "16G");
  EXPECT_EQ(e.slurm.timeLimit, "1-12:00");
  EXPECT_EQ(e.slurm.gpus, 0);
  EXPECT_EQ(e.slurm.signalSeconds, 600);
  EXPECT_EQ(e.slurm.extraArgs,
            (std::vector<std::string>{"--account=lab", "--qos=long"}));
}

TEST(ExperimentTest, ThePrintedExperimentParsesBackToItself) {
  for (const char *text : {"", kFullExperiment}) {
    std::string printed = printExperiment(parseOk(text));
    Experiment again = parseOk(printed);
    EXPECT_EQ(printExperiment(again), printed);
    // Every key is written out, so that a run records all its settings.
    for (const std::string &key : knownKeys())
      EXPECT_TRUE(again.locations.count(key)) << key;
  }
}

// Each key, given a value of the wrong type, is rejected by name: this
// fails for a key the schema lists but the reader forgets.
TEST(ExperimentTest, EveryKeyRejectsAWrongType) {
  for (const KeySpec &spec : experimentSchema()) {
    if (spec.kind == KeyKind::Table)
      continue;
    llvm::StringRef path = spec.path;
    auto [table, key] = path.rsplit('.');
    if (key.empty())
      std::swap(table, key);
    bool wantsString =
        spec.kind == KeyKind::String || spec.kind == KeyKind::StringList;
    std::string text = (table.empty() ? "" : "[" + table.str() + "]\n") +
                       key.str() + (wantsString ? " = 1\n" : " = \"x\"\n");
    ParseResult result = parseExperimentString(text, "x.toml", noPaths());
    ASSERT_FALSE(result.diagnostics.empty()) << text;
    EXPECT_EQ(result.diagnostics[0].key, spec.path.str()) << text;
    EXPECT_NE(result.diagnostics[0].message.find("expected " +
                                                 describe(spec.kind).str()),
              std::string::npos)
        << result.diagnostics[0].str();
  }
}

TEST(ExperimentTest, TheTransitionCountsEpochsFromOne) {
  TransitionConfig t;
  t.startEpoch = 3;
  t.epochs = 4;
  EXPECT_DOUBLE_EQ(t.lambdaAt(2), 0);
  EXPECT_DOUBLE_EQ(t.lambdaAt(3), 0.25);
  EXPECT_DOUBLE_EQ(t.lambdaAt(5), 0.75);
  EXPECT_DOUBLE_EQ(t.lambdaAt(6), 1);
  EXPECT_DOUBLE_EQ(t.lambdaAt(8), 1);
  EXPECT_EQ(t.lastEpoch(), 6);
}

TEST(ExperimentTest, EveryKeyIsDocumented) {
  std::ifstream file(HEC_SOURCE_DIR "/docs/experiments.md");
  ASSERT_TRUE(file) << "cannot read docs/experiments.md";
  std::stringstream text;
  text << file.rdbuf();
  std::string docs = text.str();
  for (const KeySpec &spec : experimentSchema()) {
    // Tables appear as section headers, keys in the tables' rows.
    std::string needle = spec.kind == KeyKind::Table
                             ? "`[" + spec.path.str() + "]`"
                             : "| `" + spec.path.str() + "` |";
    EXPECT_NE(docs.find(needle), std::string::npos)
        << needle << " is missing from docs/experiments.md";
  }
}
} // namespace
