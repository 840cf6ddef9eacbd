#include "dialect/ParamValues.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

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

// A param's name is any string; its blob's key must still read back from
// text. bytecode-fuzzer found a model whose printed text did not parse: a
// blob key with bytes outside an identifier (hec used the param's name).
TEST_F(ParamValuesTest, BlobKeysOfAnyNameReadBackFromText) {
  EXPECT_EQ(he::resourceKeyFor("conv1.weight"), "conv1.weight");
  EXPECT_EQ(he::resourceKeyFor("conv1 w\xc3\xa9ight"), "conv1_w__ight");
  EXPECT_EQ(he::resourceKeyFor("0.weight"), "_0.weight");
  EXPECT_EQ(he::resourceKeyFor("onnx::Conv_12"), "onnx__Conv_12");
  EXPECT_EQ(he::resourceKeyFor(""), "_");
  std::vector<float> values = {1, 2, 3, 4, 5, -6.5f};
  for (const char *name : {"conv1 w\xc3\xa9ight", "0.weight", "onnx::Conv_12",
                           "a>b", "\"quoted\""}) {
    SCOPED_TRACE(name);
    mlir::OpBuilder b(&context);
    mlir::OwningOpRef<mlir::ModuleOp> m =
        mlir::ModuleOp::create(b.getUnknownLoc());
    b.setInsertionPointToEnd(m->getBody());
    auto type = mlir::RankedTensorType::get({2, 3}, b.getF32Type());
    auto param = b.create<he::ParamOp>(b.getUnknownLoc(), type, name,
                                       mlir::ElementsAttr(), false);
    he::writeParamValue(param, values);
    std::string text;
    llvm::raw_string_ostream os(text);
    m->print(os);
    mlir::MLIRContext other;
    other.loadDialect<he::HeDialect>();
    mlir::OwningOpRef<mlir::ModuleOp> again =
        mlir::parseSourceString<mlir::ModuleOp>(text, &other);
    ASSERT_TRUE(again) << text;
    auto read = *again->getOps<he::ParamOp>().begin();
    EXPECT_EQ(read.getParamName(), name);
    EXPECT_EQ(*he::readParamValue(read), values);
  }
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
