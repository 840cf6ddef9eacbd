// The decode-once cache of a split (FFCV's idea, torchvision's layout): the
// images of a listing, decoded, cropped and resized once into one file of
// uint8 pixels that every method, seed, resume and later experiment on the
// same data maps into memory instead of decoding again.
//
// File: a 4 KiB header (magic, key, sizes, checksum), int64 labels, then the
// pixels [N, C, H, W] at a 4 KiB boundary, then the list of skipped images.
// The key hashes the listing (paths, labels, boxes, each file's size and
// modification time) and the target size: a changed data set gets a new
// file and the stale one is removed. It is written to a temporary file and
// renamed, so a crash never leaves a half-written cache; one whose size,
// header or checksum is off is rebuilt.
#ifndef HE_RUNTIME_DATA_IMAGECACHE_H
#define HE_RUNTIME_DATA_IMAGECACHE_H

#include "runtime/data/ImageDecode.h"
#include "runtime/data/Source.h"

#include <functional>
#include <string>
#include <vector>

namespace he::runtime {
/// One image of a listing.
struct ImageEntry {
  std::string path;
  int64_t label = 0;
  std::optional<CropBox> box;
  /// Where it was listed ("list.txt:12"), for errors; "" for a folder scan.
  std::string origin;
};

/// What a cache is built from: `count` images, each decoded by `decode(i)`
/// into uint8 [C, H, W] (or throwing Error), with its label; `key` names
/// everything the images depend on (hashed with the target size).
struct CacheRecipe {
  std::string name; ///< "train", "test": part of the file name and logs
  std::string key;  ///< listing and file stamps
  int64_t count = 0;
  std::array<int64_t, 3> size{}; ///< stored [C, H, W]
  std::function<torch::Tensor(int64_t)> decode;
  std::function<int64_t(int64_t)> label;
  /// What to name in an error about image i ("list.txt:3: a.png").
  std::function<std::string(int64_t)> describe;
};

/// The cache file of `recipe` in `cacheDir`, reused when valid, else built
/// with options.threads decoding threads. Throws Error naming the first
/// unreadable image (and how many more there are) unless
/// options.skipBadImages, which leaves them out and lists them.
LoadedSplit loadOrBuildCache(const CacheRecipe &recipe,
                             const std::string &cacheDir,
                             const LoadOptions &options, Split split);

/// The recipe of a list of image files: their stamps go into the key.
CacheRecipe imageListRecipe(const std::string &name,
                            const std::vector<ImageEntry> &entries,
                            const std::array<int64_t, 3> &storedSize);

/// LoadOptions::cacheDir, or the default for data at `dataPath`.
std::string cacheDirFor(const std::string &dataPath,
                        const LoadOptions &options);
} // namespace he::runtime

#endif
