// Decoding one image file into the pixels a data set holds: OpenCV's
// imgcodecs reads JPEG, PNG (8- and 16-bit; grey, grey+alpha, RGB, RGBA) and
// BMP; LibTorch's antialiased bilinear interpolation resizes, as
// torchvision's Resize(antialias=True) does on tensors.
#ifndef HE_RUNTIME_DATA_IMAGEDECODE_H
#define HE_RUNTIME_DATA_IMAGEDECODE_H

#include "runtime/Error.h"

#include <torch/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace he::runtime {
/// A crop in pixels: columns [xmin, xmax), rows [ymin, ymax).
struct CropBox {
  int64_t xmin = 0, ymin = 0, xmax = 0, ymax = 0;
};

/// Decodes `path`, crops it to `box` when given, converts it to `channels`
/// (1: grey by OpenCV's RGB-to-grey weights; 3: grey repeated) and resizes
/// it to height x width. Returns uint8 [channels, height, width]. 16-bit
/// images are scaled to 8 bits (x * 255 / 65535, rounded); alpha is
/// dropped. Throws Error naming the file: missing, empty, truncated, not an
/// image, a box outside the image.
torch::Tensor decodeImage(const std::string &path, int64_t channels,
                          int64_t height, int64_t width,
                          const std::optional<CropBox> &box = std::nullopt);

/// uint8 [C, H, W] with `channels` channels: RGB to grey by OpenCV's
/// weights (0.299, 0.587, 0.114), grey to RGB repeated.
torch::Tensor convertChannels(const torch::Tensor &image, int64_t channels);

/// uint8 [C, h, w] resized to [C, height, width] with antialiasing, rounded
/// to the nearest integer (torchvision's Resize(antialias=True) on a uint8
/// tensor). Returns the image itself when the size already fits.
torch::Tensor resizeImage(const torch::Tensor &image, int64_t height,
                          int64_t width);
} // namespace he::runtime

#endif
