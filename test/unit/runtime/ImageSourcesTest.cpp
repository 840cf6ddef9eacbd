// The file-based data sources (runtime/data/): image folders, COVIDx CXR and
// CT-2A label files, CIFAR-10's binary batches, and the decode-once cache
// they share: what each reads, every kind of bad input refused by name
// (file, label file and line), skip_bad_images, cache reuse and rebuild.
#include "ImageFixture.h"
#include "runtime/Stop.h"
#include "runtime/data/Source.h"

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <filesystem>

namespace he::runtime {
namespace {
namespace fs = std::filesystem;

struct ImageSourcesTest : ImageFixture {
  LoadOptions options(std::array<int64_t, 3> size = {1, 4, 4}) {
    LoadOptions o;
    o.imageSize = size;
    o.cacheDir = path("cache");
    o.threads = 2;
    return o;
  }
  // image-folder: `per` images of 4x4 in each class folder of `split`.
  void folder(const std::string &split, std::vector<std::string> classes,
              int per) {
    for (size_t c = 0; c < classes.size(); ++c)
      for (int i = 0; i < per; ++i)
        image(fmt(split, classes[c], i), ramp(4, 4, int(40 * c + i)));
  }
  static std::string fmt(const std::string &split, const std::string &cls,
                         int i) {
    return "folder/" + split + "/" + cls + "/" + std::to_string(i) + ".png";
  }
  size_t cacheFiles() {
    size_t n = 0;
    for (const auto &e : fs::directory_iterator(path("cache")))
      n += e.path().extension() == ".u8";
    return n;
  }
};

TEST_F(ImageSourcesTest, ImageFolderClassesAreSortedFolderNames) {
  folder("train", {"zebra", "cat", "dog"}, 2);
  folder("test", {"dog", "cat"}, 1);
  text("folder/train/cat/notes.txt", "not an image: ignored");
  auto source = imageFolderSource(path("folder"));
  LoadedSplit train = source->load(Split::Train, options());
  EXPECT_EQ(train.data.classNames,
            (std::vector<std::string>{"cat", "dog", "zebra"}));
  EXPECT_EQ(train.data.numClasses, 3);
  EXPECT_TRUE(torch::equal(train.data.labels,
                           torch::tensor({0, 0, 1, 1, 2, 2}, torch::kLong)));
  // zebra's first image, class index 0 when written: pixel 0 is 0.
  EXPECT_EQ(train.data.images[4][0][0][0].item<int>(), 0);
  EXPECT_EQ(train.data.images[0][0][0][0].item<int>(), 40);
  // The test split takes the training split's class indices.
  LoadedSplit test = source->load(Split::Test, options());
  EXPECT_TRUE(
      torch::equal(test.data.labels, torch::tensor({0, 1}, torch::kLong)));
  EXPECT_FALSE(source->hasSplit(Split::Val));
}

TEST_F(ImageSourcesTest, ImageFolderRefusesEmptyAndUnknownClasses) {
  folder("train", {"a", "b"}, 1);
  fs::create_directories(path("folder/test/b"));
  auto source = imageFolderSource(path("folder"));
  expectMessage(errorOf([&] { source->load(Split::Test, options()); }),
                {path("folder/test/b"), "empty class folder"});
  folder("test", {"c"}, 1);
  fs::remove_all(path("folder/test/b"));
  expectMessage(errorOf([&] { source->load(Split::Test, options()); }),
                {path("folder/test/c"), "not a class of the training split"});
  expectMessage(
      errorOf([&] {
        imageFolderSource(path("nothing"))->load(Split::Train, options());
      }),
      {path("nothing/train"), "no such folder"});
}

TEST_F(ImageSourcesTest, CacheIsReusedAndRebuiltWhenStaleOrCorrupt) {
  folder("train", {"a", "b"}, 2);
  auto source = imageFolderSource(path("folder"));
  LoadedSplit first = source->load(Split::Train, options());
  EXPECT_FALSE(first.cacheReused);
  LoadedSplit again = source->load(Split::Train, options());
  EXPECT_TRUE(again.cacheReused);
  EXPECT_EQ(again.cacheFile, first.cacheFile);
  EXPECT_TRUE(torch::equal(again.data.images, first.data.images));
  // Another size is another cache.
  LoadedSplit bigger = source->load(Split::Train, options({1, 8, 8}));
  EXPECT_FALSE(bigger.cacheReused);
  EXPECT_EQ(cacheFiles(), 2u);
  // A changed image makes the cache stale: rebuilt, the old one removed.
  image(fmt("train", "a", 0), ramp(4, 4, 200));
  fs::last_write_time(path(fmt("train", "a", 0)),
                      fs::file_time_type::clock::now() + std::chrono::hours(1));
  LoadedSplit changed = source->load(Split::Train, options());
  EXPECT_FALSE(changed.cacheReused);
  EXPECT_EQ(changed.data.images[0][0][0][0].item<int>(), 200);
  EXPECT_EQ(cacheFiles(), 2u);
  // A flipped byte in the pixels fails the checksum: rebuilt.
  std::string file = changed.cacheFile;
  changed = LoadedSplit();
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(-3, std::ios::end);
    f.put(char(0x5a));
  }
  LoadedSplit repaired = source->load(Split::Train, options());
  EXPECT_FALSE(repaired.cacheReused);
  EXPECT_EQ(repaired.data.images[0][0][0][0].item<int>(), 200);
  // A truncated cache is rebuilt too.
  repaired = LoadedSplit();
  fs::resize_file(file, 100);
  EXPECT_FALSE(source->load(Split::Train, options()).cacheReused);
}

// A stop request (runtime/Stop.h) while the images are decoded: Interrupted
// names the split, no cache and no temporary file is left, and the cache of
// another size already there is kept; the next load builds the cache.
TEST_F(ImageSourcesTest, AStopWhileDecodingLeavesNoHalfBuiltCache) {
  folder("train", {"a", "b"}, 3);
  auto source = imageFolderSource(path("folder"));
  source->load(Split::Train, options({1, 8, 8}));
  auto files = [&] {
    std::vector<std::string> names;
    for (const auto &e : fs::directory_iterator(path("cache")))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  };
  std::vector<std::string> before = files();
  ASSERT_EQ(before.size(), 1u);
  int polls = 0;
  struct Poll {
    explicit Poll(std::function<bool()> p) { setStopPoll(std::move(p)); }
    ~Poll() { setStopPoll({}); }
  };
  {
    Poll stop([&] {
      ++polls;
      return true;
    });
    try {
      source->load(Split::Train, options());
      ADD_FAILURE() << "the stop request was not seen";
    } catch (const Interrupted &e) {
      expectMessage(e.what(), {"stopped while decoding the train images",
                               "the cache was not written"});
    }
  }
  EXPECT_EQ(polls, 1);
  EXPECT_EQ(files(), before);
  EXPECT_FALSE(source->load(Split::Train, options()).cacheReused);
  EXPECT_EQ(files().size(), 2u);
}

TEST_F(ImageSourcesTest, BadImagesStopTheLoadOrAreSkipped) {
  folder("train", {"a", "b"}, 3);
  text("folder/train/b/1.png", "garbage");
  text("folder/train/a/2.png", "");
  auto source = imageFolderSource(path("folder"));
  std::string message = errorOf([&] { source->load(Split::Train, options()); });
  // The first in order is named, the count of the others given.
  expectMessage(message,
                {path("folder/train/a/2.png"), "empty file",
                 "1 more of the 6 train images", "data.skip_bad_images"});
  EXPECT_FALSE(fs::exists(path("cache")) && cacheFiles() > 0);
  LoadOptions skip = options();
  skip.skipBadImages = true;
  LoadedSplit loaded = source->load(Split::Train, skip);
  EXPECT_EQ(loaded.data.size(), 4);
  ASSERT_EQ(loaded.skipped.size(), 2u);
  expectMessage(loaded.skipped[0], {path("folder/train/a/2.png")});
  expectMessage(loaded.skipped[1],
                {path("folder/train/b/1.png"), "not an image"});
  EXPECT_TRUE(torch::equal(loaded.data.labels,
                           torch::tensor({0, 0, 1, 1}, torch::kLong)));
  // b/2.png (pixel 0 = 40 + 2) follows b/0.png once b/1.png is left out.
  EXPECT_EQ(loaded.data.images[3][0][0][0].item<int>(), 42);
  // The reused cache remembers what was skipped.
  LoadedSplit again = source->load(Split::Train, skip);
  EXPECT_TRUE(again.cacheReused);
  EXPECT_EQ(again.skipped, loaded.skipped);
}

// 513 images keep their labels past the first 4 KiB page, 512 do not: when
// one is skipped the pixels start a page earlier, and every kept image must
// land there in order.
TEST_F(ImageSourcesTest, SkippingMovesThePixelsToTheSmallerLayout) {
  for (int i = 0; i < 513; ++i)
    image("folder/train/" + std::string(i < 300 ? "a" : "b") + "/" +
              std::to_string(1000 + i) + ".png",
          ramp(4, 4, i % 200));
  text("folder/train/a/1007.png", "");
  LoadOptions skip = options();
  skip.skipBadImages = true;
  LoadedSplit loaded =
      imageFolderSource(path("folder"))->load(Split::Train, skip);
  ASSERT_EQ(loaded.data.size(), 512);
  for (int64_t k = 0; k < 512; ++k) {
    int i = int(k < 7 ? k : k + 1); // image 7 was left out
    ASSERT_EQ(loaded.data.images[k][0][0][0].item<int>(), i % 200) << k;
    ASSERT_EQ(loaded.data.images[k][0][3][3].item<int>(), i % 200 + 15) << k;
    ASSERT_EQ(loaded.data.labels[k].item<int64_t>(), i < 300 ? 0 : 1) << k;
  }
}

TEST_F(ImageSourcesTest, CovidxCxrReadsLabelFilesOfEitherRelease) {
  image("cxr/train/x1.png", ramp(4, 4, 1));
  image("cxr/train/x2.jpg", cv::Mat(4, 4, CV_8UC3, cv::Scalar(9, 9, 9)));
  image("cxr/train/x3.png", ramp(4, 4, 3));
  text("cxr/train.txt", "p1 x1.png normal src\n\np2 x2.jpg COVID-19 src\n"
                        "p3 x3.png pneumonia src\n");
  auto source = covidxSource(path("cxr"), {});
  LoadedSplit train = source->load(Split::Train, options({3, 4, 4}));
  EXPECT_EQ(train.data.classNames,
            (std::vector<std::string>{"normal", "pneumonia", "COVID-19"}));
  EXPECT_TRUE(
      torch::equal(train.data.labels, torch::tensor({0, 2, 1}, torch::kLong)));
  // Stored grey, gathered as three equal channels.
  EXPECT_EQ(train.data.images.size(1), 1);
  auto [x, y] = train.data.gather(torch::tensor({0}, torch::kLong));
  EXPECT_EQ(x.sizes(), (std::vector<int64_t>{1, 3, 4, 4}));
  EXPECT_TRUE(torch::equal(x[0][0], x[0][2]));
  // The later releases' two classes.
  text("cxr/two.txt", "p1 x1.png positive src\np3 x3.png negative src\n");
  LoadedSplit two = covidxSource(path("cxr"), {"two.txt", "", ""})
                        ->load(Split::Train, options());
  EXPECT_EQ(two.data.classNames,
            (std::vector<std::string>{"negative", "positive"}));
  EXPECT_TRUE(
      torch::equal(two.data.labels, torch::tensor({1, 0}, torch::kLong)));
}

TEST_F(ImageSourcesTest, CovidxLabelFileErrorsNameFileAndLine) {
  image("cxr/train/x1.png", ramp(4, 4));
  auto load = [&](const std::string &lines) {
    text("cxr/train.txt", lines);
    return errorOf(
        [&] { covidxSource(path("cxr"), {})->load(Split::Train, options()); });
  };
  std::string list = path("cxr/train.txt");
  expectMessage(load("p1 x1.png normal src\np2 x1.png normal\n"),
                {list + ":2", "expected 4 fields", "found 3"});
  expectMessage(load("p1 x1.png flu src\n"),
                {list + ":1", "unknown label 'flu'"});
  expectMessage(load("p1 x1.png normal src\np2 x1.png positive src\n"),
                {list + ":2", "mixes"});
  expectMessage(load("p1 x1.png normal src\np2 gone.png normal src\n"),
                {list + ":2", path("cxr/train/gone.png"), "no such file"});
  expectMessage(errorOf([&] {
                  covidxSource(path("cxr"), {})->load(Split::Test, options());
                }),
                {path("cxr/test.txt"), "no such label file"});
}

TEST_F(ImageSourcesTest, CovidxCtCropsEachSliceToItsBox) {
  fs::create_directories(path("ct/2A_images"));
  image("ct/2A_images/s1.png", ramp(8, 8));
  image("ct/2A_images/s2.png", ramp(8, 8, 100));
  text("ct/train_COVIDx_CT-2A.txt", "s1.png 2 2 4 4 8\ns2.png 0 0 0 4 4\n");
  LoadedSplit train =
      covidxSource(path("ct"), {})->load(Split::Train, options({1, 4, 2}));
  EXPECT_TRUE(
      torch::equal(train.data.labels, torch::tensor({2, 0}, torch::kLong)));
  // s1 columns 2..3, rows 4..7: (4*8+2) = 34, 35, 42, ...
  EXPECT_EQ(train.data.images[0][0][0][0].item<int>(), 34);
  EXPECT_EQ(train.data.images[0][0][3][1].item<int>(), 59);
  std::string list = path("ct/train_COVIDx_CT-2A.txt");
  text("ct/train_COVIDx_CT-2A.txt", "s1.png 2 2 4 6 9\n");
  expectMessage(errorOf([&] {
                  covidxSource(path("ct"), {})->load(Split::Train, options());
                }),
                {list + ":1", path("ct/2A_images/s1.png"), "not inside"});
  text("ct/train_COVIDx_CT-2A.txt", "s1.png 3 2 4 6 8\n");
  expectMessage(errorOf([&] {
                  covidxSource(path("ct"), {})->load(Split::Train, options());
                }),
                {list + ":1", "unknown label '3'"});
  text("ct/train_COVIDx_CT-2A.txt", "s1.png 1 2 4 6\n");
  expectMessage(errorOf([&] {
                  covidxSource(path("ct"), {})->load(Split::Train, options());
                }),
                {list + ":1", "expected 6 fields"});
}

TEST_F(ImageSourcesTest, Cifar10ReadsBatchesAndRefusesWrongSizes) {
  fs::create_directories(path("cifar"));
  std::string record(3073, '\0');
  std::string batch;
  for (int r = 0; r < 10000; ++r) {
    record[0] = char(r % 10);
    record[1] = char(r % 251);
    batch += record;
  }
  text("cifar/test_batch.bin", batch);
  auto source = cifar10Source(path("cifar"));
  LoadedSplit test = source->load(Split::Test, options({3, 32, 32}));
  EXPECT_EQ(test.data.size(), 10000);
  EXPECT_EQ(test.data.labels[13].item<int64_t>(), 3);
  EXPECT_EQ(test.data.images[13][0][0][0].item<int>(), 13);
  EXPECT_EQ(test.data.classNames[3], "cat");
  // Another size goes through the cache.
  LoadedSplit small = source->load(Split::Test, options({1, 8, 8}));
  EXPECT_EQ(small.data.images.sizes(), (std::vector<int64_t>{10000, 1, 8, 8}));
  EXPECT_FALSE(small.cacheFile.empty());
  text("cifar/test_batch.bin", batch.substr(0, batch.size() - 1));
  expectMessage(
      errorOf([&] { source->load(Split::Test, options()); }),
      {path("cifar/test_batch.bin"), "30729999 bytes", "expected 30730000"});
  expectMessage(errorOf([&] { source->load(Split::Train, options()); }),
                {path("cifar/data_batch_1.bin"), "no such file"});
}
} // namespace
} // namespace he::runtime
