#include "lib/Analysis/CkksParams.h"

#include <gtest/gtest.h>

#include <limits>

namespace {
he::CkksParams choose(int64_t depth, int64_t security) {
  he::CkksOptions options;
  options.securityBits = security;
  return he::chooseCkksParams(depth, options);
}

// The HE Standard's table, ternary secrets, classical security.
TEST(CkksParams, TableValues) {
  EXPECT_EQ(he::maxLogQ(128, 1024), 27);
  EXPECT_EQ(he::maxLogQ(128, 32768), 881);
  EXPECT_EQ(he::maxLogQ(192, 8192), 152);
  EXPECT_EQ(he::maxLogQ(256, 16384), 237);
  EXPECT_EQ(he::maxLogQ(128, 65536), std::nullopt);
  EXPECT_EQ(he::maxLogQ(100, 1024), std::nullopt);
}

TEST(CkksParams, SmallestRingThatHoldsTheModulus) {
  // 60 + 2*40 + 60 = 200 <= 218 at N = 8192.
  he::CkksParams p = choose(2, 128);
  EXPECT_TRUE(p.fits);
  EXPECT_EQ(p.logQ, 200);
  EXPECT_EQ(p.ringDimension, 8192);
  EXPECT_EQ(p.slots, 4096);
  EXPECT_EQ(p.maxLogQ, 218);
  // 60 + 3*40 + 60 = 240 > 218: the next ring.
  EXPECT_EQ(choose(3, 128).ringDimension, 16384);
  // The same 200 bits need N = 16384 at 192 and 256 bits of security.
  EXPECT_EQ(choose(2, 192).ringDimension, 16384);
  EXPECT_EQ(choose(2, 256).ringDimension, 16384);
}

TEST(CkksParams, BoundaryIsInclusive) {
  he::CkksOptions options;
  options.firstModBits = 20;
  options.specialPrimeBits = 7;
  options.scaleBits = 0;
  EXPECT_EQ(he::chooseCkksParams(0, options).ringDimension, 1024); // 27
  options.specialPrimeBits = 8;
  EXPECT_EQ(he::chooseCkksParams(0, options).ringDimension, 2048); // 28
}

TEST(CkksParams, TooDeepNeedsBootstrapping) {
  // 60 + 28*40 + 60 = 1240 > 881.
  he::CkksParams p = choose(28, 128);
  EXPECT_FALSE(p.fits);
  EXPECT_EQ(p.logQ, 1240);
  EXPECT_EQ(p.ringDimension, std::nullopt);
  EXPECT_NE(p.message.find("needs bootstrapping"), std::string::npos);
}

TEST(CkksParams, ADepthNear2To62DoesNotWrap) {
  // 2^62 * 40 once wrapped to a small log Q that "fit" a ring dimension.
  he::CkksParams p = choose(int64_t(1) << 62, 128);
  EXPECT_FALSE(p.fits);
  EXPECT_EQ(p.logQ, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(p.ringDimension, std::nullopt);
  EXPECT_NE(p.message.find("does not fit in int64"), std::string::npos)
      << p.message;
}
} // namespace
