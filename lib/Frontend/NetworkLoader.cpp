#include "lib/Frontend/NetworkLoader.h"
#include "dialect/HeOps.h"
#include "lib/Frontend/BytecodeGuard.h"
#include "lib/Frontend/DiagnosticCollector.h"
#include "lib/Frontend/Experiment.h"
#include "lib/Frontend/ExperimentLimits.h"
#include "lib/Frontend/Methods.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <fmt/format.h>

using namespace mlir;
using namespace he;
using namespace he::frontend;
using llvm::StringRef;

namespace {
// Reads and parses `path`; bytecode goes through the guard first.
OwningOpRef<ModuleOp> readNetwork(StringRef path, MLIRContext &context,
                                  Location useLoc) {
  if (std::optional<std::string> problem = networkFileProblem(path)) {
    emitError(useLoc) << *problem;
    return nullptr;
  }
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/true);
  if (!buffer) {
    emitError(useLoc) << "cannot read " << path << ": "
                      << buffer.getError().message();
    return nullptr;
  }
  // The child parses with the dialects this context can load (loadNetwork
  // registers he and func): with fewer it refused what this process then
  // crashed on.
  if (std::optional<std::string> problem = bytecodeProblem(
          path, (*buffer)->getBuffer(), context.getDialectRegistry(),
          context.allowsUnregisteredDialects())) {
    emitError(useLoc) << *problem;
    return nullptr;
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  if (!module) {
    if (isBytecode(sourceMgr.getMemoryBuffer(1)->getBuffer()))
      emitError(useLoc) << "corrupt bytecode: " << path
                        << " (the reader refused it, see above)";
    return nullptr;
  }
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

// Errors name the file, with a note where the experiment names it.
InFlightDiagnostic fail(Location at, Location useLoc) {
  InFlightDiagnostic diag = emitError(at);
  if (at != useLoc && !isa<UnknownLoc>(useLoc))
    diag.attachNote(useLoc) << "network named here";
  return diag;
}
} // namespace

std::optional<std::string>
he::frontend::networkFileProblem(llvm::StringRef path) {
  llvm::sys::fs::file_status status;
  if (llvm::sys::fs::status(path, status))
    return fmt::format("no such network file: {}", path.str());
  switch (status.type()) {
  case llvm::sys::fs::file_type::regular_file:
    return std::nullopt;
  case llvm::sys::fs::file_type::directory_file:
    return fmt::format("{} is a directory, not a network file", path.str());
  case llvm::sys::fs::file_type::fifo_file:
    return fmt::format("{} is a FIFO, not a network file", path.str());
  default:
    return fmt::format("{} is not a regular file", path.str());
  }
}

NetworkUse he::frontend::experimentUse(const Experiment &experiment,
                                       std::string role, bool needsWeights) {
  NetworkUse use;
  use.role = std::move(role);
  use.inputShape = experiment.data.imageSize;
  use.classes = experiment.model.classes;
  use.needsWeights = needsWeights;
  return use;
}

Location he::frontend::experimentLoc(const Experiment &experiment,
                                     StringRef key, MLIRContext &context) {
  SourceLoc where = experiment.locationOf(key);
  if (where.line == 0)
    return NameLoc::get(StringAttr::get(&context, where.file));
  return FileLineColLoc::get(&context, where.file, where.line, where.column);
}

LogicalResult he::frontend::checkParameterCount(func::FuncOp forward,
                                                StringRef name,
                                                Location useLoc) {
  // Every he.param, used or not (the runtime allocates each), once per
  // name; checked sums: each shape fits int64 alone (HeTraits.h), not
  // their total.
  int64_t total = 0;
  llvm::StringMap<Type> seen;
  WalkResult walk = forward.walk([&](ParamOp param) {
    auto type = cast<ShapedType>(param.getType());
    auto [it, fresh] = seen.try_emplace(param.getParamName(), type);
    if (!fresh && it->second != type) {
      // The runtime shares a name's tensor: two shapes cannot share one.
      fail(param.getLoc(), useLoc)
          << name << ": he.param \"" << param.getParamName() << "\" is " << type
          << " here and " << it->second
          << " before it; params of one name are one tensor";
      return WalkResult::interrupt();
    }
    if (!fresh || !type.hasStaticShape())
      return WalkResult::advance();
    if (!llvm::AddOverflow(total, type.getNumElements(), total) &&
        total <= kMaxParameters)
      return WalkResult::advance();
    fail(param.getLoc(), useLoc)
        << name << ": its parameters pass hec's bound of " << kMaxParameters
        << " values (2^30: 16 GiB of weights, gradients and Adam's state in "
           "f32) at \""
        << param.getParamName() << "\" (" << type << ")";
    return WalkResult::interrupt();
  });
  return failure(walk.wasInterrupted());
}

LogicalResult he::frontend::checkNetwork(ModuleOp module, StringRef path,
                                         const NetworkUse &use,
                                         Location useLoc) {
  auto forward = module.lookupSymbol<func::FuncOp>("forward");
  if (!forward) {
    fail(useLoc, useLoc) << path
                         << " has no func.func @forward, the network's entry "
                            "point";
    return failure();
  }
  // A declaration has nothing to run (the runtime once crashed on one).
  if (forward.isDeclaration()) {
    fail(forward.getLoc(), useLoc)
        << path << ": @forward has no body (a declaration, not a network)";
    return failure();
  }
  SmallVector<int64_t> expectedIn = {ShapedType::kDynamic};
  expectedIn.append(use.inputShape.begin(), use.inputShape.end());
  auto matches = [](Type type, llvm::ArrayRef<int64_t> expected) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || tensor.getShape().size() != expected.size())
      return false;
    // The batch dimension may be fixed or dynamic.
    return tensor.getShape().drop_front() ==
           llvm::ArrayRef<int64_t>(expected).drop_front();
  };
  FunctionType type = forward.getFunctionType();
  std::string got;
  llvm::raw_string_ostream(got) << type;
  if (type.getNumInputs() != 1 || !matches(type.getInput(0), expectedIn)) {
    fail(forward.getLoc(), useLoc)
        << path << ": " << use.role << "'s @forward must take one tensor<"
        << shapeText(expectedIn) << "xf32> (the experiment's images), got "
        << got;
    return failure();
  }
  SmallVector<int64_t> expectedOut = {ShapedType::kDynamic, use.classes};
  if (type.getNumResults() != 1 || !matches(type.getResult(0), expectedOut)) {
    fail(forward.getLoc(), useLoc)
        << path << ": " << use.role << "'s @forward must return one tensor<"
        << shapeText(expectedOut) << "xf32> (the experiment's " << use.classes
        << " classes), got " << got;
    return failure();
  }
  if (failed(checkParameterCount(forward, path, useLoc)))
    return failure();
  if (use.needsWeights) {
    int64_t params = 0;
    SmallVector<ParamOp> missing;
    forward.walk([&](ParamOp param) {
      ++params;
      if (!param.getValue())
        missing.push_back(param);
    });
    if (!missing.empty()) {
      InFlightDiagnostic diag = fail(missing.front().getLoc(), useLoc);
      if (int64_t(missing.size()) == params) {
        diag << path << " has no weights: " << params << " of " << params
             << " he.param ops carry no value (the first is \""
             << missing.front().getParamName() << "\"); " << use.role
             << " must be a trained network, not the output of --emit-ir";
        return failure();
      }
      // Some values present: not --emit-ir's output; name what is missing.
      std::string names;
      for (auto [i, param] : llvm::enumerate(missing)) {
        if (i == 5) {
          names += fmt::format(", and {} more", missing.size() - 5);
          break;
        }
        names += (i ? ", " : "") + param.getParamName().str();
      }
      diag << path << " has values for " << params - int64_t(missing.size())
           << " of its " << params << " parameters (missing: " << names << "); "
           << use.role << " must carry every parameter's value";
      return failure();
    }
  }
  return success();
}

