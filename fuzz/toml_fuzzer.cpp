// libFuzzer target: the TOML front end. Any input must give an experiment or
// located diagnostics, never a crash; an experiment that parses must print
// as TOML that parses back to the same experiment.
#include "lib/Frontend/Experiment.h"

#include <cstdint>
#include <cstdio>
#include <string>

using namespace he::frontend;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ParseOptions options;
  options.checkPaths = false; // the file system is not under test
  std::string text(reinterpret_cast<const char *>(data), size);
  ParseResult result = parseExperimentString(text, "fuzz.toml", options);
  if (!result) {
    if (result.diagnostics.empty())
      __builtin_trap(); // refused without saying why
    for (const Diagnostic &d : result.diagnostics)
      (void)d.str();
    return 0;
  }
  std::string printed = printExperiment(*result.experiment);
  ParseResult again = parseExperimentString(printed, "printed.toml", options);
  if (!again || printExperiment(*again.experiment) != printed) {
    std::fprintf(stderr, "round trip failed for:\n%s\n", printed.c_str());
    for (const Diagnostic &d : again.diagnostics)
      std::fprintf(stderr, "%s\n", d.str().c_str());
    __builtin_trap();
  }
  return 0;
}
