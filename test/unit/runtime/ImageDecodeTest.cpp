// Decoding one image file (runtime/data/ImageDecode.h): each format and
// pixel layout the data sets hold reads back what was written, resizing
// follows torchvision's antialiased bilinear, and each kind of damage is
// refused with the file's name.
#include "runtime/data/ImageDecode.h"
#include "ImageFixture.h"

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <filesystem>

namespace he::runtime {
namespace {
using ImageDecodeTest = ImageFixture;

// uint8 [1, H, W] of a grey OpenCV image.
torch::Tensor tensorOf(const cv::Mat &grey) {
  return torch::from_blob(grey.data, {1, grey.rows, grey.cols}, torch::kUInt8)
      .clone();
}

TEST_F(ImageDecodeTest, LosslessFormatsReadBackExactly) {
  cv::Mat grey = ramp(6, 5, 10);
  torch::Tensor want = tensorOf(grey);
  for (const char *name : {"a.png", "a.bmp", "a.pgm"})
    EXPECT_TRUE(torch::equal(decodeImage(image(name, grey), 1, 6, 5), want))
        << name;
}

TEST_F(ImageDecodeTest, SixteenBitGreyIsScaledToEightBits) {
  cv::Mat grey = ramp(4, 4, 100), wide;
  grey.convertTo(wide, CV_16UC1, 257.0); // x * 257 = x * 65535 / 255
  EXPECT_TRUE(
      torch::equal(decodeImage(image("w.png", wide), 1, 4, 4), tensorOf(grey)));
}

TEST_F(ImageDecodeTest, ColourBecomesRgbGreyOrRepeatedGrey) {
  // OpenCV writes B, G, R: the decoded image is R, G, B.
  cv::Mat bgr(2, 3, CV_8UC3, cv::Scalar(10, 20, 30));
  torch::Tensor rgb = decodeImage(image("c.png", bgr), 3, 2, 3);
  EXPECT_EQ(rgb.sizes(), (std::vector<int64_t>{3, 2, 3}));
  EXPECT_EQ(rgb[0][0][0].item<int>(), 30);
  EXPECT_EQ(rgb[2][0][0].item<int>(), 10);
  // RGBA drops alpha.
  cv::Mat bgra(2, 3, CV_8UC4, cv::Scalar(10, 20, 30, 7));
  EXPECT_TRUE(torch::equal(decodeImage(image("c4.png", bgra), 3, 2, 3), rgb));
  // Colour to grey by OpenCV's weights: 0.299 R + 0.587 G + 0.114 B.
  torch::Tensor grey = decodeImage(path("c.png"), 1, 2, 3);
  EXPECT_EQ(grey[0][0][0].item<int>(), 22); // 8.97 + 11.74 + 1.14, rounded
  // Grey to three channels repeats it.
  torch::Tensor three = decodeImage(image("g.png", ramp(2, 3)), 3, 2, 3);
  EXPECT_TRUE(torch::equal(three[0], three[2]));
  EXPECT_TRUE(torch::equal(three[1], tensorOf(ramp(2, 3))[0]));
}

TEST_F(ImageDecodeTest, JpegDecodesNearWhatWasWritten) {
  cv::Mat grey(16, 16, CV_8UC1, cv::Scalar(128));
  torch::Tensor got = decodeImage(image("a.jpg", grey), 1, 16, 16);
  EXPECT_LE((got.to(torch::kInt) - 128).abs().max().item<int>(), 2);
}

TEST_F(ImageDecodeTest, ResizeIsTorchvisionsAntialiasedBilinear) {
  // A constant image stays constant at any size.
  torch::Tensor flat = torch::full({1, 7, 9}, 77, torch::kUInt8);
  EXPECT_TRUE(torch::equal(resizeImage(flat, 3, 4),
                           torch::full({1, 3, 4}, 77, torch::kUInt8)));
  // Halving weighs each input pixel by the triangle filter stretched to
  // the output's spacing (support 2 input pixels): output 0, centred at
  // 1.0, takes pixels 0, 1, 2 with weights 0.75, 0.75, 0.25 (normalised),
  // i.e. (0 + 75 + 0) / 1.75 = 42.9 and (25 + 0 + 75) / 1.75 = 57.1.
  torch::Tensor row =
      torch::tensor({0, 100, 0, 100}, torch::kUInt8).view({1, 1, 4});
  EXPECT_TRUE(
      torch::equal(resizeImage(row, 1, 2),
                   torch::tensor({43, 57}, torch::kUInt8).view({1, 1, 2})));
  // Upscaling is plain bilinear with half-pixel centres.
  torch::Tensor two = torch::tensor({0, 200}, torch::kUInt8).view({1, 1, 2});
  EXPECT_TRUE(torch::equal(
      resizeImage(two, 1, 4),
      torch::tensor({0, 50, 150, 200}, torch::kUInt8).view({1, 1, 4})));
  // A decoded file is resized to the size asked for.
  EXPECT_EQ(decodeImage(image("r.png", ramp(10, 8)), 1, 5, 4).sizes(),
            (std::vector<int64_t>{1, 5, 4}));
}

TEST_F(ImageDecodeTest, BoxCropsBeforeResizing) {
  torch::Tensor crop =
      decodeImage(image("b.png", ramp(6, 6)), 1, 2, 3, CropBox{1, 2, 4, 4});
  // Rows 2..3, columns 1..3 of the ramp.
  EXPECT_TRUE(torch::equal(
      crop,
      torch::tensor({13, 14, 15, 19, 20, 21}, torch::kUInt8).view({1, 2, 3})));
  expectMessage(errorOf([&] {
                  decodeImage(path("b.png"), 1, 2, 2, CropBox{4, 0, 7, 2});
                }),
                {path("b.png"), "[4, 0, 7, 2]", "not inside the image of 6x6"});
  expectMessage(errorOf([&] {
                  decodeImage(path("b.png"), 1, 2, 2, CropBox{3, 0, 3, 2});
                }),
                {"not inside"});
}

TEST_F(ImageDecodeTest, DamagedFilesAreRefusedByName) {
  expectMessage(errorOf([&] { decodeImage(path("none.png"), 1, 4, 4); }),
                {path("none.png"), "no such file"});
  text("empty.png", "");
  expectMessage(errorOf([&] { decodeImage(path("empty.png"), 1, 4, 4); }),
                {path("empty.png"), "empty file"});
  text("text.png", "this is not an image at all");
  expectMessage(errorOf([&] { decodeImage(path("text.png"), 1, 4, 4); }),
                {path("text.png"), "not an image"});
  // A JPEG cut in half: libjpeg alone would decode it with grey rows.
  cv::Mat noise(64, 64, CV_8UC1);
  cv::randu(noise, 0, 255);
  std::string jpg = image("cut.jpg", noise);
  std::filesystem::resize_file(jpg, std::filesystem::file_size(jpg) / 2);
  expectMessage(errorOf([&] { decodeImage(jpg, 1, 64, 64); }),
                {jpg, "truncated JPEG"});
  // A PNG cut short.
  std::string png = image("cut.png", noise);
  std::filesystem::resize_file(png, std::filesystem::file_size(png) / 2);
  expectMessage(errorOf([&] { decodeImage(png, 1, 64, 64); }), {png});
}
} // namespace
} // namespace he::runtime
