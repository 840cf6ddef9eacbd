// Training: the schedule, the KD loss and macro-F1 against hand-computed
// values; tiny networks that learn (ReLU, trainable poly, blend under the
// schedule, KD from a teacher); the IR round trip of trained values;
// determinism; divergence.
#include "IrFixture.h"

#include "lib/Schedule/Schedule.h"
#include "runtime/Distill.h"
#include "runtime/HeModule.h"
#include "runtime/Metrics.h"
#include "runtime/Trainer.h"

#include "dialect/ParamValues.h"

#include <torch/torch.h>

#include <cmath>
#include <functional>

namespace he::runtime::test {
namespace {

TEST(ScheduleTest, LambdaPerEpochForE0ThreeAndDFour) {
  std::vector<double> want = {0, 0, .25, .5, .75, 1, 1, 1};
  for (int epoch = 1; epoch <= 8; ++epoch)
    EXPECT_DOUBLE_EQ(lambdaAt(epoch, 3, 4), want[epoch - 1]) << epoch;
  EXPECT_DOUBLE_EQ(poolLambdaAt(PoolMode::Hard, 2, 3, 4), 0.0);
  EXPECT_DOUBLE_EQ(poolLambdaAt(PoolMode::Hard, 3, 3, 4), 1.0);
  EXPECT_DOUBLE_EQ(poolLambdaAt(PoolMode::Smooth, 4, 3, 4), 0.5);
}

// Batch by batch along the same line: half-way through epoch 3 (e0 3,
// d 4) lambda is 1/8; at the end of each epoch, the per-epoch value.
TEST(ScheduleTest, LambdaPerBatchClimbsToTheEpochsValue) {
  EXPECT_DOUBLE_EQ(lambdaAt(2, 0.5, 3, 4), 0.0);
  EXPECT_DOUBLE_EQ(lambdaAt(3, 0.5, 3, 4), 0.125);
  EXPECT_DOUBLE_EQ(lambdaAt(6, 0.5, 3, 4), 0.875);
  EXPECT_DOUBLE_EQ(lambdaAt(7, 0.5, 3, 4), 1.0);
  for (int epoch = 1; epoch <= 8; ++epoch)
    EXPECT_EQ(lambdaAt(epoch, 1.0, 3, 4), lambdaAt(epoch, 3, 4)) << epoch;
  EXPECT_DOUBLE_EQ(poolLambdaAt(PoolMode::Smooth, 4, 0.5, 3, 4), 0.375);
  EXPECT_DOUBLE_EQ(poolLambdaAt(PoolMode::Hard, 3, 0.5, 3, 4), 1.0);
}

TEST(ScheduleTest, CosineLearningRateFactorPerEpoch) {
  // Epochs 1..4 of 4: (1 + cos(pi * k / 4)) / 2 for k = 0..3.
  std::vector<double> want = {1, 0.5 + std::sqrt(0.5) / 2, 0.5,
                              0.5 - std::sqrt(0.5) / 2};
  for (int epoch = 1; epoch <= 4; ++epoch) {
    EXPECT_NEAR(lrFactorAt(LrSchedule::Cosine, epoch, 4), want[epoch - 1],
                1e-15)
        << epoch;
    EXPECT_EQ(lrFactorAt(LrSchedule::Constant, epoch, 4), 1.0);
  }
}

// zs = [1, 2, 0], zt = [0, 1, 3], y = 0, tau 2, alpha 0.6, worked out by
// hand in double precision.
TEST(DistillTest, LossMatchesTheFormula) {
  torch::Tensor zs = torch::tensor({{1.0, 2.0, 0.0}}, torch::kDouble);
  torch::Tensor zt = torch::tensor({{0.0, 1.0, 3.0}}, torch::kDouble);
  torch::Tensor y = torch::tensor({0}, torch::kLong);
  double tau = 2, alpha = 0.6;
  auto softmax = [](std::vector<double> z) {
    double s = 0;
    for (double &v : z)
      s += (v = std::exp(v));
    for (double &v : z)
      v /= s;
    return z;
  };
  std::vector<double> pt = softmax({0, 0.5, 1.5}), ps = softmax({0.5, 1, 0});
  double soft = 0;
  for (int k = 0; k < 3; ++k)
    soft -= pt[k] * std::log(ps[k]);
  double hard = -std::log(softmax({1, 2, 0})[0]);
  double want = alpha * tau * tau * soft + (1 - alpha) * hard;
  EXPECT_NEAR(distillationLoss(zs, zt, y, tau, alpha).item<double>(), want,
              1e-12);
}

// Classes 0..3: class 3 occurs nowhere and is left out of the average.
TEST(MetricsTest, MacroF1OfAHandMadeConfusionMatrix) {
  torch::Tensor c = torch::tensor({{5, 1, 0, 0},  // true 0
                                   {2, 3, 1, 0},  // true 1
                                   {0, 0, 0, 0},  // true 2: only predicted
                                   {0, 0, 0, 0}}, // true 3: nowhere
                                  torch::kLong);
  c[0][2] = 1; // true 0 predicted as 2
  // class 0: TP 5, FP 2, FN 2 -> 10/14; class 1: TP 3, FP 1, FN 3 -> 6/10;
  // class 2: TP 0, FP 2 (from rows 0 and 1), FN 0 -> 0.
  double want = (10.0 / 14 + 6.0 / 10 + 0.0) / 3;
  EXPECT_NEAR(macroF1(c), want, 1e-12);
  torch::Tensor m =
      confusionMatrix(torch::tensor({0, 1, 1}), torch::tensor({0, 1, 0}), 2);
  EXPECT_TRUE(torch::equal(m, torch::tensor({{1, 1}, {0, 1}}, torch::kLong)));
}

struct Tiny {
  Dataset train = syntheticDataset(96, 1, 8, 8, 3, 11, /*split=*/0);
  Dataset test = syntheticDataset(48, 1, 8, 8, 3, 11, /*split=*/1);
  TrainOptions options() {
    TrainOptions o;
    o.epochs = 4;
    o.batchSize = 16;
    o.lr = 0.01;
    o.coeffLr = 0.001;
    o.seed = 3;
    o.threads = 1;
    return o;
  }
};

struct TrainingTest : IrFixture {
  /// Two epochs of the tiny trainable-poly network from torch seed 0, with
  /// `edit` applied to the options.
  RunResult twoPolyEpochs(const std::function<void(TrainOptions &)> &edit) {
    Tiny t;
    torch::manual_seed(0);
    HeModule m(parse(tinyNet(TinyAct::Poly)));
    TrainOptions o = t.options();
    o.epochs = 2;
    edit(o);
    return train(m, t.train, t.test, o);
  }
};

void expectLearns(const RunResult &r) {
  ASSERT_FALSE(r.diverged) << r.message;
  ASSERT_GE(r.epochs.size(), 2u);
  EXPECT_LT(r.epochs.back().loss, r.epochs.front().loss * 0.8);
  EXPECT_GT(r.testAccuracy, 0.6);
}

TEST_F(TrainingTest, ReluNetworkLearns) {
  Tiny t;
  torch::manual_seed(0);
  HeModule m(parse(tinyNet(TinyAct::Relu)));
  expectLearns(train(m, t.train, t.test, t.options()));
}

TEST_F(TrainingTest, TrainablePolyNetworkLearnsItsCoefficients) {
  Tiny t;
  torch::manual_seed(0);
  HeModule m(parse(tinyNet(TinyAct::Poly)));
  RunResult r = train(m, t.train, t.test, t.options());
  expectLearns(r);
  ASSERT_EQ(r.epochs.back().coefficients.size(), 1u);
  const std::vector<double> &c = r.epochs.back().coefficients[0].second;
  ASSERT_EQ(c.size(), 3u);
  // a*x^2 + b*x as in the paper: a and b learn, the constant stays 0.
  EXPECT_EQ(c[0], 0.0);
  EXPECT_NE(c[1], 1.0);
  EXPECT_NE(c[2], 0.1);
}

// A transition from epoch 2 over 2, pools blended like the activations.
TrainOptions transitionOptions(Tiny &t, int epochs) {
  TrainOptions o = t.options();
  o.epochs = epochs;
  o.useTransition = true;
  o.e0 = 2;
  o.d = 2;
  o.poolMode = PoolMode::Smooth;
  return o;
}

std::vector<double> epochLambdas(const RunResult &r) {
  std::vector<double> lambdas;
  for (const EpochMetrics &e : r.epochs)
    lambdas.push_back(e.lambda);
  return lambdas;
}

// fitPolynomials: once, at the start of e0, logged; before it the
// coefficients keep their start (lambda 0 gives them no gradient), and
// from it the run differs from one without the fit.
TEST_F(TrainingTest, PolynomialsAreFittedToReluWhenTheTransitionStarts) {
  Tiny t;
  std::vector<std::string> lines;
  auto run = [&](bool fit) {
    torch::manual_seed(0);
    HeModule m(parse(tinyNet(TinyAct::Blend)));
    TrainOptions o = transitionOptions(t, 3);
    o.fitPolynomials = fit;
    o.log = [&](const std::string &line) { lines.push_back(line); };
    return train(m, t.train, t.test, o);
  };
  RunResult plain = run(false);
  EXPECT_TRUE(lines.empty());
  RunResult fitted = run(true);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("epoch 2: polynomials fitted to ReLU on 96 "
                           "training images: act1 ",
                           0),
            0u)
      << lines[0];
  ASSERT_EQ(fitted.epochs.size(), 3u);
  EXPECT_EQ(fitted.epochs[0].coefficients, plain.epochs[0].coefficients);
  const std::vector<double> &start = fitted.epochs[0].coefficients[0].second;
  ASSERT_EQ(start.size(), 3u);
  EXPECT_EQ(start[1], 1.0);
  EXPECT_NEAR(start[2], 0.1, 1e-7); // held as a float
  EXPECT_NE(fitted.epochs[1].coefficients, plain.epochs[1].coefficients);
  EXPECT_EQ(fitted.epochs[1].coefficients[0].second[0], 0.0);
}

TEST_F(TrainingTest, BlendFollowsTheSchedule) {
  Tiny t;
  torch::manual_seed(0);
  HeModule m(parse(tinyNet(TinyAct::Blend)));
  RunResult r = train(m, t.train, t.test, transitionOptions(t, 5));
  expectLearns(r);
  EXPECT_EQ(epochLambdas(r), (std::vector<double>{0, 0.5, 1, 1, 1}));
  EXPECT_EQ(m.blendLambdas(), (std::vector<double>{1.0, 1.0}));
}

// transition.per_batch: every batch trains at its own lambda, activation
// and (smooth) pool blends alike; the epochs end where the per-epoch
// schedule puts them.
TEST_F(TrainingTest, BlendLambdaRisesEveryBatch) {
  Tiny t; // 96 images in batches of 16: 6 batches per epoch
  torch::manual_seed(0);
  HeModule m(parse(tinyNet(TinyAct::Blend)));
  TrainOptions o = transitionOptions(t, 3);
  o.lambdaPerBatch = true;
  std::vector<double> seen, want;
  o.onBatch = [&](int, int64_t, int64_t, double) {
    std::vector<double> l = m.blendLambdas();
    ASSERT_EQ(l.size(), 2u);
    EXPECT_EQ(l[0], l[1]);
    seen.push_back(l[0]);
  };
  RunResult r = train(m, t.train, t.test, o);
  for (int epoch = 1; epoch <= 3; ++epoch)
    for (int batch = 1; batch <= 6; ++batch)
      want.push_back(epoch < 2 ? 0.0 : (epoch - 2 + batch / 6.0) / 2);
  ASSERT_EQ(seen.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(seen[i], want[i], 1e-12) << "batch " << i + 1;
  EXPECT_EQ(epochLambdas(r), (std::vector<double>{0, 0.5, 1}));
}

// The cosine schedule reaches the optimiser: the first epoch (factor 1)
// is the constant run's bit for bit, the second (factor 1/2) is not.
TEST_F(TrainingTest, CosineScheduleSetsTheRatePerEpoch) {
  auto run = [&](LrSchedule schedule) {
    return twoPolyEpochs([&](TrainOptions &o) { o.lrSchedule = schedule; });
  };
  RunResult constant = run(LrSchedule::Constant),
            cosine = run(LrSchedule::Cosine);
  ASSERT_EQ(cosine.epochs.size(), 2u);
  EXPECT_EQ(cosine.epochs[0].lr, 0.01);
  EXPECT_NEAR(cosine.epochs[1].lr, 0.005, 1e-15);
  EXPECT_EQ(constant.epochs[1].lr, 0.01);
  EXPECT_EQ(cosine.epochs[0].loss, constant.epochs[0].loss);
  EXPECT_EQ(cosine.epochs[0].coefficients, constant.epochs[0].coefficients);
  EXPECT_NE(cosine.epochs[1].loss, constant.epochs[1].loss);
  EXPECT_NE(cosine.epochs[1].coefficients, constant.epochs[1].coefficients);
}

TEST_F(TrainingTest, DistillationFromATrainedTeacher) {
  Tiny t;
  torch::manual_seed(0);
  HeModule teacher(parse(tinyNet(TinyAct::Relu)));
  train(teacher, t.train, t.test, t.options());
  torch::Tensor teacherWeight = teacher.parameters()[0].clone();
  HeModule student(parse(tinyNet(TinyAct::Poly)));
  TrainOptions o = t.options();
  o.kd = {true, 2.0, 0.5};
  expectLearns(train(student, t.train, t.test, o, &teacher));
  EXPECT_TRUE(torch::equal(teacher.parameters()[0], teacherWeight));
  o.kd.enabled = true;
  EXPECT_THROW(train(student, t.train, t.test, o, nullptr), Error);
}

TEST_F(TrainingTest, TrainedValuesRoundTripThroughTheIr) {
  Tiny t;
  torch::manual_seed(0);
  mlir::func::FuncOp f = parse(tinyNet(TinyAct::Blend));
  HeModule m(f);
  TrainOptions o = t.options();
  o.epochs = 2;
  o.useTransition = true;
  o.e0 = 1;
  o.d = 3;
  o.poolMode = PoolMode::Smooth;
  train(m, t.train, t.test, o);
  m.writeBack(f);
  // The IR now holds the values: the coefficients moved, lambda is 2/3.
  f.walk([](PolyActOp p) { EXPECT_NE(p.getCoeffs()[2], 0.1); });
  f.walk([](BlendOp b) {
    EXPECT_NEAR(b.getLambda().convertToDouble(), 2.0 / 3, 1e-12);
  });
  torch::manual_seed(99); // different init: everything must come from the IR
  HeModule rebuilt(f);
  m.eval();
  rebuilt.eval();
  torch::Tensor x = t.test.images.slice(0, 0, 8);
  EXPECT_TRUE(torch::equal(m.forward(x), rebuilt.forward(x)));
}

TEST_F(TrainingTest, SameSeedSameNumbersBitForBit) {
  Tiny t;
  auto run = [&] {
    torch::manual_seed(5);
    HeModule m(parse(tinyNet(TinyAct::Blend)));
    TrainOptions o = t.options();
    o.epochs = 2;
    o.useTransition = true;
    return train(m, t.train, t.test, o);
  };
  RunResult a = run(), b = run();
  ASSERT_EQ(a.epochs.size(), b.epochs.size());
  for (size_t i = 0; i < a.epochs.size(); ++i) {
    EXPECT_EQ(a.epochs[i].loss, b.epochs[i].loss);
    EXPECT_EQ(a.epochs[i].coefficients, b.epochs[i].coefficients);
  }
  EXPECT_EQ(a.testAccuracy, b.testAccuracy);
}

// Gradients (3, 4) and (12): norm 13. Within the bound they are left as
// they are; above it they are scaled to the bound, direction kept.
TEST(ClipGradientsTest, ScalesToTheBoundOnlyAboveIt) {
  torch::Tensor a = torch::zeros({2}, torch::requires_grad()),
                b = torch::zeros({1}, torch::requires_grad());
  torch::optim::SGD sgd({a, b}, 0.1);
  a.mutable_grad() = torch::tensor({3.0f, 4.0f});
  b.mutable_grad() = torch::tensor({12.0f});
  EXPECT_DOUBLE_EQ(clipGradients(sgd, 0), 13.0);
  EXPECT_DOUBLE_EQ(clipGradients(sgd, 13.5), 13.0);
  EXPECT_TRUE(torch::equal(a.grad(), torch::tensor({3.0f, 4.0f})));
  EXPECT_DOUBLE_EQ(clipGradients(sgd, 6.5), 13.0);
  EXPECT_TRUE(torch::allclose(a.grad(), torch::tensor({1.5f, 2.0f})));
  EXPECT_TRUE(torch::allclose(b.grad(), torch::tensor({6.0f})));
  EXPECT_NEAR(clipGradients(sgd, 0), 6.5, 1e-5);
}

// The norm is reported per epoch whether or not it is clipped; a bound no
// step reaches changes nothing, bit for bit; a bound every step exceeds
// clips every step and changes the run.
TEST_F(TrainingTest, GradientClippingIsReportedAndOnlyActsAboveTheBound) {
  auto run = [&](double clip) {
    return twoPolyEpochs([&](TrainOptions &o) { o.gradClip = clip; });
  };
  RunResult free = run(0);
  ASSERT_FALSE(free.diverged) << free.message;
  const EpochMetrics &first = free.epochs[0];
  EXPECT_GT(first.gradNormMean, 0);
  EXPECT_GE(first.gradNormMax, first.gradNormMean);
  EXPECT_EQ(first.clippedBatches, 0);

  RunResult loose = run(first.gradNormMax * 100);
  for (size_t i = 0; i < free.epochs.size(); ++i) {
    EXPECT_EQ(loose.epochs[i].loss, free.epochs[i].loss);
    EXPECT_EQ(loose.epochs[i].coefficients, free.epochs[i].coefficients);
    EXPECT_EQ(loose.epochs[i].clippedBatches, 0);
  }

  RunResult tight = run(first.gradNormMean / 100);
  EXPECT_EQ(tight.epochs[0].clippedBatches, 96 / 16);
  EXPECT_NE(tight.epochs[1].loss, free.epochs[1].loss);
}

TEST_F(TrainingTest, DivergenceNamesLayerEpochAndBatch) {
  Tiny t;
  torch::manual_seed(0);
  HeModule m(parse(tinyNet(TinyAct::Relu)));
  TrainOptions o = t.options();
  o.activationBound = 1e-3;
  RunResult r = train(m, t.train, t.test, o);
  EXPECT_TRUE(r.diverged);
  EXPECT_NE(r.message.find("epoch 1, batch 1: layer conv1 ("),
            std::string::npos)
      << r.message;
  // A non-finite loss stops the run too.
  Dataset poisoned = t.train;
  poisoned.images = poisoned.images.clone();
  poisoned.images.fill_(std::numeric_limits<float>::infinity());
  o.activationBound = 0;
  r = train(m, poisoned, t.test, o);
  EXPECT_TRUE(r.diverged);
  EXPECT_NE(r.message.find("epoch 1, batch 1: layer conv1 ("),
            std::string::npos)
      << r.message;
  EXPECT_NE(r.message.find("non-finite"), std::string::npos) << r.message;
}
} // namespace
} // namespace he::runtime::test
