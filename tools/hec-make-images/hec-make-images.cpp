// hec-make-images: writes Fashion-MNIST (Debian's dataset-fashion-mnist) as
// the image data sets hec reads, upscaled, in PNG (8- or 16-bit) or JPEG:
//
//   image-folder  OUT/{train,val,test}/<class>/<n>.<ext>
//   covidx-cxr    OUT/{train,val,test}/<n>.<ext> and train.txt, val.txt,
//                 test.txt ("patient_id filename label source")
//   covidx-ct     OUT/2A_images/<n>.<ext> and train_COVIDx_CT-2A.txt ...
//                 ("filename label xmin ymin xmax ymax"); each image sits in
//                 a larger black canvas at its box, as CT slices do
//
// Classes are the Fashion-MNIST labels given by --labels, renamed for the
// COVIDx layouts (normal, pneumonia, COVID-19). Train and val images come
// from the training split, test images from the test split, the first of
// each class in the files' order (repeated when more are asked for than
// the split has): the same arguments write the same files, named
// <split>-<n> with n counting from 0 over the split's classes in order.
#include "runtime/Data.h"
#include "runtime/Error.h"
#include "runtime/data/ImageDecode.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <fstream>
#include <map>

namespace cl = llvm::cl;
namespace fs = std::filesystem;
using namespace he::runtime;

static cl::OptionCategory options("hec-make-images options");
static cl::opt<std::string>
    layout("layout", cl::desc("image-folder, covidx-cxr or covidx-ct"),
           cl::init("image-folder"), cl::cat(options));
static cl::opt<std::string> out("out", cl::desc("folder to write"),
                                cl::Required, cl::cat(options));
static cl::opt<std::string> from("from", cl::desc("Fashion-MNIST IDX folder"),
                                 cl::init("/usr/share/datasets/fashion-mnist"),
                                 cl::cat(options));
static cl::list<int> labels("labels", cl::desc("Fashion-MNIST labels to use"),
                            cl::CommaSeparated, cl::cat(options));
static cl::opt<int> train("train", cl::desc("training images per class"),
                          cl::init(100), cl::cat(options));
static cl::opt<int> val("val", cl::desc("val images per class (0: none)"),
                        cl::init(0), cl::cat(options));
static cl::opt<int> test("test", cl::desc("test images per class"),
                         cl::init(30), cl::cat(options));
static cl::opt<int> size("size", cl::desc("width and height written"),
                         cl::init(28), cl::cat(options));
static cl::opt<std::string>
    format("format", cl::desc("png, png16, jpg, or mixed (jpg and png alike)"),
           cl::init("png"), cl::cat(options));
static cl::opt<int> channels("channels", cl::desc("1 (grey) or 3 (RGB)"),
                             cl::init(1), cl::cat(options));