OwningOpRef<ModuleOp> he::frontend::loadNetwork(StringRef path,
                                                const NetworkUse &use,
                                                MLIRContext &context,
                                                Location useLoc) {
  DialectRegistry registry;
  registry.insert<HeDialect, func::FuncDialect>();
  context.appendDialectRegistry(registry);
  context.loadDialect<HeDialect, func::FuncDialect>();
  OwningOpRef<ModuleOp> module = readNetwork(path, context, useLoc);
  if (!module || failed(checkNetwork(*module, path, use, useLoc)))
    return nullptr;
  return module;
}

UnlocatedDiagnosticPrinter::UnlocatedDiagnosticPrinter(MLIRContext *context)
    : ScopedDiagnosticHandler(context) {
  // "FILE:LINE:COL: ", "NAME: " or nothing (locationText's, with a colon).
  auto where = [](Location loc) -> std::string {
    std::string text = locationText(loc);
    return text.empty() ? text : text + ": ";
  };
  setHandler([where](mlir::Diagnostic &d) -> LogicalResult {
    if (d.getLocation()->findInstanceOf<FileLineColLoc>())
      return failure(); // the SourceMgr handler shows the line
    const char *kind = d.getSeverity() == DiagnosticSeverity::Error ? "error"
                       : d.getSeverity() == DiagnosticSeverity::Warning
                           ? "warning"
                           : "remark";
    llvm::errs() << where(d.getLocation()) << kind << ": " << d.str() << "\n";
    for (mlir::Diagnostic &note : d.getNotes())
      llvm::errs() << where(note.getLocation()) << "note: " << note.str()
                   << "\n";
    return success();
  });
}

