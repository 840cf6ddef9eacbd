// The experiment parser's checks: every error located, all of them
// reported in file order, suggestions for unknown keys, and the checks
// across keys (the transition, the ReLU fit, paths, image data, [slurm]).
#include "lib/Frontend/Experiment.h"
#include "test/unit/ExperimentParse.h"

#include <gtest/gtest.h>

using namespace he::frontend;
using namespace he::frontend::test;

namespace {
// [slurm] is checked with the rest of the file: nothing is submitted that
// sbatch or the run would refuse.
TEST(ExperimentTest, SlurmResourcesAreChecked) {
  std::vector<std::string> found = errors("[training]\n"
                                          "threads = 4\n"
                                          "device = \"cpu\"\n"
                                          "[slurm]\n"
                                          "cpus_per_task = 2\n"
                                          "memory = \"lots\"\n"
                                          "time = \"2h\"\n"
                                          "gpus = 1\n"
                                          "sbatch_args = [\"--array=1-3\", "
                                          "\"account\"]\n");
  ASSERT_EQ(found.size(), 6u);
  EXPECT_EQ(found[0], "x.toml:5:17: error: slurm.cpus_per_task: expected at "
                      "least training.threads = 4, found 2");
  EXPECT_NE(found[1].find("slurm.memory: expected a size such as \"8G\""),
            std::string::npos)
      << found[1];
  EXPECT_NE(found[2].find("slurm.time: expected a time limit"),
            std::string::npos)
      << found[2];
  EXPECT_NE(found[3].find("slurm.gpus: expected 0 with training.device = "
                          "\"cpu\""),
            std::string::npos)
      << found[3];
  EXPECT_EQ(found[4], "x.toml:9:16: error: slurm.sbatch_args: --array is set "
                      "by hec --slurm itself");
  EXPECT_EQ(found[5], "x.toml:9:31: error: slurm.sbatch_args: expected sbatch "
                      "options such as \"--account=lab\", found \"account\"");
  // Unset, a job gets the run's threads.
  EXPECT_EQ(parseOk("[training]\nthreads = 3\n").slurm.cpusPerTask, 3);
  EXPECT_EQ(parseOk("").slurm.cpusPerTask, 1);
}

TEST(ExperimentTest, AllErrorsAreReportedInFileOrder) {
  std::vector<std::string> found = errors("[training]\n"
                                          "lr = -0.5\n"
                                          "batch_size = 0\n"
                                          "grad_clip = -1\n"
                                          "[distillation]\n"
                                          "alpha = 2\n");
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0], "x.toml:2:6: error: training.lr: expected a learning "
                      "rate in (0, 1e+08], found -0.5");
  EXPECT_EQ(found[1], "x.toml:3:14: error: training.batch_size: expected a "
                      "batch size >= 1, found 0");
  EXPECT_EQ(found[2], "x.toml:4:13: error: training.grad_clip: expected a "
                      "gradient norm in [0, 3.4e38] (f32; 0: no clipping), "
                      "found -1");
  EXPECT_EQ(found[3], "x.toml:6:9: error: distillation.alpha: expected a "
                      "weight in [0, 1], found 2");
}

TEST(ExperimentTest, UnknownKeysGetASuggestion) {
  std::vector<std::string> found =
      errors("[training]\nbatchsize = 3\n[polynomal]\ndegree = 2\n");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0], "x.toml:2:1: error: training.batchsize: unknown key "
                      "'batchsize'; did you mean 'batch_size'?");
  EXPECT_EQ(found[1], "x.toml:3:2: error: polynomal: unknown key "
                      "'polynomal'; did you mean 'polynomial'?");
  // Nothing close: no suggestion.
  EXPECT_EQ(errors("[model]\nzzzzzzzz = 1\n")[0],
            "x.toml:2:1: error: model.zzzzzzzz: unknown key 'zzzzzzzz'");
}

