#include "runtime/Augment.h"

#include "runtime/Data.h"
#include "runtime/Error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>
#include <torch/nn/functional/vision.h>

#include <cmath>

namespace he::runtime {
namespace F = torch::nn::functional;

namespace {
// splitmix64's finaliser: neighbouring (seed, epoch, batch) triples get
// unrelated generator seeds.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Draws live on the CPU generator, so that a device gives the same
// augmentation as the CPU; they are small (a few numbers per sample).
torch::Tensor uniform(at::Generator &gen, int64_t n, double lo, double hi) {
  return at::rand({n, 1, 1, 1}, gen, torch::kFloat) * (hi - lo) + lo;
}

torch::Tensor flipSome(const torch::Tensor &x, at::Generator &gen,
                       int64_t dim) {
  torch::Tensor flip = uniform(gen, x.size(0), 0, 1).lt(0.5).to(x.device());
  return torch::where(flip, x.flip({dim}), x);
}

// Rotates each sample about its centre; what comes in from outside the
// image is `fill` (per channel).
torch::Tensor rotate(const torch::Tensor &x, at::Generator &gen, double degrees,
                     const torch::Tensor &fill) {
  int64_t n = x.size(0);
  double h = double(x.size(2)), w = double(x.size(3));
  torch::Tensor angle =
      uniform(gen, n, -degrees, degrees).view({n}) * (M_PI / 180.0);
  torch::Tensor c = angle.cos(), s = angle.sin(), zero = torch::zeros_like(c);
  // A pixel-space rotation in affine_grid's coordinates, which run over
  // [-1, 1] along both axes whatever the aspect ratio.
  torch::Tensor theta =
      torch::stack({c, -s * (h / w), zero, s * (w / h), c, zero}, 1)
          .view({n, 2, 3})
          .to(x.options());
  torch::Tensor grid =
      F::affine_grid(theta, x.sizes(), /*align_corners=*/false);
  return F::grid_sample(x - fill, grid,
                        F::GridSampleFuncOptions()
                            .mode(torch::kBilinear)
                            .padding_mode(torch::kZeros)
                            .align_corners(false)) +
         fill;
}

torch::Tensor gray(const torch::Tensor &p) {
  if (p.size(1) != 3)
    return p.mean(1, /*keepdim=*/true);
  return 0.299 * p.narrow(1, 0, 1) + 0.587 * p.narrow(1, 1, 1) +
         0.114 * p.narrow(1, 2, 1);
}

// Brightness, contrast, saturation on pixel values p in [0, 1].
torch::Tensor jitter(torch::Tensor p, at::Generator &gen, double j) {
  int64_t n = p.size(0);
  auto factor = [&] {
    return uniform(gen, n, std::max(0.0, 1 - j), 1 + j).to(p.options());
  };
  torch::Tensor brightness = factor(), contrast = factor(),
                saturation = factor();
  p = (p * brightness).clamp(0, 1);
  torch::Tensor m = gray(p).mean({1, 2, 3}, /*keepdim=*/true);
  p = ((p - m) * contrast + m).clamp(0, 1);
  if (p.size(1) == 3) {
    torch::Tensor g = gray(p);
    p = ((p - g) * saturation + g).clamp(0, 1);
  }
  return p;
}
} // namespace

uint64_t augmentSeed(uint64_t runSeed, int64_t epoch, int64_t batch) {
  return mix(mix(mix(runSeed) ^ uint64_t(epoch)) ^ uint64_t(batch));
}

torch::Tensor augmentBatch(const torch::Tensor &images, const AugmentOptions &o,
                           uint64_t seed) {
  if (images.dim() != 4)
    throw Error(fmt::format("augment: expected images [N, C, H, W], got {} "
                            "dimensions",
                            images.dim()));
  torch::Tensor mean = perChannel(o.mean, images, "augment", "mean");
  torch::Tensor std = perChannel(o.std, images, "augment", "std");
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  torch::Tensor x = images;
  if (o.hflip)
    x = flipSome(x, gen, 3);
  if (o.vflip)
    x = flipSome(x, gen, 2);
  if (o.rotation > 0)
    x = rotate(x, gen, o.rotation, -mean / std);
  if (o.colorJitter > 0)
    x = (jitter(x * std + mean, gen, o.colorJitter) - mean) / std;
  return x;
}
} // namespace he::runtime
