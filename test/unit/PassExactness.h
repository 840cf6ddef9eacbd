// A test harness for value-rewriting passes: parse a network, give its
// parameters random values, run a pass and compare the reference
// evaluation of the network before and after on random inputs.
#ifndef HE_TEST_UNIT_PASSEXACTNESS_H
#define HE_TEST_UNIT_PASSEXACTNESS_H

#include "RefEval.h"

#include "dialect/ParamValues.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <random>

namespace he::test {
class Network {
public:
  /// Parses `text` and gives every parameter without a value random values
  /// (running variances in [0.5, 1.5), the rest in [-1, 1)).
  explicit Network(llvm::StringRef text, unsigned seed = 1) {
    context.loadDialect<he::HeDialect, mlir::func::FuncDialect>();
    module = mlir::parseSourceString<mlir::ModuleOp>(text, &context);
    if (!module)
      return;
    std::mt19937 gen(seed);
    module->walk([&](he::ParamOp param) {
      if (param.getValueAttr())
        return;
      bool variance = param.getParamName().ends_with("running_var");
      std::uniform_real_distribution<float> dist(variance ? 0.5f : -1.0f,
                                                 variance ? 1.5f : 1.0f);
      std::vector<float> values(param.getType().getNumElements());
      for (float &v : values)
        v = dist(gen);
      he::writeParamValue(param, values);
    });
  }

  bool parsed() const { return static_cast<bool>(module); }

  he::ParamOp param(llvm::StringRef name) {
    he::ParamOp found;
    module->walk([&](he::ParamOp p) {
      if (p.getParamName() == name)
        found = p;
    });
    return found;
  }

  mlir::func::FuncOp func() {
    return *module->getOps<mlir::func::FuncOp>().begin();
  }

  template <typename Op> int count() {
    int n = 0;
    module->walk([&](Op) { ++n; });
    return n;
  }

  template <typename Op> Op first() {
    Op found;
    module->walk([&](Op op) {
      if (!found)
        found = op;
    });
    return found;
  }

  std::string print() {
    std::string s;
    llvm::raw_string_ostream os(s);
    module->print(os);
    return s;
  }

  /// Runs `pass` on the module, keeping its diagnostics in `diagnostics`.
  bool run(std::unique_ptr<mlir::Pass> pass) {
    mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
      diagnostics += d.str() + "\n";
      return mlir::success();
    });
    mlir::PassManager pm(&context);
    pm.addPass(std::move(pass));
    return mlir::succeeded(pm.run(*module));
  }

  /// The network's outputs on random inputs of batch 2 (seeded).
  std::vector<Tensor> evaluate(unsigned seed) {
    std::vector<Tensor> inputs;
    for (mlir::Type type : func().getArgumentTypes()) {
      std::vector<int64_t> shape(
          mlir::cast<mlir::RankedTensorType>(type).getShape());
      shape[0] = 2;
      inputs.push_back(randomTensor(shape, seed++));
    }
    std::vector<Tensor> results;
    std::string error;
    EXPECT_TRUE(he::test::evaluate(func(), inputs, results, error)) << error;
    return results;
  }

  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::string diagnostics;
};

/// Runs `pass` on `net` and expects the same outputs, before and after, on
/// a few random inputs (relative error <= 1e-4).
inline void expectExact(Network &net, std::unique_ptr<mlir::Pass> pass) {
  ASSERT_TRUE(net.parsed());
  std::vector<std::vector<Tensor>> before;
  for (unsigned seed : {11u, 22u, 33u})
    before.push_back(net.evaluate(seed));
  ASSERT_TRUE(net.run(std::move(pass))) << net.diagnostics;
  int i = 0;
  for (unsigned seed : {11u, 22u, 33u}) {
    std::vector<Tensor> after = net.evaluate(seed);
    ASSERT_EQ(after.size(), before[i].size());
    for (size_t r = 0; r < after.size(); ++r)
      EXPECT_LE(relativeError(before[i][r], after[r]), 1e-4)
          << "output " << r << " on inputs " << seed << "\n"
          << net.print();
    ++i;
  }
}
} // namespace he::test

#endif
