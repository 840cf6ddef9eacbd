#include "lib/Transforms/LowerMaxPool/LowerMaxPool.h"
#include "lib/Transforms/Transition.h"

#include "mlir/IR/Builders.h"

namespace he {
#define GEN_PASS_DEF_LOWERMAXPOOL
#include "lib/Transforms/LowerMaxPool/LowerMaxPool.h.inc"

namespace {
struct LowerMaxPool : impl::LowerMaxPoolBase<LowerMaxPool> {
  using LowerMaxPoolBase::LowerMaxPoolBase;

  void runOnOperation() override {
    llvm::SmallVector<MaxPool2dOp> pools;
    getOperation()->walk([&](MaxPool2dOp op) { pools.push_back(op); });
    for (MaxPool2dOp pool : pools)
      // Blending a pool again would nest transitions when the pass reruns.
      if (!(smooth && isBlendSource(pool.getResult())))
        lower(pool);
  }

  void lower(MaxPool2dOp pool) {
    mlir::OpBuilder builder(pool);
    builder.setInsertionPointAfter(pool);
    mlir::StringAttr name = pool.getNameAttr();
    auto avg = builder.create<AvgPool2dOp>(
        pool.getLoc(), pool.getType(), pool.getInput(), pool.getKernelAttr(),
        pool.getStrideAttr(), pool.getPaddingAttr(), pool.getCeilModeAttr(),
        /*count_include_pad=*/builder.getBoolAttr(true),
        /*divisor_override=*/mlir::IntegerAttr(),
        smooth ? suffixedName(name, ".avg") : name);
    if (smooth) {
      startTransition(pool, avg.getResult(), ".max");
      return;
    }
    pool.replaceAllUsesWith(avg.getResult());
    pool.erase();
  }
};
} // namespace
} // namespace he
