#include "tools/hec/RunFolder.h"

#include "dialect/HeOps.h"
#include "lib/Analysis/Calibration.h"
#include "lib/Frontend/BytecodeGuard.h"
#include "lib/Frontend/DiagnosticCollector.h"
#include "lib/Frontend/Methods.h"
#include "lib/Frontend/NetworkLoader.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include <algorithm>
#include <cmath>
#include <map>

using namespace hec;

namespace {
llvm::Error fileError(const std::string &path, const llvm::Twine &what) {
  return llvm::createStringError(std::errc::invalid_argument, "%s: %s",
                                 path.c_str(), what.str().c_str());
}

llvm::Expected<std::string> readText(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return fileError(path, "cannot read: " + buffer.getError().message());
  return (*buffer)->getBuffer().str();
}

llvm::Expected<llvm::json::Value> readJson(const std::string &path) {
  llvm::Expected<std::string> text = readText(path);
  if (!text)
    return text.takeError();
  llvm::Expected<llvm::json::Value> value = llvm::json::parse(*text);
  if (!value)
    return fileError(path, "expected JSON: " + toString(value.takeError()));
  return value;
}

// "conv1.act.coeffs" (a polynomial) or "conv1.act.poly.coeffs" (the
// polynomial of a transition's blend): the layer "conv1.act".
std::string layerOfCoefficients(llvm::StringRef key) {
  key.consume_back(".coeffs");
  key.consume_back(".poly");
  return key.str();
}

llvm::Expected<std::vector<EpochRecord>> readMetrics(const std::string &path,
                                                     const std::string &split) {
  llvm::Expected<std::string> text = readText(path);
  if (!text)
    return text.takeError();
  std::vector<EpochRecord> epochs;
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(*text).split(lines, '\n', -1, /*KeepEmpty=*/false);
  std::string accuracyKey = split + "_accuracy";
  for (auto [index, line] : llvm::enumerate(lines)) {
    std::string where = path + ":" + std::to_string(index + 1);
    llvm::Expected<llvm::json::Value> value = llvm::json::parse(line);
    if (!value)
      return fileError(where, "expected a JSON object: " +
                                  toString(value.takeError()));
    const llvm::json::Object *o = value->getAsObject();
    std::optional<int64_t> epoch = o ? o->getInteger("epoch") : std::nullopt;
    std::optional<double> accuracy =
        o ? o->getNumber(accuracyKey) : std::nullopt;
    if (!epoch || !accuracy)
      return fileError(where, "expected an object with \"epoch\" and \"" +
                                  accuracyKey + "\"");
    EpochRecord e;
    e.epoch = *epoch;
    e.accuracy = 100 * *accuracy;
    e.loss = o->getNumber("loss"); // null when every batch was skipped
    e.lambda = o->getNumber("lambda").value_or(0);
    e.poolLambda = o->getNumber("pool_lambda").value_or(0);
    if (const llvm::json::Object *coeffs = o->getObject("coefficients")) {
      for (const auto &[key, list] : *coeffs) {
        std::vector<double> values;
        if (const llvm::json::Array *a = list.getAsArray())
          for (const llvm::json::Value &v : *a)
            if (std::optional<double> d = v.getAsNumber())
              values.push_back(*d);
        e.coefficients.emplace_back(layerOfCoefficients(key.str()),
                                    std::move(values));
      }
      // JSON objects keep no order; the layers' names give a stable one.
      llvm::sort(e.coefficients);
    }
    epochs.push_back(std::move(e));
  }
  return epochs;
}

// The split a folder evaluated on: its metrics name it in their keys.
std::string splitOf(const std::string &metricsPath) {
  llvm::Expected<std::string> text = readText(metricsPath);
  if (!text) {
    llvm::consumeError(text.takeError());
    return "test";
  }
  return llvm::StringRef(*text).contains("\"validation_accuracy\"")
             ? "validation"
             : "test";
}

llvm::Expected<std::vector<DepthStep>>
readCriticalPath(const std::string &path, std::optional<int64_t> &total) {
  llvm::Expected<llvm::json::Value> value = readJson(path);
  if (!value)
    return value.takeError();
  const llvm::json::Object *o = value->getAsObject();
  const llvm::json::Array *steps = o ? o->getArray("critical_path") : nullptr;
  if (!steps)
    return fileError(path, "expected a depth report with \"critical_path\"");
  std::vector<DepthStep> out;
  // A network that is not polynomial-only has no finite depth.
  const llvm::json::Array *nonPoly = o->getArray("non_polynomial");
  if (nonPoly && !nonPoly->empty())
    return out;
  total = o->getInteger("total_depth");
  for (const llvm::json::Value &v : *steps) {
    const llvm::json::Object *s = v.getAsObject();
    std::optional<llvm::StringRef> name =
        s ? s->getString("name") : std::nullopt;
    std::optional<llvm::StringRef> op = s ? s->getString("op") : std::nullopt;
    std::optional<int64_t> cost = s ? s->getInteger("cost") : std::nullopt;
    std::optional<int64_t> level =
        s ? s->getInteger("out_level") : std::nullopt;
    if (!op || !cost || !level)
      return fileError(path, "expected critical_path entries with \"op\", "
                             "\"cost\" and \"out_level\"");
    out.push_back({name ? name->str() : op->str(), op->str(), *cost, *level});
  }
  return out;
}

// The activations of model.mlirbc; their coefficients as trained come from
// the last epoch of `last` when it has them.
llvm::Expected<std::vector<ActivationRecord>>
readActivations(const std::string &path, const EpochRecord *last,
                mlir::MLIRContext &context) {
  he::frontend::DiagnosticCollector diagnostics(&context);
  // Bytecode without a matching sidecar is parsed in process only once a
  // contained parse did (lib/Frontend/BytecodeGuard.h).
  if (std::optional<std::string> problem =
          he::frontend::networkFileProblem(path))
    return fileError(path, *problem);
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buffer)
    return fileError(path, buffer.getError().message());
  if (std::optional<std::string> problem = he::frontend::bytecodeProblem(
          path, (*buffer)->getBuffer(), context.getDialectRegistry()))
    return fileError(path, *problem);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module)
    return fileError(path, diagnostics.message("expected an he module"));
  auto func = module->lookupSymbol<mlir::func::FuncOp>("forward");
  if (!func)
    return fileError(path, "expected a func.func @forward");
  std::vector<ActivationRecord> out;
  for (mlir::Operation &op : func.getBody().front()) {
    auto poly = llvm::dyn_cast<he::PolyActOp>(op);
    if (!poly && !llvm::isa<he::ReluOp>(op))
      continue;
    ActivationRecord a;
    auto name = op.getAttrOfType<mlir::StringAttr>("name");
    a.layer = name ? name.str() : "activation " + std::to_string(out.size());
    mlir::FailureOr<std::optional<he::ValueRange>> range =
        he::readRange(&op, he::kInputRangeAttr);
    if (mlir::failed(range))
      return fileError(path, diagnostics.text());
    // A ReLU's input is its operand's result, calibrated as he.range.
    if (!*range)
      if (mlir::Operation *def = op.getOperand(0).getDefiningOp())
        range = he::readRange(def, he::kRangeAttr);
    if (mlir::failed(range))
      return fileError(path, diagnostics.text());
    double scale = 1;
    if (poly) {
      a.polynomial = true;
      a.trainable = poly.getTrainable();
      std::vector<double> stored(poly.getCoeffs().begin(),
                                 poly.getCoeffs().end());
      a.coeffs = stored;
      if (last)
        for (const auto &[layer, values] : last->coefficients)
          if (layer == a.layer && !values.empty())
            a.coeffs = values;
      scale = inputScale(a.coeffs, stored);
    }
    if (*range) {
      double lo = (*range)->min / scale, hi = (*range)->max / scale;
      a.inputRange = std::make_pair(std::min(lo, hi), std::max(lo, hi));
    }
    out.push_back(std::move(a));
  }
  return out;
}

