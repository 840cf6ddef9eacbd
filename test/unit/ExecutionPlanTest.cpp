// The LibTorch-free execution plan (lib/Analysis/ExecutionPlan.h): value
// numbers, fused blends, releases and the errors for a func the runtime
// cannot execute.
#include "lib/Analysis/ExecutionPlan.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

namespace {
struct Planned {
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  llvm::Expected<he::ExecutionPlan> plan = he::ExecutionPlan();

  explicit Planned(llvm::StringRef ir) {
    context.loadDialect<he::HeDialect, mlir::func::FuncDialect>();
    context.allowUnregisteredDialects();
    module = mlir::parseSourceString<mlir::ModuleOp>(ir, &context);
    llvm::consumeError(plan.takeError());
    plan = he::planExecution(*module->getOps<mlir::func::FuncOp>().begin());
  }
  std::string error() { return llvm::toString(plan.takeError()); }
};

TEST(ExecutionPlan, NumbersValuesFusesBlendsAndReleases) {
  Planned p(R"mlir(
    func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
      %w = he.param "fc.weight" : tensor<4x4xf32>
      %y = he.linear %x, %w : (tensor<?x4xf32>, tensor<4x4xf32>) -> tensor<?x4xf32>
      %r = he.relu %y : tensor<?x4xf32>
      %q = he.poly_act %y coeffs [0.0, 1.0, 0.0] trainable : tensor<?x4xf32>
      %b = he.blend %r, %q lambda 0.5 : tensor<?x4xf32>
      %s = he.add %b, %y : tensor<?x4xf32>, tensor<?x4xf32>
      return %s : tensor<?x4xf32>
    })mlir");
  ASSERT_TRUE(bool(p.plan)) << p.error();
  const he::ExecutionPlan &plan = *p.plan;
  EXPECT_EQ(plan.numValues, 7); // the argument and one per op
  EXPECT_EQ(plan.result, 6);
  ASSERT_EQ(plan.ops.size(), 6u);
  // linear(x = 0, w = 1) -> 2
  EXPECT_EQ(plan.ops[1].inputs, (std::vector<int>{0, 1}));
  EXPECT_EQ(plan.ops[1].output, 2);
  // relu and poly_act run inside the blend, which reads x (= 2) alone.
  EXPECT_TRUE(plan.ops[2].insideFusedBlend);
  EXPECT_TRUE(plan.ops[3].insideFusedBlend);
  EXPECT_FALSE(plan.ops[4].insideFusedBlend);
  EXPECT_EQ(plan.ops[4].inputs, (std::vector<int>{2}));
  EXPECT_EQ(plan.ops[4].fusedPoly, plan.ops[3].op);
  EXPECT_FALSE(plan.ops[5].fusedPoly);
  // x and w die after the linear, its result and the blend's after the add;
  // the result is kept.
  EXPECT_TRUE(plan.ops[0].release.empty());
  EXPECT_EQ(plan.ops[1].release, (std::vector<int>{0, 1}));
  EXPECT_TRUE(plan.ops[4].release.empty());
  EXPECT_EQ(plan.ops[5].release, (std::vector<int>{2, 5}));
}

TEST(ExecutionPlan, BlendOfAnotherPairIsNotFused) {
  Planned p(R"mlir(
    func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
      %r = he.relu %x : tensor<?x4xf32>
      %q = he.poly_act %r coeffs [0.0, 1.0, 0.0] trainable : tensor<?x4xf32>
      %b = he.blend %r, %q lambda 0.5 : tensor<?x4xf32>
      return %b : tensor<?x4xf32>
    })mlir");
  ASSERT_TRUE(bool(p.plan)) << p.error();
  for (const he::PlannedOp &op : p.plan->ops)
    EXPECT_FALSE(op.insideFusedBlend);
  EXPECT_EQ(p.plan->ops[2].inputs, (std::vector<int>{1, 2}));
}

TEST(ExecutionPlan, ErrorsNameTheOpAndItsLocation) {
  Planned twoArgs(R"mlir(
    func.func @f(%x: tensor<?x4xf32>, %y: tensor<?x4xf32>) -> tensor<?x4xf32> {
      return %x : tensor<?x4xf32>
    })mlir");
  EXPECT_EQ(twoArgs.error(), "func.func 'func' at -:2:5: expects one "
                             "argument (the images), got 2");
  Planned foreign(R"mlir(
    func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
      %y = "foreign.square"(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
      return %y : tensor<?x4xf32>
    })mlir");
  EXPECT_EQ(foreign.error(), "foreign.square 'square' at -:3:12: is not "
                             "an op of the he dialect the runtime can execute");
}
} // namespace