std::string he::frontend::shapeText(llvm::ArrayRef<int64_t> shape) {
  std::string s;
  llvm::interleave(
      shape,
      [&](int64_t d) {
        s += d == ShapedType::kDynamic ? "?" : std::to_string(d);
      },
      [&] { s += "x"; });
  return s;
}

namespace {
bool hasRelu(ModuleOp network) {
  return network.walk([](ReluOp) { return WalkResult::interrupt(); })
      .wasInterrupted();
}
} // namespace

LogicalResult he::frontend::checkExperimentNetworks(const Experiment &exp,
                                                    ModuleOp network,
                                                    MLIRContext &context) {
  bool ok = true;
  if (!exp.model.isFile())
    if (auto forward = network.lookupSymbol<func::FuncOp>("forward"))
      ok = succeeded(checkParameterCount(
          forward, exp.model.name, experimentLoc(exp, "model.name", context)));
  if (exp.model.isFile()) {
    // What the methods replace is what keeps the network from being a
    // polynomial (PolynomialOpInterface): he.relu, he.max_pool2d, and a
    // he.blend part-way through its transition.
    bool replaceable =
        network
            .walk([](Operation *op) {
              return isa<PolynomialOpInterface>(op) && !isPolynomialOp(op)
                         ? WalkResult::interrupt()
                         : WalkResult::advance();
            })
            .wasInterrupted();
    std::string idle;
    for (Method m : exp.methods)
      if (m != Method::Baseline)
        idle += (idle.empty() ? "" : ", ") + toString(m).str();
    if (!replaceable && !idle.empty()) {
      emitError(experimentLoc(exp, "methods", context))
          << "methods: " << idle << " would train " << exp.model.name
          << " unchanged: it has no he.relu or he.max_pool2d to replace "
             "(it is already polynomial); list only \"baseline\" to train "
             "it as it is";
      ok = false;
    } else if (!hasRelu(network)) {
      // square, approx_relu and tp differ only in what replaces a ReLU:
      // without one, each swaps the max-pools alike.
      std::string same;
      int count = 0;
      for (Method m : exp.methods)
        if (specOf(m).polynomial() && !specOf(m).transition) {
          same += (same.empty() ? "" : ", ") + toString(m).str();
          ++count;
        }
      if (count > 1) {
        emitError(experimentLoc(exp, "methods", context))
            << "methods: " << same << " would train the same network from "
            << exp.model.name
            << ": it has no he.relu for their activations to differ on "
               "(they only replace its he.max_pool2d, alike); keep one";
        ok = false;
      }
    }
  }
  const std::string &teacher = exp.distillation.teacher;
  if (teacher != "baseline" && distils(exp) &&
      !loadNetwork(teacher, experimentUse(exp, "the teacher", true), context,
                   experimentLoc(exp, "distillation.teacher", context)))
    ok = false;
  return success(ok);
}
