// The driver tests' experiments, written inline: parsed without checking
// paths (no data set is read), every diagnostic a test failure.
#ifndef HEC_TEST_UNIT_HEC_EXPERIMENTTEXT_H
#define HEC_TEST_UNIT_HEC_EXPERIMENTTEXT_H

#include "lib/Frontend/Experiment.h"

#include <gtest/gtest.h>

#include <string>

namespace hec::test {
inline he::frontend::Experiment parseExperimentText(const std::string &text) {
  he::frontend::ParseOptions options;
  options.checkPaths = false;
  he::frontend::ParseResult r =
      he::frontend::parseExperimentString(text, "x.toml", options);
  for (const he::frontend::Diagnostic &d : r.diagnostics)
    ADD_FAILURE() << d.str();
  return r.experiment.value_or(he::frontend::Experiment{});
}
} // namespace hec::test

#endif
