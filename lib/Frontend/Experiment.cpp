// Reading an experiment: TOML++ parses the file, the schema rejects unknown
// keys and wrong types, and the section readers (below; [model] and
// [training] in TrainingKeys.cpp, [data] in DataKeys.cpp, [slurm] in
// SlurmKeys.cpp; all with ExperimentReader.h) fill in the defaults and check
// every value and the rules between values.
// Errors are collected, not thrown, so that one run of the parser reports all
// of them.
#include "lib/Frontend/Experiment.h"
#include "lib/Frontend/DataSets.h"
#include "lib/Frontend/ExperimentLimits.h"
#include "lib/Frontend/ExperimentReader.h"
#include "lib/Frontend/ExperimentSchema.h"
#include "lib/Frontend/Methods.h"
#include "lib/Frontend/Zoo.h"

#include "lib/Frontend/NetworkLoader.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cmath>
#include <set>
#include <tuple>

using namespace he::frontend;
using llvm::StringRef;

namespace {

void readMethods(Reader &r, Experiment &e) {
  e.methods.assign(allMethods().begin(), allMethods().end());
  auto methods = r.readList<std::string>("methods");
  if (!methods)
    return;
  r.check(!methods->empty(), "methods", "at least one method", "an empty list");
  e.methods.clear();
  // Each method at most once: a longer list has a repeat (a million entries
  // took seconds, an error each).
  if (!r.check(methods->size() <= methodTable().size(), "methods",
               fmt::format("at most the {} methods, each once",
                           methodTable().size()),
               fmt::format("{} entries", methods->size())))
    return;
  llvm::SmallVector<StringRef> names;
  for (const MethodSpec &spec : methodTable())
    names.push_back(spec.name);
  for (const Item<std::string> &item : *methods) {
    std::optional<Method> method = parseMethod(item.value);
    if (!method)
      r.errorAt(item.loc, "methods", Reader::unknownValue(item.value, names));
    else if (e.hasMethod(*method))
      r.errorAt(item.loc, "methods",
                fmt::format("method \"{}\" is listed twice", item.value));
    else
      e.methods.push_back(*method);
  }
}

// "in epoch N", checked: start + epochs - 1 may pass int64's end.
std::string endText(const TransitionConfig &t) {
  int64_t last = 0;
  if (llvm::AddOverflow(t.startEpoch, t.epochs - 1, last))
    return "beyond epoch 2^63";
  return fmt::format("in epoch {}", last);
}

void readTransition(Reader &r, Experiment &e) {
  TransitionConfig &t = e.transition;
  bool smooth = llvm::any_of(e.methods, usesTransition);
  bool writesStart = r.read("transition.start_epoch", t.startEpoch);
  bool writesEpochs = r.read("transition.epochs", t.epochs);
  r.read("transition.per_batch", t.perBatch);
  // Unused defaults are not errors: an experiment of baseline and square
  // may train for 2 epochs without a [transition] table.
  int64_t epochs = e.training.epochs;
  if (writesStart || smooth)
    r.check(t.startEpoch >= 1 && t.startEpoch < epochs,
            "transition.start_epoch",
            fmt::format("an epoch in [1, {}) (epochs count from 1, and "
                        "training.epochs = {})",
                        epochs, epochs),
            t.startEpoch);
  if (writesEpochs || smooth)
    if (r.check(t.epochs >= 1, "transition.epochs",
                "a transition of at least 1 epoch", t.epochs) &&
        smooth && t.startEpoch >= 1 && t.startEpoch < epochs &&
        t.epochs > epochs - t.startEpoch + 1) // lastEpoch() > epochs, unwrapped
      r.error(writesEpochs ? "transition.epochs" : "training.epochs",
              fmt::format("the transition starting in epoch {} over {} "
                          "epochs ends {}, after the last epoch {}: "
                          "lambda would never reach 1",
                          t.startEpoch, t.epochs, endText(t), epochs));
}

void readPolynomial(Reader &r, Experiment &e) {
  PolynomialConfig &p = e.polynomial;
  if (r.read("polynomial.degree", p.degree))
    r.check(p.degree >= 2 && p.degree <= 8, "polynomial.degree",
            "a degree in [2, 8]", p.degree);
  for (auto [key, value] : {std::pair{"polynomial.scale_a", &p.scaleA},
                            std::pair{"polynomial.scale_b", &p.scaleB}})
    if (r.read(key, *value))
      r.check(*value >= kMinCoeffScale && *value <= kMaxCoeffScale, key,
              fmt::format("a scale in [{:g}, {:g}]", kMinCoeffScale,
                          kMaxCoeffScale),
              *value);
  // The runtime and the IR hold the coefficients in f32: init and the
  // trained init / scale must fit it (1e300 trained the baseline, then
  // tp_st failed in the verifier).
  for (auto [key, value, scale] :
       {std::tuple{"polynomial.init_a", &p.initA, p.scaleA},
        std::tuple{"polynomial.init_b", &p.initB, p.scaleB}})
    if (r.read(key, *value))
      r.check(std::abs(*value) <= FLT_MAX &&
                  std::abs(*value / std::max(scale, kMinCoeffScale)) <= FLT_MAX,
              key,
              "a coefficient that f32 holds, and so does its trained value "
              "(divided by the scale): |value| <= 3.4e38",
              *value);
  // Fitted on an untrained network's small inputs, a = 0.27/sigma comes
  // out large, and training from there diverged (docs/experiments.md).
  if (r.read("polynomial.fit_relu", p.fitRelu) &&
      e.training.init == WeightInit::Scratch && e.transition.startEpoch == 1 &&
      llvm::any_of(e.methods, [&](Method m) { return fitsRelu(e, m); }))
    r.error("polynomial.fit_relu",
            "fitting the polynomials to ReLU needs a trained ReLU network to "
            "fit on: start the transition after epoch 1 "
            "(transition.start_epoch) or start from the baseline "
            "(training.init = \"baseline\")");
  p.coeffLr = e.training.lr;
  if (r.read("polynomial.coeff_lr", p.coeffLr))
    r.check(p.coeffLr > 0 && p.coeffLr <= kMaxLearningRate,
            "polynomial.coeff_lr",
            fmt::format("a learning rate in (0, {:g}]", kMaxLearningRate),
            p.coeffLr);
}

void readDistillation(Reader &r, Experiment &e, const ParseOptions &options) {
  DistillationConfig &d = e.distillation;
  if (r.read("distillation.temperature", d.temperature))
    r.check(d.temperature >= kMinTemperature &&
                d.temperature <= kMaxTemperature,
            "distillation.temperature",
            fmt::format("a temperature in [{:g}, {:g}]", kMinTemperature,
                        kMaxTemperature),
            d.temperature);
  if (r.read("distillation.alpha", d.alpha))
    r.check(d.alpha >= 0 && d.alpha <= 1, "distillation.alpha",
            "a weight in [0, 1]", d.alpha);
  if (r.read("distillation.teacher", d.teacher) && d.teacher != "baseline") {
    StringRef teacher = d.teacher;
    if (!teacher.ends_with(".mlir") && !teacher.ends_with(".mlirbc"))
      r.error("distillation.teacher",
              fmt::format("expected \"baseline\" or a network file ending in "
                          ".mlir or .mlirbc, found \"{}\"",
                          d.teacher));
    else if (options.checkPaths)
      if (std::optional<std::string> problem = networkFileProblem(d.teacher))
        r.error("distillation.teacher", *problem);
  }
}

// The runs that need their seed's baseline (Methods.h) need it listed.
void checkBaselineListed(Reader &r, const Experiment &e) {
  if (e.hasMethod(Method::Baseline))
    return;
  if (llvm::any_of(e.methods,
                   [&](Method m) { return startsFromBaseline(e, m); }))
    r.error("training.init", "\"baseline\" starts the other methods from the "
                             "trained baseline: list \"baseline\" in methods "
                             "too");
  for (Method m : e.methods)
    if (distilsFromBaseline(e, m))
      r.error("methods", fmt::format("{} distils from the trained baseline "
                                     "(distillation.teacher = \"baseline\"): "
                                     "list \"baseline\" in methods too",
                                     toString(m).str()));
}

void readPoolingAndHe(Reader &r, Experiment &e) {
  r.readEnum<PoolReplace>("pooling.replace", e.pooling.replace,
                          parsePoolReplace, poolReplaceNames());
  HeConfig &h = e.he;
  if (r.read("he.security", h.security))
    r.check(h.security == 128 || h.security == 192 || h.security == 256,
            "he.security", "128, 192 or 256 bits", h.security);
  if (r.read("he.scale_bits", h.scaleBits))
    r.check(h.scaleBits >= 20 && h.scaleBits <= 60, "he.scale_bits",
            "bits in [20, 60]", h.scaleBits);
  if (r.read("he.first_mod_bits", h.firstModBits))
    r.check(h.firstModBits >= h.scaleBits && h.firstModBits <= 60,
            "he.first_mod_bits",
            fmt::format("bits in [he.scale_bits = {}, 60]", h.scaleBits),
            h.firstModBits);
  // The special prime must be at least as large as every other prime.
  if (r.read("he.special_prime_bits", h.specialPrimeBits))
    r.check(h.specialPrimeBits >= h.firstModBits && h.specialPrimeBits <= 60,
            "he.special_prime_bits",
            fmt::format("bits in [he.first_mod_bits = {}, 60]", h.firstModBits),
            h.specialPrimeBits);
}

void checkPaths(Reader &r, Experiment &e) {
  checkDataPaths(r, e);
  if (e.model.isFile() && !llvm::sys::fs::exists(e.model.name))
    r.error("model.name", fmt::format("no such file: {}", e.model.name));
}

ParseResult readExperiment(const toml::table &root, StringRef path,
                           const ParseOptions &options) {
  ParseResult result;
  Experiment e;
  e.file = path.str();
  Reader r(root, e.file, e, result.diagnostics);
  r.checkTable(root, "");

  e.name = llvm::sys::path::stem(path).str();
  if (r.read("name", e.name))
    r.check(!e.name.empty() &&
                llvm::all_of(e.name,
                             [](char c) {
                               return std::isalnum((unsigned char)c) ||
                                      c == '-' || c == '_' || c == '.';
                             }),
            "name", "a name of letters, digits, '-', '_' and '.'",
            fmt::format("\"{}\"", e.name));
  e.output = "runs/" + e.name;
  if (r.read("output", e.output))
    r.check(!e.output.empty(), "output", "a folder", "an empty string");

  // The model comes before the data: the image size defaults to the
  // network's; the classes are checked once the data kind is known.
  r.read("model.name", e.model.name);
  readData(r, e);
  readModel(r, e);
  readTraining(r, e);
  readMethods(r, e);
  readTransition(r, e);
  readPolynomial(r, e);
  readDistillation(r, e, options);
  checkBaselineListed(r, e);
  readPoolingAndHe(r, e);
  readSlurm(r, e);
  checkLimits(r, e);
  if (options.checkPaths)
    checkNetworkFiles(r, e);
  if (options.checkPaths)
    checkPaths(r, e);

  // In file order, as a reader fixes them; line 0 (defaults) last.
  std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(),
                   [](const Diagnostic &a, const Diagnostic &b) {
                     auto key = [](const Diagnostic &d) {
                       return std::pair(d.loc.line == 0,
                                        std::pair(d.loc.line, d.loc.column));
                     };
                     return key(a) < key(b);
                   });
  if (result.diagnostics.empty())
    result.experiment = std::move(e);
  return result;
}

