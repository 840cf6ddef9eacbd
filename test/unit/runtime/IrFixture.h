// Shared by the runtime tests: parsing he IR and the tiny test network.
#ifndef HE_TEST_UNIT_RUNTIME_IRFIXTURE_H
#define HE_TEST_UNIT_RUNTIME_IRFIXTURE_H

#include "dialect/HeOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <string>

namespace he::runtime::test {
struct IrFixture : ::testing::Test {
  IrFixture() { context.loadDialect<he::HeDialect, mlir::func::FuncDialect>(); }

  /// The func @forward of `ir` (null, with a test failure, if it does not
  /// parse).
  mlir::func::FuncOp parse(const std::string &ir) {
    module = mlir::parseSourceString<mlir::ModuleOp>(ir, &context);
    EXPECT_TRUE(module) << ir;
    if (!module)
      return {};
    return module->lookupSymbol<mlir::func::FuncOp>("forward");
  }

  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

/// What the tiny network uses as its activation and pool.
enum class TinyAct { Relu, Poly, Blend };

/// conv(1->4, 3x3, pad 1) - activation - pool 2x2 - flatten - linear(64->3)
/// on 1x8x8 images. Blend blends ReLU with a trainable poly and max-pool
/// with avg-pool, both at lambda 0.
inline std::string tinyNet(TinyAct act) {
  std::string t = "tensor<?x4x8x8xf32>", p = "tensor<?x4x4x4xf32>";
  std::string a;
  switch (act) {
  case TinyAct::Relu:
    a = "  %a = he.relu %c {name = \"act1\"} : " + t + "\n";
    break;
  case TinyAct::Poly:
    a = "  %a = he.poly_act %c coeffs [0.0, 1.0, 0.1] trainable "
        "{name = \"act1\"} : " +
        t + "\n";
    break;
  case TinyAct::Blend:
    a = "  %r = he.relu %c : " + t + "\n" +
        "  %q = he.poly_act %c coeffs [0.0, 1.0, 0.1] trainable "
        "{name = \"act1\"} : " +
        t + "\n" +
        "  %a = he.blend %r, %q lambda 0.0 {name = \"act1\"} : " + t + "\n";
    break;
  }
  std::string pool =
      "{kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : " + t + " -> " +
      p + "\n";
  std::string pools =
      act == TinyAct::Blend
          ? "  %pm = he.max_pool2d %a " + pool + "  %pa = he.avg_pool2d %a " +
                pool + "  %p = he.blend %pm, %pa lambda 0.0 : " + p + "\n"
          : "  %p = he.max_pool2d %a " + pool;
  return "func.func @forward(%x: tensor<?x1x8x8xf32>) -> tensor<?x3xf32> {\n"
         "  %w = he.param \"conv1.weight\" : tensor<4x1x3x3xf32>\n"
         "  %b = he.param \"conv1.bias\" : tensor<4xf32>\n"
         "  %c = he.conv2d %x, %w, %b {name = \"conv1\", padding = "
         "array<i64: 1, 1, 1, 1>} : (tensor<?x1x8x8xf32>, "
         "tensor<4x1x3x3xf32>, tensor<4xf32>) -> " +
         t + "\n" + a + pools + "  %f = he.flatten %p : " + p +
         " -> tensor<?x64xf32>\n"
         "  %fw = he.param \"fc.weight\" : tensor<3x64xf32>\n"
         "  %fb = he.param \"fc.bias\" : tensor<3xf32>\n"
         "  %y = he.linear %f, %fw, %fb {name = \"fc\"} : (tensor<?x64xf32>, "
         "tensor<3x64xf32>, tensor<3xf32>) -> tensor<?x3xf32>\n"
         "  return %y : tensor<?x3xf32>\n"
         "}\n";
}
} // namespace he::runtime::test

#endif
