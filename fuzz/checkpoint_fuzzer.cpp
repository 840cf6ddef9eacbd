// libFuzzer target: the checkpoint reader. The input is read twice: as a
// whole file (the frame: magic, version, length, checksum) and as the
// payload of a frame with a valid checksum, so that mutations reach the
// entry parser behind the CRC. Anything must decode or throw
// CheckpointError; what decodes must re-encode to a checkpoint that decodes
// to the same bytes.
#include "runtime/Checkpoint.h"

#include <zlib.h>

#include <cstdint>
#include <vector>

using he::runtime::Checkpoint;
using he::runtime::CheckpointError;

namespace {
void decode(const std::vector<uint8_t> &bytes) {
  try {
    Checkpoint ck = Checkpoint::decode(bytes.data(), bytes.size(), "fuzz");
    std::vector<uint8_t> again = ck.encode();
    if (Checkpoint::decode(again.data(), again.size(), "again").encode() !=
        again)
      __builtin_trap();
  } catch (const CheckpointError &) {
  }
}

void put(std::vector<uint8_t> &out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i)
    out.push_back(uint8_t(v >> (8 * i)));
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  decode(std::vector<uint8_t>(data, data + size));

  std::vector<uint8_t> framed = {'H', 'E', 'C', 'C', 'K', 'P', 'T', '\n'};
  put(framed, he::runtime::kCheckpointVersion, 4);
  uLong crc = crc32(crc32(0L, Z_NULL, 0), data, uInt(size));
  put(framed, crc, 4);
  put(framed, size, 8);
  framed.insert(framed.end(), data, data + size);
  decode(framed);
  return 0;
}
