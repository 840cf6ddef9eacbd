// Reading an experiment: TOML++ parses the file, the schema rejects unknown
// keys and wrong types, and the section readers below (with ExperimentReader.h)
// fill in the defaults and check every value and the rules between values.
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

const char *const kDataKinds[] = {"fashion-mnist", "image-folder", "covidx",
                                  "cifar10", "synthetic"};
const char *const kDevices[] = {"cpu", "cuda", "auto"};
const char *const kPoolReplace[] = {"hard", "smooth"};
const char *const kLrSchedules[] = {"constant", "cosine"};
const char *const kWeightInits[] = {"scratch", "baseline"};

template <typename E, size_t N>
std::optional<E> lookup(const char *const (&names)[N], StringRef text) {
  for (size_t i = 0; i < N; ++i)
    if (text == names[i])
      return static_cast<E>(i);
  return std::nullopt;
}

template <size_t N>
llvm::SmallVector<StringRef> namesOf(const char *const (&names)[N]) {
  return llvm::SmallVector<StringRef>(std::begin(names), std::end(names));
}

// The class sub-folders of an image folder's train/ (0 when there is none).
int64_t classFolders(const std::string &path) {
  llvm::SmallString<256> train(path);
  llvm::sys::path::append(train, "train");
  std::error_code ec;
  int64_t count = 0;
  for (llvm::sys::fs::directory_iterator it(train, ec), end; !ec && it != end;
       it.increment(ec))
    if (llvm::sys::fs::is_directory(it->path()) &&
        !llvm::sys::path::filename(it->path()).starts_with("."))
      ++count;
  return count;
}

void readModel(Reader &r, Experiment &e) {
  ModelConfig &m = e.model;
  if (r.read("model.name", m.name) && !m.isFile() && !lookupZooModel(m.name)) {
    llvm::SmallVector<StringRef> names;
    for (const ZooModel &model : zooModels())
      names.push_back(model.name);
    r.error("model.name",
            Reader::unknownValue(m.name, names) +
                (closestMatch(m.name, names)
                     ? ""
                     : " or a network file ending in .mlir or .mlirbc"));
  }

  std::optional<int64_t> fixed = datasetClasses(e.data.kind);
  int64_t expected =
      fixed
          ? *fixed
          : (e.data.kind == DataKind::Synthetic ? e.data.synthetic.classes : 0);
  if (r.read("model.classes", m.classes)) {
    if (e.data.kind == DataKind::Covidx)
      r.check(m.classes == 2 || m.classes == 3, "model.classes",
              "3 (normal, pneumonia, COVID-19) or 2 (negative, positive: "
              "the later COVIDx CXR releases)",
              m.classes);
    if (r.check(m.classes >= 2, "model.classes", "at least 2 classes",
                m.classes) &&
        expected)
      r.check(m.classes == expected, "model.classes",
              fmt::format("{} (the classes of data.kind = \"{}\")", expected,
                          toString(e.data.kind).str()),
              m.classes);
  } else if (expected) {
    m.classes = expected;
  } else if (e.data.kind == DataKind::Covidx) {
    m.classes = 3;
  } else if (int64_t folders = classFolders(e.data.path)) {
    m.classes = folders; // checked against the data when it is read
  } else {
    r.errorAt(e.locationOf("data.kind"), "model.classes",
              "data.kind = \"image-folder\" needs "
              "model.classes, the number of class folders (or data.path's "
              "train/ with its class folders)");
  }
}

