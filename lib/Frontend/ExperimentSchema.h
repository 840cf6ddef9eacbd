// The keys an experiment file may hold and the TOML type of each: the one
// list that the parser checks files against, that suggests a key for a
// misspelt one, and that the documentation test compares docs/ with.
#ifndef HE_FRONTEND_EXPERIMENTSCHEMA_H
#define HE_FRONTEND_EXPERIMENTSCHEMA_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace he::frontend {

enum class KeyKind {
  Table,
  String,
  Integer,
  /// A floating-point number; an integer is accepted too ("lr = 1").
  Number,
  Bool,
  StringList,
  IntegerList,
  NumberList,
};

struct KeySpec {
  llvm::StringRef path;
  KeyKind kind;
};

/// Every key, tables first-seen before their keys.
llvm::ArrayRef<KeySpec> experimentSchema();

/// The spec of the dotted `path`, or nullptr.
const KeySpec *lookupKey(llvm::StringRef path);

/// What a value of `kind` looks like, for "expected ..." ("an integer").
llvm::StringRef describe(KeyKind kind);

/// The closest of `candidates` to `word` when it is close enough to be a
/// likely misspelling.
std::optional<std::string>
closestMatch(llvm::StringRef word, llvm::ArrayRef<llvm::StringRef> candidates);

/// The closest key of table `parent` ("" for the top level) to `key`.
std::optional<std::string> suggestKey(llvm::StringRef parent,
                                      llvm::StringRef key);

} // namespace he::frontend

#endif // HE_FRONTEND_EXPERIMENTSCHEMA_H
