// The normalised experiment: every key with its value after defaults, in
// the order of docs/experiments.md, as TOML that parses back to the same
// experiment. hec writes it into the run folder so that a run records
// exactly what it did. Numbers are printed in their shortest exact form.
#include "lib/Frontend/Experiment.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

using namespace he::frontend;

namespace {
std::string quote(llvm::StringRef text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += fmt::format("\\{}", c);
    else if ((unsigned char)c < 0x20 || c == 0x7f)
      out += fmt::format("\\u{:04X}", (unsigned char)c);
    else
      out += c;
  }
  return out + "\"";
}

// A float keeps a decimal point so that it reads back as a float.
std::string number(double value) {
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".eEn") == std::string::npos)
    text += ".0";
  return text;
}

template <typename Range, typename F>
std::string list(const Range &values, F format) {
  std::vector<std::string> items;
  for (const auto &value : values)
    items.push_back(format(value));
  return fmt::format("[{}]", fmt::join(items, ", "));
}

std::string integer(int64_t value) { return std::to_string(value); }
std::string boolean(bool value) { return value ? "true" : "false"; }

struct Writer {
  std::string text;
  void table(const char *name) { text += fmt::format("\n[{}]\n", name); }
  void key(const char *name, const std::string &value) {
    text += fmt::format("{} = {}\n", name, value);
  }
};
} // namespace

std::string he::frontend::printExperiment(const Experiment &e) {
  Writer w;
  w.key("name", quote(e.name));
  w.key("output", quote(e.output));
  w.key("methods",
        list(e.methods, [](Method m) { return quote(toString(m)); }));

  const DataConfig &d = e.data;
  w.table("data");
  w.key("kind", quote(toString(d.kind)));
  if (!d.path.empty())
    w.key("path", quote(d.path));
  w.key("train_subset", integer(d.trainSubset));
  w.key("test_subset", integer(d.testSubset));
  w.key("validation", integer(d.validation));
  w.key("image_size", list(d.imageSize, integer));
  w.key("train_list", quote(d.trainList));
  w.key("val_list", quote(d.valList));
  w.key("test_list", quote(d.testList));
  w.key("cache", quote(d.cache));
  w.key("skip_bad_images", boolean(d.skipBadImages));
  w.key("eval_split", quote(d.evalSplit));
  w.table("data.normalize");
  w.key("mean", list(d.mean, number));
  w.key("std", list(d.std, number));
  w.table("data.augment");
  w.key("rotation", number(d.augment.rotation));
  w.key("hflip", boolean(d.augment.hflip));
  w.key("vflip", boolean(d.augment.vflip));
  w.key("color_jitter", number(d.augment.colorJitter));
  w.table("data.synthetic");
  w.key("classes", integer(d.synthetic.classes));
  w.key("train_size", integer(d.synthetic.trainSize));
  w.key("test_size", integer(d.synthetic.testSize));

  w.table("model");
  w.key("name", quote(e.model.name));
  w.key("classes", integer(e.model.classes));

  const TrainingConfig &t = e.training;
  w.table("training");
  w.key("optimizer", quote(t.optimizer));
  w.key("lr", number(t.lr));
  w.key("lr_schedule", quote(toString(t.lrSchedule)));
  w.key("init", quote(toString(t.init)));
  w.key("betas", list(t.betas, number));
  w.key("eps", number(t.eps));
  w.key("weight_decay", number(t.weightDecay));
  w.key("grad_clip", number(t.gradClip));
  w.key("batch_size", integer(t.batchSize));
  w.key("epochs", integer(t.epochs));
  w.key("seeds", list(t.seeds, integer));
  w.key("threads", integer(t.threads));
  w.key("device", quote(toString(t.device)));
  w.key("activation_bound", number(t.activationBound));
  w.key("keep_going_on_nan", boolean(t.keepGoingOnNan));
  w.key("reestimate_bn", boolean(t.reestimateBatchNorm));

  w.table("transition");
  w.key("start_epoch", integer(e.transition.startEpoch));
  w.key("epochs", integer(e.transition.epochs));
  w.key("per_batch", boolean(e.transition.perBatch));

  const PolynomialConfig &p = e.polynomial;
  w.table("polynomial");
  w.key("degree", integer(p.degree));
  w.key("init_a", number(p.initA));
  w.key("init_b", number(p.initB));
  w.key("scale_a", number(p.scaleA));
  w.key("scale_b", number(p.scaleB));
  w.key("coeff_lr", number(p.coeffLr));
  w.key("fit_relu", boolean(p.fitRelu));

  w.table("distillation");
  w.key("temperature", number(e.distillation.temperature));
  w.key("alpha", number(e.distillation.alpha));
  w.key("teacher", quote(e.distillation.teacher));

  w.table("pooling");
  w.key("replace", quote(toString(e.pooling.replace)));

  w.table("he");
  w.key("security", integer(e.he.security));
  w.key("scale_bits", integer(e.he.scaleBits));
  w.key("first_mod_bits", integer(e.he.firstModBits));
  w.key("special_prime_bits", integer(e.he.specialPrimeBits));

  // Last: a run's fingerprint is the text before it (where it trains does
  // not change its numbers).
  const SlurmConfig &s = e.slurm;
  w.table("slurm");
  w.key("partition", quote(s.partition));
  w.key("cpus_per_task", integer(s.cpusPerTask));
  w.key("memory", quote(s.memory));
  w.key("time", quote(s.timeLimit));
  w.key("gpus", integer(s.gpus));
  w.key("signal_seconds", integer(s.signalSeconds));
  w.key("sbatch_args", list(s.extraArgs, quote));
  return w.text;
}
