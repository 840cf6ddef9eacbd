// Data sets: IDX files (plain and gzip) read back what was written, and each
// kind of damage stops with the path and what is wrong; subsets,
// normalisation, the synthetic set and the seeded batch shuffle.
#include "runtime/Data.h"
#include "ErrorMessages.h"
#include "runtime/Idx.h"
#include "runtime/Stop.h"

#include <ATen/CPUGeneratorImpl.h>

#include <torch/torch.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace he::runtime {
namespace {
namespace fs = std::filesystem;

struct DataTest : ::testing::Test {
  DataTest() {
    dir = fs::temp_directory_path() /
          ("he-data-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
    images = torch::randint(0, 256, {5, 3, 4}, torch::kLong);
    labels = torch::tensor({0, 3, 9, 1, 3}, torch::kLong);
  }
  ~DataTest() override { fs::remove_all(dir); }
  std::string path(const std::string &name) { return (dir / name).string(); }

  std::vector<char> bytes(const std::string &name) {
    std::ifstream in(path(name), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  void write(const std::string &name, const std::vector<char> &data) {
    std::ofstream out(path(name), std::ios::binary);
    out.write(data.data(), data.size());
  }

  fs::path dir;
  torch::Tensor images, labels;
};

TEST_F(DataTest, PlainAndGzipFilesReadBack) {
  for (bool gz : {false, true}) {
    std::string suffix = gz ? ".gz" : "";
    writeIdxImages(path("img" + suffix), images, gz);
    writeIdxLabels(path("lab" + suffix), labels, gz);
    EXPECT_TRUE(torch::equal(readIdxImages(path("img" + suffix)),
                             images.to(torch::kUInt8)));
    EXPECT_TRUE(torch::equal(readIdxLabels(path("lab" + suffix)), labels));
    Dataset d = loadIdxDataset(path("img" + suffix), path("lab" + suffix), 10);
    EXPECT_EQ(d.images.sizes(), (std::vector<int64_t>{5, 1, 3, 4}));
    // Held as the pixels; gathered batches are x / 255.
    EXPECT_EQ(d.images.scalar_type(), torch::kUInt8);
    EXPECT_TRUE(torch::equal(d.images[2][0], images[2].to(torch::kUInt8)));
    EXPECT_TRUE(torch::allclose(d.floatImages()[2][0],
                                images[2].to(torch::kFloat) / 255));
    EXPECT_EQ(d.numClasses, 10);
  }
  // Fashion-MNIST's names in a folder, one plain and one compressed.
  writeIdxImages(path("t10k-images-idx3-ubyte"), images, false);
  writeIdxLabels(path("t10k-labels-idx1-ubyte.gz"), labels, true);
  EXPECT_EQ(loadFashionMnist(dir.string(), /*train=*/false).size(), 5);
  expectMessage(errorOf([&] { loadFashionMnist(dir.string(), true); }),
                {"train-images-idx3-ubyte", "no such file"});
}

TEST_F(DataTest, MissingFile) {
  expectMessage(errorOf([&] { readIdxImages(path("nothing")); }),
                {path("nothing"), "no such file"});
}

TEST_F(DataTest, WrongMagic) {
  writeIdxLabels(path("lab"), labels, false);
  expectMessage(
      errorOf([&] { readIdxImages(path("lab")); }),
      {path("lab"), "wrong magic number 0x00000801", "expected 0x00000803"});
}

TEST_F(DataTest, TruncatedData) {
  writeIdxImages(path("img"), images, false);
  std::vector<char> b = bytes("img");
  b.resize(b.size() - 7);
  write("img", b);
  expectMessage(
      errorOf([&] { readIdxImages(path("img")); }),
      {path("img"), "truncated data", "expected 60 bytes", "found 53"});
  b.resize(10);
  write("img", b);
  expectMessage(errorOf([&] { readIdxImages(path("img")); }),
                {path("img"), "truncated header"});
}

// A header alone whose dimensions 2^31 x 2^31 x 4 multiply to 2^64, which
// wraps to the 0 data bytes present: without the overflow check the reader
// copied 2^64 bytes from a 16-byte buffer.
TEST_F(DataTest, DimensionsWhoseProductOverflows) {
  write("img",
        {0, 0, 8, 3, char(0x80), 0, 0, 0, char(0x80), 0, 0, 0, 0, 0, 0, 4});
  expectMessage(errorOf([&] { readIdxImages(path("img")); }),
                {path("img"), "dimensions 2147483648 x 2147483648 x 4 are too "
                              "large"});
}

// idx-fuzzer's crash: no data and a zero dimension (0 bytes expected, 0
// found), but the other two dimensions' product, a stride, overflowed
// LibTorch's sizes. Its input is also a seed in fuzz/corpus/idx/.
TEST_F(DataTest, ZeroDimensionBesideHugeOnes) {
  write("img", {0, 0, 8, 3, 0, 0, 0, 0, char(0x9c), 0x0f, 0x31, char(0xcf),
                char(0xfc), 0x7f, 0, 0});
  expectMessage(errorOf([&] { readIdxImages(path("img")); }),
                {path("img"), "dimensions 0 x 2618241487 x 4236181504 are too "
                              "large"});
}

TEST_F(DataTest, TruncatedGzip) {
  images = torch::randint(0, 256, {50, 28, 28}, torch::kLong);
  writeIdxImages(path("img.gz"), images, true);
  std::vector<char> b = bytes("img.gz");
  b.resize(b.size() / 2);
  write("img.gz", b);
  expectMessage(errorOf([&] { readIdxImages(path("img.gz")); }),
                {path("img.gz"), "gzip"});
}

TEST_F(DataTest, LabelCountDiffersFromImageCount) {
  writeIdxImages(path("img"), images, false);
  writeIdxLabels(path("lab"), labels.slice(0, 0, 4), false);
  expectMessage(errorOf([&] { loadIdxDataset(path("img"), path("lab"), 10); }),
                {path("lab"), "4 labels for the 5 images"});
}

TEST_F(DataTest, LabelOutOfRange) {
  writeIdxImages(path("img"), images, false);
  writeIdxLabels(path("lab"), labels, false);
  expectMessage(errorOf([&] { loadIdxDataset(path("img"), path("lab"), 5); }),
                {path("lab"), "label 9 at index 2 is outside [0, 5)"});
}

TEST_F(DataTest, SubsetAndNormalise) {
  Dataset d = syntheticDataset(20, 2, 3, 3, 4, 1);
  Dataset s = subset(d, 7);
  EXPECT_EQ(s.size(), 7);
  EXPECT_TRUE(torch::equal(s.labels, d.labels.slice(0, 0, 7)));
  EXPECT_EQ(subset(d, 0).size(), 20);
  Dataset tail = slice(d, 15, 20);
  EXPECT_EQ(tail.size(), 5);
  EXPECT_TRUE(torch::equal(tail.images, d.images.slice(0, 15, 20)));
  EXPECT_TRUE(torch::equal(tail.labels, d.labels.slice(0, 15, 20)));
  EXPECT_EQ(tail.numClasses, d.numClasses);
  auto [mean, std] = channelMeanStd(d);
  ASSERT_EQ(mean.size(), 2u);
  normalise(d, mean, std);
  auto [mean2, std2] = channelMeanStd(d);
  EXPECT_NEAR(mean2[1], 0.0, 1e-5);
  EXPECT_NEAR(std2[1], 1.0, 1e-5);
  expectMessage(errorOf([&] {
                  normalise(d, {0, 0, 0}, {1});
                }),
                {"3 values of mean for 2 channels"});
  expectMessage(errorOf([&] { normalise(d, {0}, {0}); }), {"std must be > 0"});
}

TEST_F(DataTest, SyntheticSetIsAFunctionOfTheSeed) {
  Dataset a = syntheticDataset(30, 1, 8, 8, 3, 42);
  Dataset b = syntheticDataset(30, 1, 8, 8, 3, 42);
  Dataset c = syntheticDataset(30, 1, 8, 8, 3, 43);
  // Another split: other samples of the same classes.
  Dataset test = syntheticDataset(30, 1, 8, 8, 3, 42, 1);
  EXPECT_FALSE(torch::equal(a.labels, test.labels));
  EXPECT_TRUE(torch::equal(a.images, b.images));
  EXPECT_TRUE(torch::equal(a.labels, b.labels));
  EXPECT_FALSE(torch::equal(a.images, c.images));
  EXPECT_EQ(a.labels.max().item<int64_t>(), 2);
}

// syntheticDataset before it drew in chunks: one draw of every pattern, one
// of every sample's noise.
Dataset syntheticInOneCall(int64_t n, int64_t c, int64_t h, int64_t w,
                           int64_t classes, uint64_t seed, uint64_t split) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  torch::Tensor patterns = at::randn({classes, c, h, w}, gen);
  auto sampleGen =
      at::make_generator<at::CPUGeneratorImpl>(seed * 1000003 + split + 1);
  torch::Tensor labels = at::randint(0, classes, {n}, sampleGen);
  Dataset d;
  d.images = patterns.index_select(0, labels) +
             at::randn({n, c, h, w}, sampleGen) * 0.5;
  d.labels = labels;
  return d;
}

// The images are drawn in chunks of about 2^20 values (a stop poll between
// two), and are the very numbers of one draw: the synthetic experiments'
// results do not change. Sizes: one chunk, several with a short last one,
// sizes that are not multiples of 16, more classes than one chunk holds.
TEST_F(DataTest, SyntheticDataIsDrawnAsInOneCall) {
  struct Case {
    int64_t n, c, h, w, classes;
  } cases[] = {{7, 1, 3, 3, 2},      {3000, 1, 28, 28, 10},
               {1339, 3, 17, 19, 5}, {100003, 1, 3, 7, 3},
               {5, 1, 8, 8, 40000},  {0, 1, 4, 4, 3}};
  for (const Case &k : cases) {
    Dataset got = syntheticDataset(k.n, k.c, k.h, k.w, k.classes, 7, 1);
    Dataset want = syntheticInOneCall(k.n, k.c, k.h, k.w, k.classes, 7, 1);
    EXPECT_TRUE(torch::equal(got.labels, want.labels)) << k.n;
    EXPECT_TRUE(torch::equal(got.images, want.images)) << k.n;
  }
}

// 200,000 images of 1x28x28 took 7.2 s to notice a SIGTERM: generation
// polls between chunks.
TEST_F(DataTest, SyntheticGenerationStopsWhenAsked) {
  int polls = 0;
  setStopPoll([&] { return ++polls > 3; });
  try {
    syntheticDataset(200000, 1, 28, 28, 10, 0);
    ADD_FAILURE() << "expected Interrupted";
  } catch (const Interrupted &e) {
    EXPECT_STREQ(e.what(), "stopped while generating synthetic images");
  }
  setStopPoll({});
  EXPECT_EQ(polls, 4);
}

TEST_F(DataTest, SeededShuffleCoversEverySampleOnce) {
  Dataset d = syntheticDataset(10, 1, 2, 2, 10, 0);
  d.labels = torch::arange(10);
  auto order = [&](uint64_t seed, bool shuffle, int passes) {
    BatchIterator it(d, 3, shuffle, seed);
    std::vector<int64_t> seen;
    for (int p = 0; p < passes; ++p) {
      it.reset();
      torch::Tensor x, y;
      while (it.next(x, y))
        for (int64_t i = 0; i < y.size(0); ++i)
          seen.push_back(y[i].item<int64_t>());
    }
    return seen;
  };
  std::vector<int64_t> plain = order(0, false, 1);
  EXPECT_EQ(plain, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  std::vector<int64_t> a = order(5, true, 2), b = order(5, true, 2),
                       c = order(6, true, 2);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  std::vector<int64_t> first(a.begin(), a.begin() + 10);
  EXPECT_NE(first, plain);
  std::sort(first.begin(), first.end());
  EXPECT_EQ(first, plain);
  EXPECT_EQ(BatchIterator(d, 3, true, 0).batchesPerEpoch(), 4);
}
TEST_F(DataTest, BatchesAreConvertedNormalisedAndTransformedAhead) {
  Dataset d;
  d.images =
      torch::randint(0, 256, {10, 1, 2, 2}, torch::kLong).to(torch::kUInt8);
  d.labels = torch::arange(10);
  d.numClasses = 10;
  d.channels = 3; // grey pixels, three-channel batches
  normalise(d, {0.5}, {0.25});
  BatchIterator it(d, 4, /*shuffle=*/false, 0);
  // The transform runs on the prefetching thread with the batch number.
  it.setTransform([](torch::Tensor x, int64_t batch) { return x + batch; });
  torch::Tensor x, y;
  for (int64_t batch = 1; it.next(x, y); ++batch) {
    int64_t from = (batch - 1) * 4, to = std::min<int64_t>(from + 4, 10);
    torch::Tensor want =
        (d.images.slice(0, from, to).to(torch::kFloat) / 255 - 0.5) / 0.25 +
        batch;
    EXPECT_EQ(x.sizes(), (std::vector<int64_t>{to - from, 3, 2, 2}));
    EXPECT_TRUE(torch::allclose(x, want.expand({-1, 3, -1, -1})));
    EXPECT_TRUE(torch::equal(y, torch::arange(from, to)));
  }
  // Normalising checks the statistics against the batches' channels.
  expectMessage(errorOf([&] {
                  normalise(d, {0.5, 0.5}, {1.0, 1.0});
                }),
                {"normalise: 2 values of mean for 3 channels"});
}
} // namespace
} // namespace he::runtime
