#include "lib/Analysis/ExecutionPlan.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace he {
// Where an op is: its file:line:col in a network file; a zoo network's ops
// carry the experiment file at line 0, which says nothing, so they are
// named by their op instead (the label already names the layer).
std::string opLocation(Operation *op) {
  if (auto file = op->getLoc()->findInstanceOf<FileLineColLoc>())
    if (file.getLine() > 0 && !file.getFilename().getValue().ends_with(".toml"))
      return llvm::formatv("{0}:{1}:{2}", file.getFilename().getValue(),
                           file.getLine(), file.getColumn())
          .str();
  return op->getName().getStringRef().str();
}

std::string opLabel(Operation *op) {
  return layerName(op) + " (" + opLocation(op) + ")";
}

std::string describeOp(Operation *op, const std::string &what) {
  return op->getName().getStringRef().str() + " '" + layerName(op) + "' at " +
         opLocation(op) + ": " + what;
}

std::pair<ReluOp, PolyActOp> fusablePair(BlendOp blend) {
  auto relu = blend.getFrom().getDefiningOp<ReluOp>();
  auto poly = blend.getTo().getDefiningOp<PolyActOp>();
  if (relu && poly && relu.getInput() == poly.getInput())
    return {relu, poly};
  return {};
}

namespace {
llvm::Error failure(Operation *op, const std::string &what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 describeOp(op, what));
}

// Each value is dropped after its last use by an op with a step of its own.
void planReleases(ExecutionPlan &plan) {
  std::vector<PlannedOp *> steps;
  for (PlannedOp &p : plan.ops)
    if (!p.insideFusedBlend)
      steps.push_back(&p);
  std::vector<int> lastUse(plan.numValues, -1);
  for (size_t i = 0; i < steps.size(); ++i) {
    for (int v : steps[i]->inputs)
      lastUse[v] = i;
    if (lastUse[steps[i]->output] < 0)
      lastUse[steps[i]->output] = i;
  }
  for (int v = 0; v < plan.numValues; ++v)
    if (v != plan.result && lastUse[v] >= 0)
      steps[lastUse[v]]->release.push_back(v);
}
} // namespace

llvm::Expected<ExecutionPlan> planExecution(func::FuncOp func) {
  if (func.getNumArguments() != 1)
    return failure(func, llvm::formatv("expects one argument (the images), "
                                       "got {0}",
                                       func.getNumArguments()));
  if (func.getNumResults() != 1)
    return failure(func, llvm::formatv("expects one result (the logits), "
                                       "got {0}",
                                       func.getNumResults()));
  ExecutionPlan plan;
  llvm::DenseMap<Value, int> numbers;
  numbers[func.getArgument(0)] = plan.numValues++;

  // Ops that only feed a fused blend need no step of their own.
  llvm::DenseSet<Operation *> fused;
  func.walk([&](BlendOp blend) {
    auto [relu, poly] = fusablePair(blend);
    if (!relu)
      return;
    if (relu->hasOneUse())
      fused.insert(relu);
    if (poly->hasOneUse())
      fused.insert(poly);
  });

  for (Operation &opRef : func.getBody().front()) {
    Operation *op = &opRef;
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      plan.result = numbers.at(ret.getOperand(0));
      break;
    }
    if (op->getNumResults() != 1 ||
        !isa_and_nonnull<HeDialect>(op->getDialect()))
      return failure(op, "is not an op of the he dialect the runtime can "
                         "execute");
    PlannedOp p;
    p.op = op;
    for (Value operand : op->getOperands()) {
      auto it = numbers.find(operand);
      if (it == numbers.end())
        return failure(op, "uses a value defined outside the func body");
      p.inputs.push_back(it->second);
    }
    numbers[op->getResult(0)] = plan.numValues;
    p.output = plan.numValues++;
    p.insideFusedBlend = fused.contains(op);
    if (auto blend = dyn_cast<BlendOp>(op))
      if (auto [relu, poly] = fusablePair(blend); relu) {
        p.inputs = {numbers.at(relu.getInput())};
        p.fusedPoly = poly;
      }
    plan.ops.push_back(std::move(p));
  }
  if (plan.result < 0)
    return failure(func, "has no func.return");
  planReleases(plan);
  return plan;
}
} // namespace he
