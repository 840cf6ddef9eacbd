#include "lib/Analysis/DepthAnalysis.h"
#include "lib/Analysis/LiveOps.h"

#include "dialect/HeOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

namespace {
int64_t cost(std::vector<double> coeffs, bool trainable = false) {
  return he::polyCost(coeffs, trainable, he::CostModel());
}

TEST(PolyCost, LowDegrees) {
  EXPECT_EQ(cost({3.0}), 0);           // a constant
  EXPECT_EQ(cost({0.0, 1.0}), 0);      // x
  EXPECT_EQ(cost({2.0, 1.0}), 0);      // x + 2: the addition is free
  EXPECT_EQ(cost({0.0, 0.5}), 1);      // 0.5 x
  EXPECT_EQ(cost({0.0, 0.0, 1.0}), 1); // x^2
  EXPECT_EQ(cost({0.0, 3.0, 1.0}), 1); // x (x + 3)
  EXPECT_EQ(cost({0.0, 3.0, 2.0}), 2); // x (2x + 3)
  EXPECT_EQ(cost({0.0, 0.0, 2.0}), 2); // 2 x^2
}

TEST(PolyCost, TrailingZerosDoNotCountUnlessTrainable) {
  EXPECT_EQ(cost({0.0, 1.0, 0.0}), 0);
  // The runtime will train the x^2 coefficient away from 0.
  EXPECT_EQ(cost({0.0, 1.0, 0.0}, /*trainable=*/true), 2);
  EXPECT_EQ(cost({0.0, 1.0, 1.0}, /*trainable=*/true), 1);
}

TEST(PolyCost, HighDegrees) {
  EXPECT_EQ(cost({0, 0, 0, 2}), 3);       // ceil(log2 3) + 1
  EXPECT_EQ(cost({0, 0, 0, 1}), 2);       // monic
  EXPECT_EQ(cost({0, 0, 0, 0, 5}), 3);    // ceil(log2 4) + 1
  EXPECT_EQ(cost({0, 0, 0, 0, 0, 5}), 4); // ceil(log2 5) + 1
}

TEST(PolyCost, ModelScalesEachPart) {
  he::CostModel model;
  model.mul = 3;
  model.scalar = 5;
  EXPECT_EQ(he::polyCost({0, 1, 2}, false, model), 8);
  EXPECT_EQ(he::polyCost({0, 0, 0, 1}, false, model), 6);
}

TEST(DepthAnalysis, ResidualTakesTheDeeperBranch) {
  mlir::MLIRContext context;
  context.loadDialect<he::HeDialect, mlir::func::FuncDialect>();
  auto module = mlir::parseSourceString<mlir::ModuleOp>(R"mlir(
    func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
      %w = he.param "fc.weight" : tensor<4x4xf32>
      %y = he.linear %x, %w : (tensor<?x4xf32>, tensor<4x4xf32>) -> tensor<?x4xf32>
      %p = he.poly_act %y coeffs [0.0, 1.0, 3.0] : tensor<?x4xf32>
      %s = he.add %x, %p : tensor<?x4xf32>, tensor<?x4xf32>
      return %s : tensor<?x4xf32>
    })mlir",
                                                        &context);
  ASSERT_TRUE(module);
  auto func = *module->getOps<mlir::func::FuncOp>().begin();
  mlir::FailureOr<he::DepthResult> depth =
      he::analyzeDepth(func, he::CostModel());
  ASSERT_TRUE(mlir::succeeded(depth));
  const he::DepthResult &r = *depth;
  ASSERT_EQ(r.ops.size(), 3u);
  EXPECT_EQ(r.totalDepth, 3);
  ASSERT_EQ(r.criticalPath.size(), 3u);
  EXPECT_TRUE(mlir::isa<he::LinearOp>(r.criticalPath[0]));
  EXPECT_TRUE(mlir::isa<he::AddOp>(r.criticalPath[2]));
  EXPECT_EQ(r.ops[2].inLevel, 3);
  EXPECT_TRUE(r.nonPolynomial.empty());
}