ParseResult syntaxError(const toml::parse_error &error, StringRef path) {
  ParseResult result;
  std::string description(error.description());
  result.diagnostics.push_back(
      {toLoc(error.source(), path.str()), "", description});
  return result;
}

} // namespace

namespace {
// TOML++ builds a table per part of a dotted key recursively: a header of
// 50,000 parts overflowed its stack (SIGSEGV). An experiment's keys have
// three parts; a line whose key (before '=' or a header's ']') has more
// than kMaxKeyParts is refused before TOML++ sees the text.
constexpr int kMaxKeyParts = 128;

std::optional<ParseResult> deepKey(StringRef text, StringRef path) {
  int lineNo = 0;
  for (StringRef rest = text; !rest.empty();) {
    auto [line, next] = rest.split('\n');
    rest = next;
    ++lineNo;
    int dots = 0;
    char quote = 0;
    for (char c : line) {
      if (quote) {
        quote = c == quote ? 0 : quote;
        continue;
      }
      if (c == '"' || c == '\'')
        quote = c;
      else if (c == '=' || c == ']' || c == '#')
        break;
      else if (c == '.')
        ++dots;
    }
    if (dots >= kMaxKeyParts) {
      Diagnostic d;
      d.loc.file = path.str();
      d.loc.line = lineNo;
      d.loc.column = 1;
      d.message =
          fmt::format("a key of more than {} dotted parts", kMaxKeyParts);
      ParseResult result;
      result.diagnostics.push_back(std::move(d));
      return result;
    }
  }
  return std::nullopt;
}
} // namespace