void readTraining(Reader &r, Experiment &e) {
  TrainingConfig &t = e.training;
  if (r.read("training.optimizer", t.optimizer))
    r.check(t.optimizer == "adam", "training.optimizer",
            "\"adam\" (the paper's optimiser; the only one supported)",
            fmt::format("\"{}\"", t.optimizer));
  if (r.read("training.lr", t.lr))
    r.check(t.lr > 0 && t.lr <= kMaxLearningRate, "training.lr",
            fmt::format("a learning rate in (0, {:g}]", kMaxLearningRate),
            t.lr);
  r.readEnum<LrSchedule>("training.lr_schedule", t.lrSchedule, parseLrSchedule,
                         namesOf(kLrSchedules));
  r.readEnum<WeightInit>("training.init", t.init, parseWeightInit,
                         namesOf(kWeightInits));
  if (auto betas = r.readList<double>("training.betas")) {
    if (r.check(betas->size() == 2, "training.betas",
                "2 numbers [beta1, beta2]",
                fmt::format("{} values", betas->size())))
      for (size_t i = 0; i < 2; ++i) {
        t.betas[i] = (*betas)[i].value;
        if (!(t.betas[i] >= 0 && t.betas[i] < 1))
          r.errorAt(
              (*betas)[i].loc, "training.betas",
              fmt::format("expected a beta in [0, 1), found {}", t.betas[i]));
      }
  }
  if (r.read("training.eps", t.eps))
    r.check(t.eps >= kMinAdamEps && t.eps <= 1, "training.eps",
            fmt::format("a number in [{:g}, 1]", kMinAdamEps), t.eps);
  if (r.read("training.weight_decay", t.weightDecay))
    r.check(t.weightDecay >= 0 && t.weightDecay <= kMaxWeightDecay,
            "training.weight_decay",
            fmt::format("a number in [0, {:g}]", kMaxWeightDecay),
            t.weightDecay);
  if (r.read("training.grad_clip", t.gradClip))
    r.check(t.gradClip >= 0 && t.gradClip <= FLT_MAX, "training.grad_clip",
            "a gradient norm in [0, 3.4e38] (f32; 0: no clipping)", t.gradClip);
  if (r.read("training.batch_size", t.batchSize))
    r.check(t.batchSize >= 1, "training.batch_size", "a batch size >= 1",
            t.batchSize);
  if (r.read("training.epochs", t.epochs))
    r.check(t.epochs >= 1 && t.epochs <= kMaxEpochs, "training.epochs",
            fmt::format("an epoch count in [1, {}]", kMaxEpochs), t.epochs);
  if (auto seeds = r.readList<int64_t>("training.seeds")) {
    r.check(!seeds->empty(), "training.seeds", "at least one seed",
            "an empty list");
    t.seeds.clear();
    // Bounded before the per-seed checks (a million seeds took minutes).
    if (r.check(seeds->size() <= size_t(kMaxSeeds), "training.seeds",
                fmt::format("at most {} seeds (a run each)", kMaxSeeds),
                fmt::format("{} seeds", seeds->size()))) {
      std::set<int64_t> seen;
      for (const Item<int64_t> &seed : *seeds) {
        if (seed.value < 0)
          r.errorAt(seed.loc, "training.seeds",
                    fmt::format("expected a seed >= 0, found {}", seed.value));
        else if (!seen.insert(seed.value).second)
          r.errorAt(seed.loc, "training.seeds",
                    fmt::format("seed {} is listed twice", seed.value));
        t.seeds.push_back(seed.value);
      }
    }
  }
  if (r.read("training.threads", t.threads))
    r.check(t.threads >= 0, "training.threads",
            "a thread count >= 0 (0: all cores)", t.threads);
  r.readEnum<Device>("training.device", t.device, parseDevice,
                     namesOf(kDevices));
  if (r.read("training.activation_bound", t.activationBound))
    r.check(t.activationBound >= 0 && std::isfinite(t.activationBound),
            "training.activation_bound", "a bound >= 0 (0: off)",
            t.activationBound);
  r.read("training.keep_going_on_nan", t.keepGoingOnNan);
  r.read("training.reestimate_bn", t.reestimateBatchNorm);
}

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
                          parsePoolReplace, namesOf(kPoolReplace));
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

std::string Diagnostic::str() const {
  std::string where = loc.file;
  if (loc.line > 0)
    where += fmt::format(":{}:{}", loc.line, loc.column);
  if (key.empty())
    return fmt::format("{}: error: {}", where, message);
  return fmt::format("{}: error: {}: {}", where, key, message);
}

StringRef he::frontend::toString(DataKind kind) {
  return kDataKinds[static_cast<int>(kind)];
}
StringRef he::frontend::toString(Method method) { return specOf(method).name; }
StringRef he::frontend::toString(Device device) {
  return kDevices[static_cast<int>(device)];
}
StringRef he::frontend::toString(PoolReplace replace) {
  return kPoolReplace[static_cast<int>(replace)];
}
StringRef he::frontend::toString(LrSchedule schedule) {
  return kLrSchedules[static_cast<int>(schedule)];
}
StringRef he::frontend::toString(WeightInit init) {
  return kWeightInits[static_cast<int>(init)];
}
std::optional<DataKind> he::frontend::parseDataKind(StringRef text) {
  return lookup<DataKind>(kDataKinds, text);
}
std::optional<Method> he::frontend::parseMethod(StringRef text) {
  for (const MethodSpec &spec : methodTable())
    if (spec.name == text)
      return spec.method;
  return std::nullopt;
}
std::optional<Device> he::frontend::parseDevice(StringRef text) {
  return lookup<Device>(kDevices, text);
}
std::optional<PoolReplace> he::frontend::parsePoolReplace(StringRef text) {
  return lookup<PoolReplace>(kPoolReplace, text);
}
std::optional<LrSchedule> he::frontend::parseLrSchedule(StringRef text) {
  return lookup<LrSchedule>(kLrSchedules, text);
}
std::optional<WeightInit> he::frontend::parseWeightInit(StringRef text) {
  return lookup<WeightInit>(kWeightInits, text);
}

llvm::ArrayRef<Method> he::frontend::allMethods() {
  static const std::vector<Method> methods = [] {
    std::vector<Method> all;
    for (const MethodSpec &spec : methodTable())
      all.push_back(spec.method);
    return all;
  }();
  return methods;
}

bool he::frontend::usesTransition(Method method) {
  return specOf(method).transition;
}

bool ModelConfig::isFile() const {
  StringRef n = name;
  return n.ends_with(".mlir") || n.ends_with(".mlirbc");
}

double TransitionConfig::lambdaAt(int64_t epoch) const {
  return he::lambdaAt(epoch, startEpoch, epochs);
}

bool Experiment::hasMethod(Method method) const {
  return llvm::is_contained(methods, method);
}

SourceLoc Experiment::locationOf(StringRef key) const {
  for (StringRef k = key; !k.empty(); k = k.rsplit('.').first) {
    auto it = locations.find(k.str());
    if (it != locations.end())
      return it->second;
    if (!k.contains('.'))
      break;
  }
  return {file, 0, 0};
}

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