// A blend at lambda 0 or 1 computes only the side it selects (the op says
// so); in between it computes both.
TEST(LiveOps, BlendAtEitherEndReachesOnlyItsSide) {
  mlir::MLIRContext context;
  context.loadDialect<he::HeDialect, mlir::func::FuncDialect>();
  for (double lambda : {0.0, 0.5, 1.0}) {
    SCOPED_TRACE(lambda);
    auto module = mlir::parseSourceString<mlir::ModuleOp>(
        R"mlir(
      func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
        %r = he.relu %x : tensor<?x4xf32>
        %p = he.poly_act %x coeffs [0.0, 0.0, 1.0] : tensor<?x4xf32>
        %b = he.blend %r, %p lambda )mlir" +
            std::to_string(lambda) + R"mlir( : tensor<?x4xf32>
        return %b : tensor<?x4xf32>
      })mlir",
        &context);
    ASSERT_TRUE(module);
    auto func = *module->getOps<mlir::func::FuncOp>().begin();
    mlir::Value returned =
        func.getBody().front().getTerminator()->getOperand(0);
    llvm::DenseSet<mlir::Operation *> live = he::opsReaching(returned);
    bool relu = false, poly = false;
    for (mlir::Operation *op : live) {
      relu |= mlir::isa<he::ReluOp>(op);
      poly |= mlir::isa<he::PolyActOp>(op);
    }
    EXPECT_EQ(live.size(), lambda == 0.5 ? 3u : 2u);
    EXPECT_EQ(relu, lambda != 1.0);
    EXPECT_EQ(poly, lambda != 0.0);
  }
}

// Why an op is not a polynomial, or nullopt (not an empty string) when it
// is one.
TEST(OpFacts, WhyNotPolynomialIsNulloptForAPolynomial) {
  mlir::MLIRContext context;
  context.loadDialect<he::HeDialect, mlir::func::FuncDialect>();
  auto module = mlir::parseSourceString<mlir::ModuleOp>(R"mlir(
    func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
      %r = he.relu %x : tensor<?x4xf32>
      %p = he.poly_act %r coeffs [0.0, 0.0, 1.0] : tensor<?x4xf32>
      %b = he.blend %r, %p lambda 0.0 : tensor<?x4xf32>
      return %b : tensor<?x4xf32>
    })mlir",
                                                        &context);
  ASSERT_TRUE(module);
  auto func = *module->getOps<mlir::func::FuncOp>().begin();
  std::vector<std::optional<std::string>> answers;
  func.walk([&](he::PolynomialOpInterface op) {
    answers.push_back(op.whyNotPolynomial([](mlir::Value v) {
      return v.getDefiningOp<he::ReluOp>() != nullptr;
    }));
  });
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0], "run he-replace-activations");
  EXPECT_EQ(answers[1], std::nullopt);
  EXPECT_EQ(answers[2], "at lambda 0 it selects its non-polynomial 'from' "
                        "side: run he-finalize-transition");
}

// Every he op declares whether it is a polynomial, and every one that can be
// declares its cost: the analyses know no op by name.
TEST(OpFacts, EveryHeOpDeclaresThem) {
  mlir::MLIRContext context;
  context.loadDialect<he::HeDialect>();
  int ops = 0;
  for (mlir::RegisteredOperationName name : context.getRegisteredOperations()) {
    if (name.getDialectNamespace() != "he")
      continue;
    ++ops;
    EXPECT_TRUE(name.hasInterface<he::PolynomialOpInterface>())
        << name.getStringRef().str();
    bool neverPolynomial = name.getStringRef() == "he.relu" ||
                           name.getStringRef() == "he.max_pool2d";
    EXPECT_EQ(name.hasInterface<he::LevelCostOpInterface>(), !neverPolynomial)
        << name.getStringRef().str();
  }
  EXPECT_EQ(ops, 14);
}

// An op that declares no cost fails the analysis with an error naming it.
TEST(AnalyzeDepth, UndeclaredCostIsAnError) {
  mlir::MLIRContext context;
  context.loadDialect<he::HeDialect, mlir::func::FuncDialect>();
  context.allowUnregisteredDialects();
  auto module = mlir::parseSourceString<mlir::ModuleOp>(R"mlir(
    func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
      %y = "test.square"(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
      return %y : tensor<?x4xf32>
    })mlir",
                                                        &context);
  ASSERT_TRUE(module);
  std::string errors;
  mlir::ScopedDiagnosticHandler handler(
      &context, [&](mlir::Diagnostic &d) { errors += d.str(); });
  auto func = *module->getOps<mlir::func::FuncOp>().begin();
  EXPECT_TRUE(mlir::failed(he::analyzeDepth(func, he::CostModel())));
  EXPECT_EQ(errors, "'test.square' op declares no multiplicative cost "
                    "(he::LevelCostOpInterface): its depth is unknown");
}
} // namespace
