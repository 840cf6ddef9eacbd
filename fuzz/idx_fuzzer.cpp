// libFuzzer target: the IDX reader (plain and gzip). Any file must be read
// or refused with an Error naming it, never crash or read out of bounds.
// The input goes through a file because the reader takes paths (gzip
// detection included).
#include "runtime/Idx.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string path =
      "/tmp/hec-idx-fuzz-" + std::to_string(::getpid());
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f)
    __builtin_trap();
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  for (bool images : {true, false}) {
    try {
      torch::Tensor t = images ? he::runtime::readIdxImages(path)
                               : he::runtime::readIdxLabels(path);
      if (t.dim() != (images ? 3 : 1))
        __builtin_trap();
    } catch (const he::runtime::Error &) {
    }
  }
  return 0;
}
