// The gnuplot scripts of hec plot's figures (Figures.h), one file each:
// EpochFigures.cpp (accuracy and loss per epoch), PolynomialFigure.cpp,
// RangesFigure.cpp, DepthFigure.cpp; FigureStyle.cpp holds what they share.
#ifndef HEC_TOOLS_FIGURESCRIPTS_H
#define HEC_TOOLS_FIGURESCRIPTS_H

#include "tools/hec/Gnuplot.h"
#include "tools/hec/RunFolder.h"

#include <optional>
#include <string>
#include <vector>

namespace hec::figures {
/// Okabe-Ito colours, one per method in the paper's order, the same in
/// every figure (readable by colour-blind readers); a point type each too,
/// for print in grey.
std::string colourOf(const std::string &method);
int pointTypeOf(const std::string &method);
/// "1 seed", "5 seeds".
std::string seedsText(size_t n);
/// The seed count of every method when they agree.
std::optional<size_t> commonSeeds(const RunFolder &run);

/// The evaluated split's accuracy and the training loss per epoch per
/// method: mean line, min-max band over seeds, the transitions shaded and
/// the pool switches dashed. None when no run has a value.
std::optional<gnuplot::Script> accuracyScript(const RunFolder &run);
std::optional<gnuplot::Script> lossScript(const RunFolder &run);

/// The layers with a trainable polynomial, in program order.
std::vector<std::string> polynomialLayers(const RunFolder &run);
/// The layer's learned polynomial of each method against ReLU, x² and
/// 0.00047x² + 0.5x, over the observed input range and over [-2, 2].
gnuplot::Script polynomialScript(const RunFolder &run,
                                 const std::string &layer);

/// Each activation's calibrated input range per method; none when no model
/// is calibrated.
std::optional<gnuplot::Script> rangesScript(const RunFolder &run);

/// Methods whose networks have the same critical path.
struct DepthGroup {
  std::vector<DepthStep> path;
  std::optional<int64_t> total;
  std::vector<std::string> methods;
};
std::vector<DepthGroup> depthGroups(const RunFolder &run);
/// Per op of the path, the levels it consumes and the depth after it.
gnuplot::Script depthScript(const RunFolder &run, const DepthGroup &g);
} // namespace hec::figures

#endif
