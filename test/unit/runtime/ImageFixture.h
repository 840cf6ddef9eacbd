// A temporary folder to write image files and label files into, for the
// tests of runtime/data/.
#ifndef HE_TEST_UNIT_RUNTIME_IMAGEFIXTURE_H
#define HE_TEST_UNIT_RUNTIME_IMAGEFIXTURE_H

#include "ErrorMessages.h"
#include "runtime/Error.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace he::runtime {
struct ImageFixture : ::testing::Test {
  ImageFixture() {
    dir = std::filesystem::temp_directory_path() /
          ("he-image-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  ~ImageFixture() override { std::filesystem::remove_all(dir); }

  std::string path(const std::string &name) const {
    return (dir / name).string();
  }
  // Writes `m` (OpenCV's channel order) as `name`, creating its folder.
  std::string image(const std::string &name, const cv::Mat &m) {
    std::filesystem::create_directories((dir / name).parent_path());
    EXPECT_TRUE(cv::imwrite(path(name), m)) << name;
    return path(name);
  }
  // A grey image whose pixel (y, x) is `base + y * w + x`.
  static cv::Mat ramp(int h, int w, int base = 0) {
    cv::Mat m(h, w, CV_8UC1);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        m.at<uint8_t>(y, x) = uint8_t(base + y * w + x);
    return m;
  }
  void text(const std::string &name, const std::string &contents) {
    std::filesystem::create_directories((dir / name).parent_path());
    std::ofstream(path(name), std::ios::binary) << contents;
  }
  std::filesystem::path dir;
};
} // namespace he::runtime

#endif