namespace {
const char *const kCovidxNames[] = {"normal", "pneumonia", "COVID-19"};

struct Writer {
  int count = 0;
  // Writes image `hw` (uint8 [H, W]) upscaled; returns the file name.
  std::string write(const torch::Tensor &hw, const fs::path &dir,
                    const std::string &stem, bool inCanvas = false) {
    torch::Tensor big = resizeImage(hw.unsqueeze(0), size, size).squeeze(0);
    cv::Mat m(size, size, CV_8UC1, big.data_ptr<uint8_t>());
    m = m.clone();
    if (inCanvas)
      m = place(m);
    if (channels == 3) // a tint, so the three channels differ
      cv::merge(std::vector<cv::Mat>{m, m * 0.9, m * 0.8}, m);
    std::string ext =
        format == "jpg" || (format == "mixed" && count % 2) ? ".jpg" : ".png";
    ++count;
    if (format == "png16")
      m.convertTo(m, channels == 3 ? CV_16UC3 : CV_16UC1, 257.0);
    std::string name = stem + ext;
    fs::create_directories(dir);
    if (!cv::imwrite((dir / name).string(), m))
      throw Error("cannot write " + (dir / name).string());
    return name;
  }
  // The CT layout: the image in a canvas a quarter larger, at an offset
  // that varies with the image.
  int64_t x0 = 0, y0 = 0;
  cv::Mat place(const cv::Mat &m) {
    int pad = size / 4;
    x0 = count % (pad + 1);
    y0 = (count * 7) % (pad + 1);
    cv::Mat canvas = cv::Mat::zeros(size + pad, size + pad, CV_8UC1);
    m.copyTo(canvas(cv::Rect(int(x0), int(y0), size, size)));
    return canvas;
  }
};

// For each label, its images from the `skip`-th on, `n` of them, by class;
// when the split has fewer, they repeat (for benchmarks of large sets).
std::vector<std::pair<int, int64_t>> pick(const torch::Tensor &all, int n,
                                          int skip) {
  std::vector<std::pair<int, int64_t>> picked;
  auto acc = all.accessor<int64_t, 1>();
  for (size_t c = 0; c < labels.size(); ++c) {
    std::vector<int64_t> mine;
    for (int64_t i = 0; i < all.size(0); ++i)
      if (acc[i] == labels[c])
        mine.push_back(i);
    if (mine.empty())
      throw Error(fmt::format("no image has label {}", labels[c]));
    for (int k = skip; k < skip + n; ++k)
      picked.push_back({int(c), mine[size_t(k) % mine.size()]});
  }
  return picked;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(options);
  cl::ParseCommandLineOptions(argc, argv,
                              "hec-make-images: Fashion-MNIST as image "
                              "files (image folder or COVIDx layouts)\n");
  if (labels.empty())
    for (int l : {0, 1, 2})
      labels.push_back(l);
  try {
    if (layout != "image-folder" && layout != "covidx-cxr" &&
        layout != "covidx-ct")
      throw Error("--layout must be image-folder, covidx-cxr or covidx-ct");
    if (layout != "image-folder" && labels.size() > 3)
      throw Error("the COVIDx layouts have 3 classes: give at most 3 labels");
    Dataset trainSet = loadFashionMnist(from, /*train=*/true);
    Dataset testSet = loadFashionMnist(from, /*train=*/false);
    torch::Tensor trainImages = trainSet.images.squeeze(1);
    torch::Tensor testImages = testSet.images.squeeze(1);
    const torch::Tensor &trainLabels = trainSet.labels;
    const torch::Tensor &testLabels = testSet.labels;
    fs::path root(out.getValue());
    fs::create_directories(root);
    Writer w;
    struct Part {
      const char *split;
      const torch::Tensor &images, &labelsOf;
      int n, skip;
    } parts[] = {{"train", trainImages, trainLabels, train, 0},
                 {"val", trainImages, trainLabels, val, train},
                 {"test", testImages, testLabels, test, 0}};
    for (const Part &p : parts) {
      if (p.n == 0)
        continue;
      std::string listName = layout == "covidx-ct"
                                 ? fmt::format("{}_COVIDx_CT-2A.txt", p.split)
                                 : fmt::format("{}.txt", p.split);
      std::ofstream list;
      if (layout != "image-folder") {
        list.open(root / listName);
        if (!list)
          throw Error("cannot write " + (root / listName).string());
      }
      int k = 0;
      for (auto [c, i] : pick(p.labelsOf, p.n, p.skip)) {
        std::string stem = fmt::format("{}-{:05}", p.split, k++);
        torch::Tensor image = p.images[i];
        if (layout == "image-folder") {
          w.write(image, root / p.split / fmt::format("class{}", labels[c]),
                  stem);
        } else if (layout == "covidx-cxr") {
          std::string name = w.write(image, root / p.split, stem);
          list << fmt::format("p{} {} {} fmnist\n", i, name, kCovidxNames[c]);
        } else {
          std::string name =
              w.write(image, root / "2A_images", stem, /*inCanvas=*/true);
          list << fmt::format("{} {} {} {} {} {}\n", name, c, w.x0, w.y0,
                              w.x0 + size, w.y0 + size);
        }
      }
    }
    fmt::print("wrote {} images to {}\n", w.count, root.string());
  } catch (const std::exception &e) {
    fmt::print(stderr, "hec-make-images: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
