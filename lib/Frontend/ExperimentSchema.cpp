#include "lib/Frontend/ExperimentSchema.h"
#include "lib/Frontend/Experiment.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

using namespace he::frontend;
using llvm::StringRef;

llvm::ArrayRef<KeySpec> he::frontend::experimentSchema() {
  using K = KeyKind;
  static const KeySpec keys[] = {
      {"name", K::String},
      {"output", K::String},
      {"methods", K::StringList},

      {"data", K::Table},
      {"data.kind", K::String},
      {"data.path", K::String},
      {"data.train_subset", K::Integer},
      {"data.test_subset", K::Integer},
      {"data.validation", K::Integer},
      {"data.image_size", K::IntegerList},
      {"data.train_list", K::String},
      {"data.val_list", K::String},
      {"data.test_list", K::String},
      {"data.skip_bad_images", K::Bool},
      {"data.cache", K::String},
      {"data.eval_split", K::String},
      {"data.normalize", K::Table},
      {"data.normalize.mean", K::NumberList},
      {"data.normalize.std", K::NumberList},
      {"data.augment", K::Table},
      {"data.augment.rotation", K::Number},
      {"data.augment.hflip", K::Bool},
      {"data.augment.vflip", K::Bool},
      {"data.augment.color_jitter", K::Number},
      {"data.synthetic", K::Table},
      {"data.synthetic.classes", K::Integer},
      {"data.synthetic.train_size", K::Integer},
      {"data.synthetic.test_size", K::Integer},

      {"model", K::Table},
      {"model.name", K::String},
      {"model.classes", K::Integer},

      {"training", K::Table},
      {"training.optimizer", K::String},
      {"training.lr", K::Number},
      {"training.lr_schedule", K::String},
      {"training.init", K::String},
      {"training.betas", K::NumberList},
      {"training.eps", K::Number},
      {"training.weight_decay", K::Number},
      {"training.grad_clip", K::Number},
      {"training.batch_size", K::Integer},
      {"training.epochs", K::Integer},
      {"training.seeds", K::IntegerList},
      {"training.threads", K::Integer},
      {"training.device", K::String},
      {"training.activation_bound", K::Number},
      {"training.keep_going_on_nan", K::Bool},
      {"training.reestimate_bn", K::Bool},

      {"transition", K::Table},
      {"transition.start_epoch", K::Integer},
      {"transition.epochs", K::Integer},
      {"transition.per_batch", K::Bool},

      {"polynomial", K::Table},
      {"polynomial.degree", K::Integer},
      {"polynomial.init_a", K::Number},
      {"polynomial.init_b", K::Number},
      {"polynomial.scale_a", K::Number},
      {"polynomial.scale_b", K::Number},
      {"polynomial.coeff_lr", K::Number},
      {"polynomial.fit_relu", K::Bool},

      {"distillation", K::Table},
      {"distillation.temperature", K::Number},
      {"distillation.alpha", K::Number},
      {"distillation.teacher", K::String},

      {"pooling", K::Table},
      {"pooling.replace", K::String},

      {"he", K::Table},
      {"he.security", K::Integer},
      {"he.scale_bits", K::Integer},
      {"he.first_mod_bits", K::Integer},
      {"he.special_prime_bits", K::Integer},

      {"slurm", K::Table},
      {"slurm.partition", K::String},
      {"slurm.cpus_per_task", K::Integer},
      {"slurm.memory", K::String},
      {"slurm.time", K::String},
      {"slurm.gpus", K::Integer},
      {"slurm.signal_seconds", K::Integer},
      {"slurm.sbatch_args", K::StringList},
  };
  return keys;
}

const KeySpec *he::frontend::lookupKey(StringRef path) {
  for (const KeySpec &spec : experimentSchema())
    if (spec.path == path)
      return &spec;
  return nullptr;
}

StringRef he::frontend::describe(KeyKind kind) {
  switch (kind) {
  case KeyKind::Table:
    return "a table";
  case KeyKind::String:
    return "a string";
  case KeyKind::Integer:
    return "an integer";
  case KeyKind::Number:
    return "a number";
  case KeyKind::Bool:
    return "true or false";
  case KeyKind::StringList:
    return "a list of strings";
  case KeyKind::IntegerList:
    return "a list of integers";
  case KeyKind::NumberList:
    return "a list of numbers";
  }
  return "a value";
}

std::optional<std::string>
he::frontend::closestMatch(StringRef word,
                           llvm::ArrayRef<StringRef> candidates) {
  // A third of the word's length (at least 2) tolerates a typo or two
  // without suggesting unrelated words.
  unsigned limit = std::max<unsigned>(2, word.size() / 3);
  std::optional<std::string> best;
  unsigned bestDistance = limit + 1;
  for (StringRef candidate : candidates) {
    unsigned d = word.edit_distance(candidate, /*AllowReplacements=*/true,
                                    /*MaxEditDistance=*/limit + 1);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate.str();
    }
  }
  return best;
}

std::optional<std::string> he::frontend::suggestKey(StringRef parent,
                                                    StringRef key) {
  // Names other tools use for the same settings, too far apart to be found
  // by their spelling.
  static const std::pair<StringRef, StringRef> aliases[] = {
      {"training.learning_rate", "lr"},  {"training.batch", "batch_size"},
      {"training.optim", "optimizer"},   {"distillation.tau", "temperature"},
      {"distillation.T", "temperature"},
  };
  for (auto [alias, known] : aliases)
    if (alias == (llvm::Twine(parent) + "." + key).str())
      return known.str();
  llvm::SmallVector<StringRef> siblings;
  for (const KeySpec &spec : experimentSchema()) {
    StringRef path = spec.path;
    if (!parent.empty() &&
        !(path.consume_front(parent) && path.consume_front(".")))
      continue;
    if (!path.contains('.'))
      siblings.push_back(path);
  }
  return closestMatch(key, siblings);
}

std::vector<std::string> he::frontend::knownKeys() {
  std::vector<std::string> keys;
  for (const KeySpec &spec : experimentSchema())
    keys.push_back(spec.path.str());
  return keys;
}
