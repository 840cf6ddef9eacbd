#include "runtime/Idx.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <memory>

namespace he::runtime {
namespace {
constexpr uint32_t kImagesMagic = 0x00000803, kLabelsMagic = 0x00000801;

uint32_t bigEndian(const uint8_t *p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 |
         uint32_t(p[3]);
}

void putBigEndian(std::vector<uint8_t> &out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(uint8_t(v >> shift));
}

// Checks the header and the data size; returns the dimensions.
std::vector<int64_t> parseHeader(const std::string &path,
                                 const std::vector<uint8_t> &bytes,
                                 uint32_t magic, size_t dims) {
  size_t header = 4 + 4 * dims;
  if (bytes.size() < 4 || bigEndian(bytes.data()) != magic)
    throw Error(fmt::format(
        "{}: wrong magic number {}, expected 0x{:08x} (an IDX{} file)", path,
        bytes.size() < 4 ? std::string("(file shorter than 4 bytes)")
                         : fmt::format("0x{:08x}", bigEndian(bytes.data())),
        magic, dims));
  if (bytes.size() < header)
    throw Error(fmt::format("{}: truncated header: {} bytes, expected {}", path,
                            bytes.size(), header));
  std::vector<int64_t> shape;
  // Dimensions of up to 2^32 - 1 each can multiply past 64 bits: wrapped,
  // the product matched the data size (2^31 x 2^31 x 4 = 2^64 = 0 bytes);
  // and with a zero dimension the others still become strides, which
  // LibTorch cannot hold past 2^62 (found by idx-fuzzer). Tests:
  // DataTest.DimensionsWhoseProductOverflows, ZeroDimensionBesideHugeOnes.
  uint64_t expected = 1, nonZero = 1;
  for (size_t d = 0; d < dims; ++d) {
    shape.push_back(bigEndian(&bytes[4 + 4 * d]));
    uint64_t dim = uint64_t(shape.back());
    if (__builtin_mul_overflow(nonZero, dim ? dim : 1, &nonZero) ||
        nonZero > (uint64_t(1) << 62))
      throw Error(fmt::format("{}: dimensions {} are too large", path,
                              fmt::join(shape, " x ")));
    expected *= dim;
  }
  uint64_t found = bytes.size() - header;
  if (found < expected)
    throw Error(fmt::format("{}: truncated data: expected {} bytes after the "
                            "header, found {}",
                            path, expected, found));
  if (found > expected)
    throw Error(fmt::format("{}: {} trailing bytes after the {} bytes of data",
                            path, found - expected, expected));
  return shape;
}

void writeFile(const std::string &path, const std::vector<uint8_t> &bytes,
               bool gzip) {
  if (gzip) {
    gzFile f = gzopen(path.c_str(), "wb");
    if (!f ||
        gzwrite(f, bytes.data(), unsigned(bytes.size())) != int(bytes.size()) ||
        gzclose(f) != Z_OK)
      throw Error(fmt::format("{}: cannot write", path));
    return;
  }
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  if (!out)
    throw Error(fmt::format("{}: cannot write", path));
}
} // namespace

std::vector<uint8_t> readMaybeGzip(const std::string &path) {
  if (FILE *probe = std::fopen(path.c_str(), "rb"))
    std::fclose(probe);
  else
    throw Error(fmt::format("{}: no such file (or not readable)", path));
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f)
    throw Error(fmt::format("{}: cannot open", path));
  std::unique_ptr<gzFile_s, int (*)(gzFile)> closer(f, gzclose);
  std::vector<uint8_t> bytes;
  uint8_t buffer[1 << 16];
  while (true) {
    int n = gzread(f, buffer, sizeof buffer);
    if (n < 0) {
      int code;
      const char *message = gzerror(f, &code);
      throw Error(fmt::format("{}: corrupt gzip data ({})", path, message));
    }
    if (n == 0)
      break;
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  int code = Z_OK;
  const char *message = gzerror(f, &code);
  if (code != Z_OK)
    throw Error(
        fmt::format("{}: truncated or corrupt gzip data ({})", path, message));
  return bytes;
}

torch::Tensor readIdxImages(const std::string &path) {
  std::vector<uint8_t> bytes = readMaybeGzip(path);
  std::vector<int64_t> shape = parseHeader(path, bytes, kImagesMagic, 3);
  return torch::from_blob(bytes.data() + 16, shape, torch::kUInt8).clone();
}

torch::Tensor readIdxLabels(const std::string &path) {
  std::vector<uint8_t> bytes = readMaybeGzip(path);
  std::vector<int64_t> shape = parseHeader(path, bytes, kLabelsMagic, 1);
  return torch::from_blob(bytes.data() + 8, shape, torch::kUInt8)
      .to(torch::kLong);
}

void writeIdxImages(const std::string &path, const torch::Tensor &images,
                    bool gzip) {
  torch::Tensor t = images.to(torch::kUInt8).contiguous();
  std::vector<uint8_t> bytes;
  putBigEndian(bytes, kImagesMagic);
  for (int d = 0; d < 3; ++d)
    putBigEndian(bytes, uint32_t(t.size(d)));
  bytes.insert(bytes.end(), t.data_ptr<uint8_t>(),
               t.data_ptr<uint8_t>() + t.numel());
  writeFile(path, bytes, gzip);
}

void writeIdxLabels(const std::string &path, const torch::Tensor &labels,
                    bool gzip) {
  torch::Tensor t = labels.to(torch::kUInt8).contiguous();
  std::vector<uint8_t> bytes;
  putBigEndian(bytes, kLabelsMagic);
  putBigEndian(bytes, uint32_t(t.size(0)));
  bytes.insert(bytes.end(), t.data_ptr<uint8_t>(),
               t.data_ptr<uint8_t>() + t.numel());
  writeFile(path, bytes, gzip);
}
} // namespace he::runtime
