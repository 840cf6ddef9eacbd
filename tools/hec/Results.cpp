#include "tools/hec/Results.h"

#include "runtime/Checkpoint.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace hec;

Summary hec::summarize(const std::vector<double> &values) {
  Summary s;
  if (values.empty())
    return s;
  for (double v : values)
    s.mean += v;
  s.mean /= values.size();
  if (values.size() > 1) {
    double sq = 0;
    for (double v : values)
      sq += (v - s.mean) * (v - s.mean);
    s.std = std::sqrt(sq / (values.size() - 1));
  }
  return s;
}

double hec::collapseThreshold(int64_t classes) {
  return 1.5 * 100.0 / double(classes);
}

bool hec::collapsed(const RunRecord &r, int64_t classes) {
  return !r.diverged && !r.failed && classes > 1 &&
         r.accuracy <= collapseThreshold(classes);
}

namespace {
std::vector<const RunRecord *> runsOf(const std::vector<RunRecord> &runs,
                                      const std::string &method) {
  std::vector<const RunRecord *> out;
  for (const RunRecord &r : runs)
    if (r.method == method)
      out.push_back(&r);
  return out;
}

// Diverged and failed runs count as what they are (the accuracy measured
// when they stopped, 0 before any test) and the row's note says how many.
std::vector<double> field(const std::vector<const RunRecord *> &runs,
                          double RunRecord::*member) {
  std::vector<double> out;
  for (const RunRecord *r : runs)
    out.push_back(r->*member);
  return out;
}

// The depth is the network's, the same for every seed that finished.
std::optional<int64_t> depthOf(const std::vector<const RunRecord *> &runs) {
  for (const RunRecord *r : runs)
    if (r->depth)
      return r->depth;
  return std::nullopt;
}

llvm::json::Object summaryJson(const std::vector<double> &values) {
  Summary s = summarize(values);
  llvm::json::Array perSeed;
  for (double v : values)
    perSeed.push_back(v);
  return llvm::json::Object{
      {"mean", s.mean}, {"std", s.std}, {"per_seed", std::move(perSeed)}};
}

llvm::json::Object metricJson(const std::vector<const RunRecord *> &runs,
                              double RunRecord::*member) {
  return summaryJson(field(runs, member));
}

// Accuracy minus the baseline's of the same seed, for the seeds where both
// finished: the paired difference varies less than the two means do, since
// a seed that is easy for one is usually easy for the other. None for the
// baseline itself.
std::vector<double> gapsToBaseline(const std::vector<const RunRecord *> &mine,
                                   const std::vector<RunRecord> &runs) {
  std::vector<double> gaps;
  if (!mine.empty() && mine.front()->method == "baseline")
    return gaps;
  for (const RunRecord *r : mine)
    for (const RunRecord &b : runs)
      if (b.method == "baseline" && b.seed == r->seed && !b.failed &&
          !b.diverged && !r->failed)
        gaps.push_back(r->accuracy - b.accuracy);
  return gaps;
}
} // namespace

std::string hec::resultsTable(const std::vector<std::string> &methodOrder,
                              const std::vector<RunRecord> &runs,
                              int64_t classes) {
  std::string out;
  llvm::raw_string_ostream os(out);
  os << "| method | accuracy (%) | vs. baseline (points) | macro-F1 (%) | "
        "depth | images/s | seeds | note |\n"
        "|---|---|---|---|---|---|---|---|\n";
  for (const std::string &method : methodOrder) {
    auto mine = runsOf(runs, method);
    if (mine.empty())
      continue;
    Summary acc = summarize(field(mine, &RunRecord::accuracy));
    Summary f1 = summarize(field(mine, &RunRecord::macroF1));
    Summary speed = summarize(field(mine, &RunRecord::imagesPerSecond));
    std::optional<int64_t> d = depthOf(mine);
    std::string depth = d ? std::to_string(*d) : "—";
    std::string gap = "—";
    if (std::vector<double> g = gapsToBaseline(mine, runs); !g.empty()) {
      Summary s = summarize(g);
      gap = llvm::formatv("{0}{1:f2} ± {2:f2}", s.mean >= 0 ? "+" : "", s.mean,
                          s.std);
    }
    int diverged = 0, failed = 0, collapsedRuns = 0;
    for (const RunRecord *r : mine) {
      diverged += r->diverged;
      failed += r->failed;
      collapsedRuns += collapsed(*r, classes);
    }
    std::string note;
    auto add = [&](int count, llvm::StringRef what) {
      if (count)
        note += llvm::formatv("{0}{1} of {2} {3}", note.empty() ? "" : "; ",
                              count, mine.size(), what);
    };
    add(diverged, "diverged");
    add(failed, "failed");
    add(collapsedRuns,
        llvm::formatv("collapsed (accuracy <= {0:f1}%, 1.5x chance)",
                      collapseThreshold(classes))
            .str());
    os << llvm::formatv("| {0} | {1:f2} ± {2:f2} | {3} | {4:f2} ± {5:f2} | "
                        "{6} | {7:f0} | {8} | {9} |\n",
                        method, acc.mean, acc.std, gap, f1.mean, f1.std, depth,
                        speed.mean, mine.size(), note);
  }
  return out;
}

