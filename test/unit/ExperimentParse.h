// The experiment tests' parsing: without checking paths, each diagnostic
// of a file that should parse a test failure, or the diagnostics of one that
// should not.
#ifndef HEC_TEST_UNIT_EXPERIMENTPARSE_H
#define HEC_TEST_UNIT_EXPERIMENTPARSE_H

#include "lib/Frontend/Experiment.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace he::frontend::test {
inline ParseOptions noPaths() {
  ParseOptions options;
  options.checkPaths = false;
  return options;
}

inline Experiment parseOk(const std::string &text) {
  ParseResult result = parseExperimentString(text, "dir/exp.toml", noPaths());
  for (const Diagnostic &d : result.diagnostics)
    ADD_FAILURE() << d.str();
  return result.experiment.value_or(Experiment{});
}

inline std::vector<std::string> errors(const std::string &text,
                                       ParseOptions options = noPaths()) {
  ParseResult result = parseExperimentString(text, "x.toml", options);
  EXPECT_FALSE(result.experiment.has_value());
  std::vector<std::string> out;
  for (const Diagnostic &d : result.diagnostics)
    out.push_back(d.str());
  return out;
}
} // namespace he::frontend::test

#endif
