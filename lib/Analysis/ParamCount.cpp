#include "lib/Analysis/ParamCount.h"

#include "dialect/HeOps.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MathExtras.h"

#include <limits>

using namespace mlir;

namespace he {
ParamCount countParameters(func::FuncOp func) {
  ParamCount count;
  llvm::StringSet<> seen;
  // Checked: shapes come from files, and each fits int64 alone
  // (HeTraits.h), not their sum.
  auto add = [&](int64_t &total, int64_t n, Operation *op) {
    if (llvm::AddOverflow(total, n, total)) {
      total = std::numeric_limits<int64_t>::max();
      if (!count.overflow)
        count.overflow = op;
    }
  };
  func.walk([&](Operation *op) {
    if (auto poly = dyn_cast<PolyActOp>(op)) {
      if (poly.getTrainable())
        add(count.trainable, int64_t(poly.getCoeffs().size()), op);
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
    add(param.getBuffer() ? count.buffers : count.trainable,
        type.getNumElements(), op);
  });
  return count;
}
} // namespace he
