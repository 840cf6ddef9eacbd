#include "lib/Analysis/CkksParams.h"

#include "llvm/Support/MathExtras.h"

#include <array>
#include <limits>

namespace he {
namespace {
struct Row {
  int64_t n;
  int64_t bits128, bits192, bits256;
};

// HE Standard (HomomorphicEncryption.org, 2018), Table 1: max log2 q for
// ternary secrets at 128, 192 and 256 bits of classical security. N = 65536
// is not in the table, so it is not offered.
constexpr std::array<Row, 6> kTable = {{
    {1024, 27, 19, 14},
    {2048, 54, 37, 29},
    {4096, 109, 75, 58},
    {8192, 218, 152, 118},
    {16384, 438, 305, 237},
    {32768, 881, 611, 476},
}};

std::optional<int64_t> column(const Row &row, int64_t bits) {
  switch (bits) {
  case 128:
    return row.bits128;
  case 192:
    return row.bits192;
  case 256:
    return row.bits256;
  default:
    return std::nullopt;
  }
}
} // namespace

bool isSupportedSecurity(int64_t bits) {
  return bits == 128 || bits == 192 || bits == 256;
}

std::optional<int64_t> maxLogQ(int64_t bits, int64_t n) {
  for (const Row &row : kTable)
    if (row.n == n)
      return column(row, bits);
  return std::nullopt;
}

int64_t largestRingDimension() { return kTable.back().n; }

CkksParams chooseCkksParams(int64_t depth, const CkksOptions &options) {
  CkksParams p;
  p.securityBits = options.securityBits;
  p.scaleBits = options.scaleBits;
  p.firstModBits = options.firstModBits;
  p.specialPrimeBits = options.specialPrimeBits;
  // Checked: depth and bits come from users (pass options, experiments).
  int64_t levels = 0;
  if (llvm::MulOverflow(depth, options.scaleBits, levels) ||
      llvm::AddOverflow(levels, options.firstModBits, p.logQ) ||
      llvm::AddOverflow(p.logQ, options.specialPrimeBits, p.logQ)) {
    p.logQ = std::numeric_limits<int64_t>::max();
    p.message =
        "needs bootstrapping: log_q = " + std::to_string(options.firstModBits) +
        " + " + std::to_string(depth) + " * " +
        std::to_string(options.scaleBits) + " + " +
        std::to_string(options.specialPrimeBits) + " does not fit in int64";
    return p;
  }
  for (const Row &row : kTable) {
    std::optional<int64_t> max = column(row, options.securityBits);
    if (max && p.logQ <= *max) {
      p.fits = true;
      p.ringDimension = row.n;
      p.slots = row.n / 2;
      p.maxLogQ = *max;
      return p;
    }
  }
  std::optional<int64_t> largest =
      maxLogQ(options.securityBits, largestRingDimension());
  p.message = "needs bootstrapping: log_q " + std::to_string(p.logQ) +
              " exceeds " + std::to_string(largest.value_or(0)) +
              ", the largest for " + std::to_string(options.securityBits) +
              "-bit security (N = " + std::to_string(largestRingDimension()) +
              ")";
  return p;
}
} // namespace he
