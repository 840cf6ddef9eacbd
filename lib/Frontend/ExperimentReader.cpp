// The TOML side of reading an experiment (ExperimentReader.h).
#include "lib/Frontend/ExperimentReader.h"

#include <fmt/ranges.h>

using namespace he::frontend;
using llvm::StringRef;

namespace {
/// "a string ("abc")", "an integer (3)": what the file holds, for
/// "expected ..., found ...".
std::string describeNode(const toml::node &node) {
  if (auto s = node.value_exact<std::string>())
    return fmt::format("a string (\"{}\")", *s);
  if (auto i = node.value_exact<int64_t>())
    return fmt::format("an integer ({})", *i);
  if (auto d = node.value_exact<double>())
    return fmt::format("a number ({})", *d);
  if (auto b = node.value_exact<bool>())
    return fmt::format("a boolean ({})", *b);
  if (node.is_array())
    return "a list";
  if (node.is_table())
    return "a table";
  return "a date or time";
}

bool isNumber(const toml::node &node) {
  return node.is_integer() || node.is_floating_point();
}

bool matchesScalar(KeyKind kind, const toml::node &node) {
  switch (kind) {
  case KeyKind::String:
    return node.is_string();
  case KeyKind::Integer:
    return node.is_integer();
  case KeyKind::Number:
    return isNumber(node);
  case KeyKind::Bool:
    return node.is_boolean();
  default:
    return false;
  }
}

KeyKind elementKind(KeyKind list) {
  switch (list) {
  case KeyKind::StringList:
    return KeyKind::String;
  case KeyKind::IntegerList:
    return KeyKind::Integer;
  default:
    return KeyKind::Number;
  }
}

bool isList(KeyKind kind) {
  return kind == KeyKind::StringList || kind == KeyKind::IntegerList ||
         kind == KeyKind::NumberList;
}

std::string joined(llvm::ArrayRef<StringRef> words) {
  return fmt::format("{}", fmt::join(words.begin(), words.end(), ", "));
}
} // namespace

SourceLoc he::frontend::toLoc(const toml::source_region &region,
                              const std::string &file) {
  return {file, static_cast<int>(region.begin.line),
          static_cast<int>(region.begin.column)};
}

void Reader::checkTable(const toml::table &table, const std::string &prefix) {
  for (auto &&[key, node] : table) {
    std::string path = prefix.empty() ? std::string(key.str())
                                      : prefix + "." + std::string(key.str());
    experiment.locations[path] = toLoc(node.source(), file);
    const KeySpec *spec = lookupKey(path);
    if (!spec) {
      std::string message = fmt::format("unknown key '{}'", key.str());
      if (auto suggestion = suggestKey(prefix, key.str()))
        message += fmt::format("; did you mean '{}'?", *suggestion);
      else if (prefix.empty())
        message += "; expected one of the sections data, model, training, "
                   "transition, polynomial, distillation, pooling, he or "
                   "the keys name, output, methods";
      errorAt(toLoc(key.source(), file), path, message);
      bad.insert(path);
      continue;
    }
    if (spec->kind == KeyKind::Table) {
      if (const toml::table *sub = node.as_table())
        checkTable(*sub, path);
      else
        typeError(path, *spec, node);
      continue;
    }
    if (!isList(spec->kind)) {
      if (!matchesScalar(spec->kind, node))
        typeError(path, *spec, node);
      continue;
    }
    const toml::array *array = node.as_array();
    if (!array) {
      typeError(path, *spec, node);
      continue;
    }
    KeyKind element = elementKind(spec->kind);
    for (const toml::node &item : *array)
      if (!matchesScalar(element, item)) {
        errorAt(toLoc(item.source(), file), path,
                fmt::format("expected {}, found {} in the list",
                            describe(element), describeNode(item)));
        bad.insert(path);
      }
  }
}

std::string Reader::unknownValue(StringRef text,
                                 llvm::ArrayRef<StringRef> names) {
  std::string message = fmt::format("unknown value \"{}\"; expected one of {}",
                                    text.str(), joined(names));
  if (auto suggestion = closestMatch(text, names))
    message += fmt::format("; did you mean \"{}\"?", *suggestion);
  return message;
}

const toml::node *Reader::find(StringRef path) {
  if (bad.count(path.str()))
    return nullptr;
  return root.at_path(std::string_view(path.data(), path.size())).node();
}

void Reader::typeError(const std::string &path, const KeySpec &spec,
                       const toml::node &node) {
  error(path, fmt::format("expected {}, found {}", describe(spec.kind),
                          describeNode(node)));
  bad.insert(path);
}
