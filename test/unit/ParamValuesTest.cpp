#include "dialect/ParamValues.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

namespace {
struct ParamValuesTest : ::testing::Test {
  ParamValuesTest() { context.loadDialect<he::HeDialect>(); }
  he::ParamOp makeParam(llvm::ArrayRef<int64_t> shape) {
    mlir::OpBuilder b(&context);
    module = mlir::ModuleOp::create(b.getUnknownLoc());
    b.setInsertionPointToEnd(module->getBody());
    auto type = mlir::RankedTensorType::get(shape, b.getF32Type());
    return b.create<he::ParamOp>(b.getUnknownLoc(), type, "w",
                                 mlir::ElementsAttr(), false);
  }
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

TEST_F(ParamValuesTest, NoValueReadsAsNullopt) {
  EXPECT_FALSE(he::readParamValue(makeParam({2, 3})).has_value());
}

TEST_F(ParamValuesTest, DistinctValuesRoundTripThroughAResourceBlob) {
  he::ParamOp param = makeParam({2, 3});
  std::vector<float> values = {1, 2, 3, 4, 5, -6.5f};
  he::writeParamValue(param, values);
  EXPECT_TRUE(mlir::isa<mlir::DenseResourceElementsAttr>(param.getValueAttr()));
  EXPECT_EQ(*he::readParamValue(param), values);
  EXPECT_TRUE(mlir::succeeded(mlir::verify(param)));
}

TEST_F(ParamValuesTest, UniformValuesBecomeASplat) {
  he::ParamOp param = makeParam({4});
  he::writeParamValue(param, {0.25f, 0.25f, 0.25f, 0.25f});
  auto dense = mlir::dyn_cast<mlir::DenseElementsAttr>(param.getValueAttr());
  ASSERT_TRUE(dense);
  EXPECT_TRUE(dense.isSplat());
  EXPECT_EQ(*he::readParamValue(param), std::vector<float>(4, 0.25f));
}
} // namespace
