// The plotting backend of `hec plot`: gnuplot, run as a subprocess on a
// script hec writes. Each figure is NAME.gp beside NAME.png (pngcairo, to
// look at) and NAME.svg (for papers); `gnuplot NAME.gp` in that folder
// redraws both, so a figure can be restyled by hand. docs/design.md says
// why gnuplot.
#ifndef HEC_TOOLS_GNUPLOT_H
#define HEC_TOOLS_GNUPLOT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace hec::gnuplot {
/// A figure's script: `data` is read once (datablocks), `draw` once per
/// output format (every `set` it relies on, then its plot commands).
struct Script {
  std::string data;
  std::string draw;
  int width = 960, height = 600; ///< pixels of the PNG and the SVG
};

/// Success when gnuplot is on PATH; else an error saying how to install it.
llvm::Error available();

/// Writes `dir`/`name`.gp and runs gnuplot on it, which writes `name`.png
/// and `name`.svg in `dir`. An error names the script and quotes gnuplot's
/// messages (a warning counts: it means a figure that is not what was
/// meant).
llvm::Error draw(const std::string &dir, const std::string &name,
                 const Script &script);

/// `text` as a gnuplot string literal (double quotes, escaped).
std::string quote(llvm::StringRef text);

/// `value` in few digits, the same on every machine ("0.00047", "-2.5").
std::string number(double value);
} // namespace hec::gnuplot

#endif