// seed-<n> folders of `dir`, by seed.
std::vector<std::pair<int64_t, std::string>>
seedFolders(const std::string &dir) {
  std::vector<std::pair<int64_t, std::string>> out;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    int64_t seed = 0;
    if (name.consume_front("seed-") && !name.getAsInteger(10, seed) &&
        llvm::sys::fs::exists(it->path() + "/metrics.jsonl"))
      out.emplace_back(seed, it->path());
  }
  llvm::sort(out);
  return out;
}
} // namespace

double hec::inputScale(const std::vector<double> &trained,
                       const std::vector<double> &stored) {
  // trained[k] = t stored[k] s^k for every k: two terms j < k give
  // s^(k-j); the constant (k = 0) gives t alone.
  size_t n = std::min(trained.size(), stored.size());
  std::vector<size_t> terms;
  for (size_t k = 0; k < n; ++k)
    if (trained[k] != 0 && stored[k] != 0)
      terms.push_back(k);
  if (terms.size() < 2)
    return 1;
  size_t j = terms[terms.size() - 2], k = terms.back();
  double ratio = trained[k] * stored[j] / (trained[j] * stored[k]);
  int power = int(k - j);
  // The real root: negative only for an odd power.
  if (ratio < 0 && power % 2 == 0)
    return 1;
  double s = std::copysign(std::pow(std::fabs(ratio), 1.0 / power), ratio);
  return std::isfinite(s) && s != 0 ? s : 1;
}