std::string hec::replaceFiguresSection(llvm::StringRef markdown,
                                       llvm::StringRef section) {
  size_t at = markdown.find("\n## Figures\n");
  std::string out = markdown.substr(0, at).rtrim('\n').str() + "\n";
  if (!section.empty())
    out += "\n" + section.str();
  return out;
}

llvm::Error hec::writeFileAtomically(const std::string &path,
                                     llvm::StringRef contents) {
  // Write, fsync, rename; on any failure the temporary file is removed and
  // `path` keeps what it had.
  try {
    he::runtime::writeFileAtomic(path, contents.data(), contents.size());
  } catch (const he::runtime::Error &e) {
    return llvm::createStringError(std::errc::io_error, "%s", e.what());
  }
  return llvm::Error::success();
}

llvm::Error hec::writeResults(const std::string &folder,
                              const std::string &experiment,
                              const std::vector<std::string> &methodOrder,
                              const std::vector<RunRecord> &runs,
                              int64_t classes, const std::string &split,
                              const std::vector<std::string> &classNames) {
  llvm::json::Object methods;
  for (const std::string &method : methodOrder) {
    auto mine = runsOf(runs, method);
    if (mine.empty())
      continue;
    llvm::json::Array seeds, diverged, failed, collapsedSeeds;
    for (const RunRecord *r : mine) {
      seeds.push_back(r->seed);
      if (collapsed(*r, classes))
        collapsedSeeds.push_back(r->seed);
      if (r->diverged || r->failed)
        (r->diverged ? diverged : failed)
            .push_back(
                llvm::json::Object{{"seed", r->seed}, {"message", r->message}});
    }
    llvm::json::Value depth = nullptr;
    if (std::optional<int64_t> d = depthOf(mine))
      depth = *d;
    llvm::json::Value gap = nullptr;
    if (std::vector<double> g = gapsToBaseline(mine, runs); !g.empty())
      gap = summaryJson(g);
    methods[method] = llvm::json::Object{
        {"accuracy", metricJson(mine, &RunRecord::accuracy)},
        {"vs_baseline", std::move(gap)},
        {"macro_f1", metricJson(mine, &RunRecord::macroF1)},
        {"eval_accuracy", metricJson(mine, &RunRecord::evalAccuracy)},
        {"images_per_s", metricJson(mine, &RunRecord::imagesPerSecond)},
        {"depth", std::move(depth)},
        {"seeds", std::move(seeds)},
        {"diverged", std::move(diverged)},
        {"failed", std::move(failed)},
        {"collapsed", std::move(collapsedSeeds)}};
  }
  llvm::json::Object root{{"experiment", experiment},
                          {"split", split},
                          {"methods", std::move(methods)}};
  if (!classNames.empty())
    root["classes"] = llvm::json::Array(classNames);
  std::string json;
  llvm::raw_string_ostream js(json);
  js << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";

  std::string md = "# " + experiment +
                   "\n\nMean ± sample standard deviation over seeds, on the " +
                   split + " split.\n\n" +
                   resultsTable(methodOrder, runs, classes);
  // The figures drawn at the end of an earlier sweep stay linked until the
  // next drawing replaces them.
  if (auto old = llvm::MemoryBuffer::getFile(folder + "/results.md")) {
    llvm::StringRef text = (*old)->getBuffer();
    size_t at = text.find("\n## Figures\n");
    if (at != llvm::StringRef::npos)
      md = replaceFiguresSection(md, text.substr(at + 1));
  }
  if (auto err = writeFileAtomically(folder + "/results.json", js.str()))
    return err;
  return writeFileAtomically(folder + "/results.md", md);
}