ParseResult he::frontend::parseExperimentString(StringRef text, StringRef path,
                                                const ParseOptions &options) {
  if (std::optional<ParseResult> refused = deepKey(text, path))
    return std::move(*refused);
  try {
    toml::table root = toml::parse(std::string_view(text.data(), text.size()),
                                   std::string_view(path.data(), path.size()));
    return readExperiment(root, path, options);
  } catch (const toml::parse_error &error) {
    return syntaxError(error, path);
  }
}

ParseResult he::frontend::parseExperiment(StringRef path,
                                          const ParseOptions &options) {
  auto refuse = [&](const std::string &what) {
    Diagnostic d;
    d.loc.file = path.str();
    d.message = what;
    ParseResult result;
    result.diagnostics.push_back(std::move(d));
    return result;
  };
  // Only a regular file: a directory or /dev/zero once read as an empty
  // experiment (every default: the full Fashion-MNIST sweep), and a FIFO
  // blocked before any stop could be seen.
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status))
    return refuse("cannot read the experiment: " + ec.message());
  if (status.type() == llvm::sys::fs::file_type::directory_file)
    return refuse("is a directory, not an experiment file");
  if (status.type() != llvm::sys::fs::file_type::regular_file)
    return refuse("is not a regular file (a device, FIFO or socket), not an "
                  "experiment file");
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return refuse("cannot read the experiment: " + buffer.getError().message());
  return parseExperimentString((*buffer)->getBuffer(), path, options);
}
