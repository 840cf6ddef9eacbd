// The experiment reader's TOML side: checks every table against the schema
// (unknown keys, wrong types, where each key is written) and reads typed
// values, collecting diagnostics instead of throwing. Experiment.cpp's
// section readers use it to fill in an Experiment; nothing outside
// lib/Frontend includes this header.
#ifndef HE_FRONTEND_EXPERIMENTREADER_H
#define HE_FRONTEND_EXPERIMENTREADER_H

#include "lib/Frontend/Experiment.h"
#include "lib/Frontend/ExperimentSchema.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

namespace he::frontend {

SourceLoc toLoc(const toml::source_region &region, const std::string &file);

class Reader;
/// Bounds on resources and sizes (ExperimentLimits.cpp), checked once every
/// section is read: each refusal names its bound.
void checkLimits(Reader &r, const Experiment &e);
/// That a model file named by model.name is a regular file when it exists
/// (a directory or a FIFO is refused by name; never opened).
void checkNetworkFiles(Reader &r, const Experiment &e);

/// A list element with its place in the file, so that an error about one
/// element points at it.
template <typename T> struct Item {
  T value;
  SourceLoc loc;
};

class Reader {
public:
  Reader(const toml::table &root, std::string file, Experiment &experiment,
         std::vector<Diagnostic> &diagnostics)
      : root(root), file(std::move(file)), experiment(experiment),
        diagnostics(diagnostics) {}

  /// Rejects unknown keys and values of the wrong type in `table`, and
  /// records where each key is written.
  void checkTable(const toml::table &table, const std::string &prefix);

  // Each read() leaves `out` unchanged and returns false when the key is
  // absent or already reported as ill-typed.
  // The schema has checked the type: T is std::string, int64_t, double or
  // bool as the key's KeyKind says.
  // A number must be finite (TOML allows nan and inf; no key means them).
  template <typename T> bool read(llvm::StringRef path, T &out) {
    if (const toml::node *node = find(path)) {
      T value = *node->value<T>();
      if (!finite(value)) {
        error(path, fmt::format("expected a finite number, found {}", value));
        return false;
      }
      out = std::move(value);
      return true;
    }
    return false;
  }
  template <typename T>
  std::optional<std::vector<Item<T>>> readList(llvm::StringRef path) {
    const toml::node *node = find(path);
    if (!node)
      return std::nullopt;
    std::vector<Item<T>> items;
    bool ok = true;
    for (const toml::node &item : *node->as_array()) {
      items.push_back({*item.value<T>(), toLoc(item.source(), file)});
      if (!finite(items.back().value)) {
        errorAt(items.back().loc, path,
                fmt::format("expected a finite number, found {}",
                            items.back().value));
        ok = false;
      }
    }
    if (!ok)
      return std::nullopt;
    return items;
  }

  bool has(llvm::StringRef path) const {
    return experiment.locations.count(path.str()) && !bad.count(path.str());
  }

  void error(llvm::StringRef key, std::string message) {
    errorAt(experiment.locationOf(key), key, std::move(message));
  }
  void errorAt(SourceLoc loc, llvm::StringRef key, std::string message) {
    diagnostics.push_back({std::move(loc), key.str(), std::move(message)});
  }

  /// Reports `found` unless `ok`: "expected <expected>, found <found>".
  template <typename T>
  bool check(bool ok, llvm::StringRef key, llvm::StringRef expected,
             const T &found) {
    if (!ok)
      error(key, fmt::format("expected {}, found {}", expected.str(), found));
    return ok;
  }

  /// Reads an enumerated string, reporting unknown values with the list of
  /// valid ones and the closest of them.
  template <typename E>
  void readEnum(llvm::StringRef path, E &out,
                std::optional<E> (*parse)(llvm::StringRef),
                llvm::ArrayRef<llvm::StringRef> names) {
    std::string text;
    if (!read(path, text))
      return;
    if (auto value = parse(text)) {
      out = *value;
      return;
    }
    error(path, unknownValue(text, names));
  }

  /// "unknown value "x"; expected one of a, b; did you mean "a"?"
  static std::string unknownValue(llvm::StringRef text,
                                  llvm::ArrayRef<llvm::StringRef> names);

private:
  template <typename T> static bool finite(const T &value) {
    if constexpr (std::is_floating_point_v<T>)
      return std::isfinite(value);
    return true;
  }
  const toml::node *find(llvm::StringRef path);
  void typeError(const std::string &path, const KeySpec &spec,
                 const toml::node &node);

  const toml::table &root;
  std::string file;
  Experiment &experiment;
  std::vector<Diagnostic> &diagnostics;
  /// Keys already reported (unknown or ill-typed): not read again.
  std::set<std::string> bad;
};

/// [model] (TrainingKeys.cpp): the network and its classes, after [data]'s
/// kind.
void readModel(Reader &r, Experiment &e);
/// [training] (TrainingKeys.cpp).
void readTraining(Reader &r, Experiment &e);
/// The [data] section (DataKeys.cpp): read and checked; the model name has
/// been read (the image size defaults to the network's).
void readData(Reader &r, Experiment &e);
/// [slurm] (SlurmKeys.cpp), after [training].
void readSlurm(Reader &r, Experiment &e);
/// That the data set's folder and files exist (ParseOptions::checkPaths).
void checkDataPaths(Reader &r, Experiment &e);
/// The names an enum-valued key takes, in enum order (ExperimentNames.cpp).
llvm::SmallVector<llvm::StringRef> deviceNames();
llvm::SmallVector<llvm::StringRef> poolReplaceNames();
llvm::SmallVector<llvm::StringRef> lrScheduleNames();
llvm::SmallVector<llvm::StringRef> weightInitNames();
} // namespace he::frontend

#endif // HE_FRONTEND_EXPERIMENTREADER_H
