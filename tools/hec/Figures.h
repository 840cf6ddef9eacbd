// The figures of a sweep, drawn from its run folder into <run>/figures and
// linked from results.md (docs/experiments.md, "Figures"):
//   accuracy     evaluated accuracy per epoch per method, mean over seeds
//                with the min-max band, the transition and pool switch marked
//   loss         training loss per epoch per method
//   poly-<layer> each polynomial layer's learned polynomial against ReLU, x²
//                and 0.00047x² + 0.5x, over its observed input range and
//                over [-2, 2]
//   ranges       each activation's calibrated input range
//   depth        multiplicative depth along the critical path, op by op
// Each as NAME.png, NAME.svg and the gnuplot script NAME.gp.
#ifndef HEC_TOOLS_FIGURES_H
#define HEC_TOOLS_FIGURES_H

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace hec {
/// Draws the figures of the sweep in `runDir` (`hec plot RUN_DIR`, and the
/// end of a sweep) and links those drawn from its results.md. `drawn`, when
/// given, receives their names; `notes`, why a figure was left out that
/// the folder has no data for (not an error). A figure that cannot be drawn
/// does not stop the others; the error names each one and why.
llvm::Error writeFigures(const std::string &runDir,
                         std::vector<std::string> *drawn = nullptr,
                         std::vector<std::string> *notes = nullptr);
} // namespace hec

#endif
