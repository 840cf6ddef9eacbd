#include "lib/Transforms/FinalizeTransition/FinalizeTransition.h"
#include "lib/Transforms/Utils.h"

namespace he {
#define GEN_PASS_DEF_FINALIZETRANSITION
#include "lib/Transforms/FinalizeTransition/FinalizeTransition.h.inc"

namespace {
struct FinalizeTransition : impl::FinalizeTransitionBase<FinalizeTransition> {
  void runOnOperation() override {
    llvm::SmallVector<BlendOp> blends;
    getOperation()->walk([&](BlendOp op) { blends.push_back(op); });
    for (BlendOp op : blends) {
      // The surviving side takes the layer's name ("act1", not "act1.poly")
      // so the final model reads like the original network.
      mlir::Operation *to = op.getTo().getDefiningOp();
      if (auto name = op.getNameAttr(); name && to && to->hasOneUse())
        to->setAttr("name", name);
      mlir::Value old = op.getFrom();
      op.replaceAllUsesWith(op.getTo());
      op.erase();
      eraseDeadProducers(old);
    }
  }
};
} // namespace
} // namespace he
