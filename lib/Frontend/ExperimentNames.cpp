// The names of an experiment's enum values (data kinds, devices, pooling,
// learning-rate schedules, initialisations; methods come from the method
// table), and the small accessors of Experiment.h.
#include "lib/Frontend/Experiment.h"
#include "lib/Frontend/ExperimentReader.h"
#include "lib/Frontend/Methods.h"
#include "lib/Schedule/Schedule.h"

#include "llvm/ADT/STLExtras.h"

#include <fmt/format.h>

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
} // namespace

llvm::SmallVector<StringRef> he::frontend::deviceNames() {
  return namesOf(kDevices);
}
llvm::SmallVector<StringRef> he::frontend::poolReplaceNames() {
  return namesOf(kPoolReplace);
}
llvm::SmallVector<StringRef> he::frontend::lrScheduleNames() {
  return namesOf(kLrSchedules);
}
llvm::SmallVector<StringRef> he::frontend::weightInitNames() {
  return namesOf(kWeightInits);
}

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
