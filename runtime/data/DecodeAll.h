// Decoding a cache's images in parallel (runtime/data/ImageCache.h): every
// image of a recipe into its slot of the pixels being written, the failures
// collected, a stop request honoured.
#ifndef HE_RUNTIME_DATA_DECODEALL_H
#define HE_RUNTIME_DATA_DECODEALL_H

#include "runtime/data/ImageCache.h"

#include <string>
#include <vector>

namespace he::runtime {
/// An image that could not be decoded, and why.
struct DecodeFailure {
  int64_t index;
  std::string message;
};

/// Decodes every image of `recipe` into its slot of `pixels` (imageBytes
/// each) and its label into `labels`, on `threads` threads; returns the
/// failures in index order. Polls for a stop request (runtime/Stop.h)
/// every 250 ms: then the threads finish the image they are on and
/// Interrupted is thrown. Reports progress through options.progress.
std::vector<DecodeFailure> decodeAll(const CacheRecipe &recipe, uint8_t *pixels,
                                     int64_t *labels, uint64_t imageBytes,
                                     int threads, Split split,
                                     const LoadOptions &options);

/// Throws the Error for a cache whose `failures` (not empty) are not to be
/// skipped: the first one by name, how many more.
[[noreturn]] void failOnDecoding(const CacheRecipe &recipe,
                                 const std::vector<DecodeFailure> &failures);
} // namespace he::runtime

#endif
