// The one translation of an experiment into the runtime's options: every
// setting arrives, under the method table's rules (transition,
// distillation, the ReLU-fit policy).
#include "tools/hec/TrainOptions.h"
#include "test/unit/hec/ExperimentText.h"

#include "lib/Frontend/Methods.h"

#include <gtest/gtest.h>

using namespace he;
using frontend::Method;

namespace {
using hec::test::parseExperimentText;

TEST(TrainOptionsTest, EverySettingArrives) {
  frontend::Experiment e = parseExperimentText(R"(
[data]
kind = "synthetic"
[data.normalize]
mean = [0.5]
std = [0.25]
[data.augment]
rotation = 7
hflip = true
vflip = true
color_jitter = 0.2
[training]
lr = 0.002
lr_schedule = "cosine"
betas = [0.8, 0.9]
eps = 1e-6
weight_decay = 0.01
grad_clip = 3
batch_size = 17
epochs = 9
threads = 2
activation_bound = 1e4
keep_going_on_nan = true
reestimate_bn = true
[transition]
start_epoch = 2
epochs = 4
per_batch = true
[polynomial]
coeff_lr = 0.02
fit_relu = true
scale_a = 0.125
scale_b = 0.5
[distillation]
temperature = 3
alpha = 0.4
[pooling]
replace = "smooth"
)");
  runtime::TrainOptions o =
      hec::trainOptions(e, Method::TpStKd, 42, torch::kCPU, 5);
  EXPECT_EQ(o.epochs, 9);
  EXPECT_EQ(o.batchSize, 17);
  EXPECT_DOUBLE_EQ(o.lr, 0.002);
  EXPECT_EQ(o.lrSchedule, LrSchedule::Cosine);
  EXPECT_DOUBLE_EQ(o.beta1, 0.8);
  EXPECT_DOUBLE_EQ(o.beta2, 0.9);
  EXPECT_DOUBLE_EQ(o.eps, 1e-6);
  EXPECT_DOUBLE_EQ(o.weightDecay, 0.01);
  EXPECT_DOUBLE_EQ(o.gradClip, 3);
  EXPECT_DOUBLE_EQ(o.coeffLr, 0.02);
  // c_0 keeps scale 1; b and a are c_1 and c_2.
  EXPECT_EQ(o.coefficientScales, (std::vector<double>{1.0, 0.5, 0.125}));
  EXPECT_EQ(o.seed, 42u);
  EXPECT_EQ(o.threads, 2);
  EXPECT_TRUE(o.useTransition);
  EXPECT_EQ(o.e0, 2);
  EXPECT_EQ(o.d, 4);
  EXPECT_TRUE(o.lambdaPerBatch);
  EXPECT_EQ(o.poolMode, PoolMode::Smooth);
  EXPECT_DOUBLE_EQ(o.augment.rotation, 7);
  EXPECT_TRUE(o.augment.hflip);
  EXPECT_TRUE(o.augment.vflip);
  EXPECT_DOUBLE_EQ(o.augment.colorJitter, 0.2);
  EXPECT_EQ(o.augment.mean, std::vector<double>{0.5});
  EXPECT_EQ(o.augment.std, std::vector<double>{0.25});
  EXPECT_TRUE(o.kd.enabled);
  EXPECT_DOUBLE_EQ(o.kd.tau, 3);
  EXPECT_DOUBLE_EQ(o.kd.alpha, 0.4);
  EXPECT_EQ(o.maxBatchesPerEpoch, 5);
  EXPECT_DOUBLE_EQ(o.activationBound, 1e4);
  EXPECT_TRUE(o.keepGoingOnNan);
  EXPECT_TRUE(o.reestimateBatchNorm);
  EXPECT_TRUE(o.fitPolynomials);
}

TEST(TrainOptionsTest, TheMethodTableDecidesTransitionTeacherAndFit) {
  frontend::Experiment e =
      parseExperimentText("[data]\nkind = \"synthetic\"\n"
                          "[polynomial]\nfit_relu = true\n");
  for (const frontend::MethodSpec &spec : frontend::methodTable()) {
    SCOPED_TRACE(spec.name.str());
    runtime::TrainOptions o = hec::trainOptions(e, spec.method, 1, torch::kCPU);
    EXPECT_EQ(o.useTransition, spec.transition);
    EXPECT_EQ(o.kd.enabled, spec.distillation);
    // From scratch only the transition's polynomials take over from a
    // trained ReLU network, so only they are fitted.
    EXPECT_EQ(o.fitPolynomials, spec.transition);
    // Only a polynomial network has coefficients to scale.
    EXPECT_EQ(o.coefficientScales.empty(), !spec.polynomial());
  }
  e.training.init = frontend::WeightInit::Baseline;
  EXPECT_TRUE(hec::trainOptions(e, Method::Tp, 1, torch::kCPU).fitPolynomials);
  EXPECT_FALSE(
      hec::trainOptions(e, Method::Baseline, 1, torch::kCPU).fitPolynomials);
  EXPECT_EQ(frontend::methodPipeline(Method::Baseline, e.polynomial), "");
  EXPECT_EQ(frontend::methodPipeline(Method::TpSt, e.polynomial),
            "he-lower-maxpool{smooth=true},he-replace-activations{method="
            "blend degree=2 a=0 b=1}");
}
} // namespace
