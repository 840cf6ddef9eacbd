#include "lib/Analysis/ParamCount.h"

#include "dialect/HeOps.h"

#include "llvm/ADT/StringSet.h"

using namespace mlir;

namespace he {
ParamCount countParameters(func::FuncOp func) {
  ParamCount count;
  llvm::StringSet<> seen;
  func.walk([&](Operation *op) {
    if (auto poly = dyn_cast<PolyActOp>(op)) {
      if (poly.getTrainable())
        count.trainable += poly.getCoeffs().size();
      return;
    }
    auto param = dyn_cast<ParamOp>(op);
    if (!param || param->use_empty() ||
        !seen.insert(param.getParamName()).second)
      return;
    auto type = cast<ShapedType>(param.getType());
    if (!type.hasStaticShape()) {
      count.unsized.push_back(op);
      return;
    }
    (param.getBuffer() ? count.buffers : count.trainable) +=
        type.getNumElements();
  });
  return count;
}
} // namespace he