TEST(ExperimentTest, SyntaxErrorsAreLocated) {
  std::vector<std::string> found = errors("[data]\nkind = \n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rfind("x.toml:2:", 0), 0u) << found[0];
}

TEST(ExperimentTest, TheTransitionMustFitTheTraining) {
  EXPECT_EQ(errors("training.epochs = 5\ntransition.start_epoch = 5\n"
                   "transition.epochs = 1\n")[0],
            "x.toml:2:26: error: transition.start_epoch: expected an epoch "
            "in [1, 5) (epochs count from 1, and training.epochs = 5), "
            "found 5");
  EXPECT_EQ(errors("training.epochs = 9\ntransition.epochs = 0\n")[0],
            "x.toml:2:21: error: transition.epochs: expected a transition of "
            "at least 1 epoch, found 0");
  EXPECT_EQ(errors("training.epochs = 9\ntransition.start_epoch = 3\n"
                   "transition.epochs = 8\n")[0],
            "x.toml:3:21: error: transition.epochs: the transition starting "
            "in epoch 3 over 8 epochs ends in epoch 10, after the last epoch "
            "9: lambda would never reach 1");
  // Without a transition method, unused defaults are not errors.
  parseOk("methods = ['baseline', 'square']\ntraining.epochs = 2\n");
}

// The fit needs a trained ReLU network: a transition from epoch 1 from
// scratch has none; from the baseline, or later, it has.
TEST(ExperimentTest, FittingToReluNeedsATrainedNetwork) {
  EXPECT_EQ(errors("transition.start_epoch = 1\n"
                   "polynomial.fit_relu = true\n")[0],
            "x.toml:2:23: error: polynomial.fit_relu: fitting the "
            "polynomials to ReLU needs a trained ReLU network to fit on: "
            "start the transition after epoch 1 (transition.start_epoch) or "
            "start from the baseline (training.init = \"baseline\")");
  parseOk("transition.start_epoch = 1\npolynomial.fit_relu = false\n");
  parseOk("transition.start_epoch = 2\npolynomial.fit_relu = true\n");
  parseOk("training.init = 'baseline'\ntransition.start_epoch = 1\n"
          "polynomial.fit_relu = true\n");
  // Without a transition method nothing is fitted from scratch.
  parseOk("methods = ['baseline', 'tp']\ntransition.start_epoch = 1\n"
          "polynomial.fit_relu = true\n");
}

TEST(ExperimentTest, PathsAreCheckedUnlessTurnedOff) {
  const char *text = "data.kind = 'cifar10'\ndata.path = '/no/such/dir'\n";
  ParseResult checked = parseExperimentString(text, "x.toml");
  ASSERT_EQ(checked.diagnostics.size(), 1u);
  EXPECT_EQ(checked.diagnostics[0].str(),
            "x.toml:2:13: error: data.path: no such folder: /no/such/dir "
            "(download the data set first, see docs/experiments.md)");
  EXPECT_TRUE(parseExperimentString(text, "x.toml", noPaths()));
  // Synthetic data has no folder to check.
  EXPECT_TRUE(parseExperimentString("data.kind = 'synthetic'\n", "x.toml"));
}

TEST(ExperimentTest, ImageDataKeysAreCheckedAgainstTheKind) {
  // Label files are COVIDx's; "" takes the release's own names.
  Experiment covidx = parseOk("[data]\nkind = \"covidx\"\ntrain_list = "
                              "\"lists/a.txt\"\n[model]\nclasses = 2\n");
  EXPECT_EQ(covidx.data.trainList, "lists/a.txt");
  EXPECT_EQ(covidx.model.classes, 2);
  EXPECT_EQ(parseOk("[data]\nkind = \"covidx\"\n").model.classes, 3);
  auto found = errors("[data]\nkind = \"cifar10\"\ntest_list = \"t.txt\"\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], "x.toml:3:13: error: data.test_list: label files are "
                      "read for data.kind = \"covidx\" only, not \"cifar10\"");
  found = errors("[data]\nkind = \"covidx\"\n[model]\nclasses = 4\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("model.classes: expected 3 (normal, pneumonia, "
                          "COVID-19) or 2 (negative, positive"),
            std::string::npos)
      << found[0];
  // Only image folders and COVIDx have a val split of their own, and it
  // competes with data.validation.
  found = errors("[data]\neval_split = \"val\"\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("data.kind = \"fashion-mnist\" has no val split"),
            std::string::npos)
      << found[0];
  found = errors("[data]\nkind = \"covidx\"\nvalidation = 5\n"
                 "eval_split = \"val\"\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("keep one"), std::string::npos) << found[0];
  found = errors("[data]\neval_split = \"dev\"\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("expected \"test\" or \"val\""), std::string::npos)
      << found[0];
}
} // namespace
