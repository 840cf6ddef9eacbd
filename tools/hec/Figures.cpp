#include "tools/hec/Figures.h"
#include "tools/hec/FigureScripts.h"
#include "tools/hec/Results.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <fmt/format.h>

using namespace hec;
using namespace hec::figures;

namespace {
struct Figure {
  std::string name;  ///< file name without extension
  std::string title; ///< the link's text in results.md
};

// results.md's section: each figure inline, with its SVG beside.
std::string figuresMarkdown(const std::vector<Figure> &figures) {
  std::string out =
      "## Figures\n\nDrawn by `hec plot` with gnuplot into `figures/`: each "
      "PNG has an SVG beside it (for papers) and the gnuplot script that "
      "draws both.\n";
  for (const Figure &f : figures)
    out += fmt::format("\n### {0}\n\n![{0}](figures/{1}.png) "
                       "([SVG](figures/{1}.svg))\n",
                       f.title, f.name);
  return out;
}

llvm::Error linkFromResults(const std::string &runDir,
                            const std::vector<Figure> &figures) {
  std::string path = runDir + "/results.md";
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) // no table yet (a sweep stopped before its first run)
    return llvm::Error::success();
  return writeFileAtomically(
      path,
      replaceFiguresSection((*buffer)->getBuffer(),
                            figures.empty() ? "" : figuresMarkdown(figures)));
}

// A layer's name as part of a file name: letters, digits, '.', '-', '_'.
std::string fileSafe(const std::string &name) {
  std::string out;
  for (char c : name)
    out += std::isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_'
               ? c
               : '_';
  return out;
}
} // namespace

llvm::Error hec::writeFigures(const std::string &runDir,
                              std::vector<std::string> *drawn,
                              std::vector<std::string> *notes) {
  llvm::Expected<RunFolder> run = readRunFolder(runDir);
  if (!run)
    return run.takeError();
  if (auto err = gnuplot::available())
    return err;
  std::string dir = runDir + "/figures";
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return llvm::createStringError(ec, "%s: cannot create the folder: %s",
                                   dir.c_str(), ec.message().c_str());

  std::vector<Figure> figures;
  llvm::Error errors = llvm::Error::success();
  for (const std::string &message : run->unread)
    errors = llvm::joinErrors(
        std::move(errors),
        llvm::createStringError(std::errc::invalid_argument,
                                "%s (the figures are drawn without it)",
                                message.c_str()));
  auto draw = [&](const std::string &name, const std::string &title,
                  const gnuplot::Script &script) {
    if (auto err = gnuplot::draw(dir, name, script)) {
      errors = llvm::joinErrors(std::move(errors), std::move(err));
      return;
    }
    figures.push_back({name, title});
    if (drawn)
      drawn->push_back(name);
  };

  if (auto accuracy = accuracyScript(*run))
    draw("accuracy", run->split + " accuracy per epoch", *accuracy);
  if (auto loss = lossScript(*run))
    draw("loss", "training loss per epoch", *loss);
  std::vector<std::string> layers = polynomialLayers(*run);
  for (const std::string &layer : layers)
    draw("poly-" + fileSafe(layer), "the learned polynomial of " + layer,
         polynomialScript(*run, layer));
  if (std::optional<gnuplot::Script> ranges = rangesScript(*run))
    draw("ranges", "each activation's input range", *ranges);
  else if (!layers.empty() && notes)
    notes->push_back("ranges: left out: no model in the folder records its "
                     "activations' calibrated input ranges (models written "
                     "before hec calibrated them; hec calibrate EXPERIMENT "
                     "MODEL OUT writes a calibrated copy)");
  std::vector<DepthGroup> groups = depthGroups(*run);
  for (const DepthGroup &g : groups)
    draw(groups.size() == 1 ? "depth" : "depth-" + g.methods.front(),
         "depth along the critical path (" + llvm::join(g.methods, ", ") + ")",
         depthScript(*run, g));

  if (auto err = linkFromResults(runDir, figures))
    errors = llvm::joinErrors(std::move(errors), std::move(err));
  return errors;
}