llvm::Expected<RunFolder> hec::readRunFolder(const std::string &dir) {
  if (!llvm::sys::fs::is_directory(dir))
    return fileError(dir, "expected a run folder (hec EXPERIMENT.toml --out "
                          "DIR writes one)");
  RunFolder folder;
  folder.dir = dir;
  folder.experiment = llvm::sys::path::filename(dir).str();
  folder.split = "";
  std::string results = dir + "/results.json";
  if (llvm::sys::fs::exists(results)) {
    llvm::Expected<llvm::json::Value> value = readJson(results);
    if (!value)
      return value.takeError();
    if (const llvm::json::Object *o = value->getAsObject()) {
      if (std::optional<llvm::StringRef> name = o->getString("experiment"))
        folder.experiment = name->str();
      if (std::optional<llvm::StringRef> split = o->getString("split"))
        folder.split = split->str();
    }
  }

  // The dialects registered, not only loaded: the contained parse of a
  // model.mlirbc without its sidecar gets the same ones.
  mlir::DialectRegistry registry;
  registry.insert<he::HeDialect, mlir::func::FuncDialect>();
  mlir::MLIRContext context(registry);
  context.loadDialect<he::HeDialect, mlir::func::FuncDialect>();
  for (const he::frontend::MethodSpec &spec : he::frontend::methodTable()) {
    std::string methodDir = dir + "/" + spec.name.str();
    std::vector<std::pair<int64_t, std::string>> seeds = seedFolders(methodDir);
    if (seeds.empty())
      continue;
    MethodRecord m;
    m.method = spec.name.str();
    m.distillation = spec.distillation;
    for (const auto &[seed, seedDir] : seeds) {
      if (folder.split.empty())
        folder.split = splitOf(seedDir + "/metrics.jsonl");
      SeedRecord s;
      s.seed = seed;
      auto epochs = readMetrics(seedDir + "/metrics.jsonl", folder.split);
      if (!epochs)
        return epochs.takeError();
      s.epochs = std::move(*epochs);
      std::string model = seedDir + "/model.mlirbc";
      if (llvm::sys::fs::exists(model)) {
        auto activations = readActivations(
            model, s.epochs.empty() ? nullptr : &s.epochs.back(), context);
        if (activations)
          s.activations = std::move(*activations);
        else
          folder.unread.push_back(toString(activations.takeError()));
      }
      std::string depth = seedDir + "/depth.json";
      if (llvm::sys::fs::exists(depth)) {
        auto path = readCriticalPath(depth, s.totalDepth);
        if (path)
          s.criticalPath = std::move(*path);
        else
          folder.unread.push_back(toString(path.takeError()));
      }
      m.seeds.push_back(std::move(s));
    }
    folder.methods.push_back(std::move(m));
  }
  if (folder.methods.empty())
    return fileError(dir, "expected <method>/seed-<n>/metrics.jsonl files "
                          "(a sweep's run folder); found none");
  if (folder.split.empty())
    folder.split = "test";
  return folder;
}
