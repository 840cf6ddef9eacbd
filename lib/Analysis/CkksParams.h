// CKKS parameters for a multiplicative depth at a security level, from the
// Homomorphic Encryption Standard (Albrecht et al., HomomorphicEncryption.org,
// 2018), Table 1, ternary secrets, classical security.
#ifndef HE_ANALYSIS_CKKSPARAMS_H
#define HE_ANALYSIS_CKKSPARAMS_H

#include <cstdint>
#include <optional>
#include <string>

namespace he {
struct CkksOptions {
  int64_t securityBits = 128;
  int64_t scaleBits = 40;        ///< one rescaling prime per level
  int64_t firstModBits = 60;     ///< the prime left at the last level
  int64_t specialPrimeBits = 60; ///< the key-switching prime
};

struct CkksParams {
  int64_t securityBits;
  int64_t scaleBits;
  int64_t firstModBits;
  int64_t specialPrimeBits;
  /// firstModBits + depth * scaleBits + specialPrimeBits.
  int64_t logQ;
  bool fits = false;
  /// The smallest ring dimension N whose max log2 Q holds logQ; nullopt
  /// when none in the table does (the network needs bootstrapping).
  std::optional<int64_t> ringDimension;
  std::optional<int64_t> slots;   ///< N / 2
  std::optional<int64_t> maxLogQ; ///< of the chosen N
  std::string message;            ///< why nothing fits; empty when it does
};

/// True for the security levels the table has: 128, 192, 256.
bool isSupportedSecurity(int64_t bits);

/// The HE Standard's max log2 Q for ring dimension `n` at `bits` of
/// security, or nullopt when the table has no such entry.
std::optional<int64_t> maxLogQ(int64_t bits, int64_t n);

/// The largest ring dimension in the table (32768).
int64_t largestRingDimension();

/// Parameters for `depth` levels; `options.securityBits` must be supported.
CkksParams chooseCkksParams(int64_t depth, const CkksOptions &options);
} // namespace he

#endif
