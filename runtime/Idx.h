// The IDX format of MNIST and Fashion-MNIST (plain or gzip-compressed).
// Every reader checks the file and throws Error naming the path and what is
// wrong: missing file, wrong magic, truncated data (also a truncated gzip
// stream), trailing bytes.
#ifndef HE_RUNTIME_IDX_H
#define HE_RUNTIME_IDX_H

#include "runtime/Error.h"

#include <torch/types.h>

#include <string>
#include <vector>

namespace he::runtime {
/// The whole file, decompressed when it is gzip (zlib reads plain files
/// unchanged).
std::vector<uint8_t> readMaybeGzip(const std::string &path);

/// An IDX3 image file (magic 0x00000803): uint8 [N, H, W].
torch::Tensor readIdxImages(const std::string &path);

/// An IDX1 label file (magic 0x00000801): int64 [N].
torch::Tensor readIdxLabels(const std::string &path);

/// Writes IDX files (for tests and tools): uint8 [N, H, W] images,
/// integer [N] labels. gzip-compressed when `gzip`.
void writeIdxImages(const std::string &path, const torch::Tensor &images,
                    bool gzip);
void writeIdxLabels(const std::string &path, const torch::Tensor &labels,
                    bool gzip);
} // namespace he::runtime

#endif
