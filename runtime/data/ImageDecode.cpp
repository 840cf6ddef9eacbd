#include "runtime/data/ImageDecode.h"

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fstream>
#include <iterator>
#include <vector>

namespace he::runtime {
namespace {
std::vector<uint8_t> readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(fmt::format("{}: no such file, or not readable", path));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad())
    throw Error(fmt::format("{}: read error", path));
  if (bytes.empty())
    throw Error(fmt::format("{}: empty file", path));
  return bytes;
}

bool isJpeg(const std::vector<uint8_t> &b) {
  return b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF;
}

// libjpeg decodes a truncated file with a warning and grey rows where the
// data stopped, and OpenCV passes the image on as if whole. A complete JPEG
// ends with the end-of-image marker FF D9 (some writers add a few bytes of
// padding after it); inside the entropy-coded data an FF is always followed
// by 00 or a restart marker, so FF D9 near the end means the file is whole.
bool jpegComplete(const std::vector<uint8_t> &b) {
  size_t from = b.size() > 1024 ? b.size() - 1024 : 0;
  for (size_t i = b.size() - 1; i > from; --i)
    if (b[i - 1] == 0xFF && b[i] == 0xD9)
      return true;
  return false;
}

// OpenCV's decoders give BGR(A) in 8 or 16 bits; the data set holds RGB or
// grey in 8 bits.
cv::Mat toChannels(cv::Mat m, int64_t channels, const std::string &path) {
  if (m.depth() == CV_16U)
    m.convertTo(m, CV_8U, 255.0 / 65535.0);
  else if (m.depth() != CV_8U)
    throw Error(fmt::format("{}: pixels of OpenCV depth {} are not supported "
                            "(8- or 16-bit images only)",
                            path, m.depth()));
  cv::Mat out;
  switch (m.channels()) {
  case 1:
    out = m;
    break;
  case 2: // grey + alpha
    cv::extractChannel(m, out, 0);
    break;
  case 3:
    cv::cvtColor(m, out, cv::COLOR_BGR2RGB);
    break;
  case 4:
    cv::cvtColor(m, out, cv::COLOR_BGRA2RGB);
    break;
  default:
    throw Error(fmt::format("{}: {} channels per pixel are not supported", path,
                            m.channels()));
  }
  if (channels == 1 && out.channels() == 3)
    cv::cvtColor(out, out, cv::COLOR_RGB2GRAY);
  else if (channels == 3 && out.channels() == 1)
    cv::cvtColor(out, out, cv::COLOR_GRAY2RGB);
  return out;
}
} // namespace

torch::Tensor convertChannels(const torch::Tensor &image, int64_t channels) {
  if (image.size(0) == channels)
    return image;
  torch::Tensor hwc = image.permute({1, 2, 0}).contiguous();
  cv::Mat in(int(hwc.size(0)), int(hwc.size(1)), CV_8UC(int(hwc.size(2))),
             hwc.data_ptr<uint8_t>());
  cv::Mat out;
  cv::cvtColor(in, out,
               channels == 1 ? cv::COLOR_RGB2GRAY : cv::COLOR_GRAY2RGB);
  // clone(), not contiguous(): with one channel the permuted view counts
  // as contiguous already and would keep pointing into `out`'s buffer.
  return torch::from_blob(out.data, {out.rows, out.cols, channels},
                          torch::kUInt8)
      .permute({2, 0, 1})
      .clone(at::MemoryFormat::Contiguous);
}

torch::Tensor resizeImage(const torch::Tensor &image, int64_t height,
                          int64_t width) {
  if (image.size(1) == height && image.size(2) == width)
    return image;
  torch::NoGradGuard noGrad;
  torch::Tensor x = image.unsqueeze(0).to(torch::kFloat);
  x = at::_upsample_bilinear2d_aa(x, {height, width}, /*align_corners=*/false);
  return x.round_().clamp_(0, 255).to(torch::kUInt8).squeeze(0).contiguous();
}

torch::Tensor decodeImage(const std::string &path, int64_t channels,
                          int64_t height, int64_t width,
                          const std::optional<CropBox> &box) {
  std::vector<uint8_t> bytes = readFile(path);
  if (isJpeg(bytes) && !jpegComplete(bytes))
    throw Error(
        fmt::format("{}: truncated JPEG (no end-of-image marker)", path));
  cv::Mat m;
  try {
    m = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception &e) {
    throw Error(fmt::format("{}: not a readable image ({})", path, e.what()));
  }
  if (m.empty())
    throw Error(fmt::format("{}: not an image, or a damaged one (OpenCV "
                            "cannot decode it; JPEG, PNG and BMP are read)",
                            path));
  if (box) {
    if (box->xmin < 0 || box->ymin < 0 || box->xmax > m.cols ||
        box->ymax > m.rows || box->xmin >= box->xmax || box->ymin >= box->ymax)
      throw Error(fmt::format("{}: box [{}, {}, {}, {}] (xmin, ymin, xmax, "
                              "ymax) is not inside the image of {}x{} pixels",
                              path, box->xmin, box->ymin, box->xmax, box->ymax,
                              m.cols, m.rows));
    m = m(cv::Rect(int(box->xmin), int(box->ymin), int(box->xmax - box->xmin),
                   int(box->ymax - box->ymin)));
  }
  cv::Mat pixels = toChannels(m, channels, path);
  if (!pixels.isContinuous())
    pixels = pixels.clone();
  // HWC in OpenCV's buffer -> CHW owned by the tensor (a copy: with one
  // channel contiguous() would return a view of the buffer, freed below).
  torch::Tensor hwc = torch::from_blob(
      pixels.data, {pixels.rows, pixels.cols, channels}, torch::kUInt8);
  torch::Tensor chw =
      hwc.permute({2, 0, 1}).clone(at::MemoryFormat::Contiguous);
  return resizeImage(chw, height, width);
}
} // namespace he::runtime
