// retainFreedMemory: a block far above glibc's mmap threshold comes from
// the heap, and stays in the process once freed, ready for the next step.
#include "runtime/Allocator.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// AddressSanitizer replaces malloc: glibc's settings and statistics do not
// apply (GCC says __SANITIZE_ADDRESS__, clang __has_feature).
#if defined(__SANITIZE_ADDRESS__)
#define HE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HE_ASAN 1
#endif
#endif

namespace he::runtime {
namespace {
TEST(AllocatorTest, LargeBlocksComeFromTheHeapAndStayAfterFree) {
#if !defined(__GLIBC__)
  GTEST_SKIP() << "glibc only";
#elif defined(HE_ASAN)
  GTEST_SKIP() << "AddressSanitizer's allocator replaces glibc's";
#else
  for (const char *name :
       {"GLIBC_TUNABLES", "MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_"})
    if (std::getenv(name))
      GTEST_SKIP() << name << " is set: the user's settings win";
  retainFreedMemory();
  retainFreedMemory();           // idempotent
  const size_t size = 96u << 20; // 3x the largest mmap threshold
  size_t mappedBefore = mallinfo2().hblkhd;
  char *block = static_cast<char *>(std::malloc(size));
  ASSERT_NE(block, nullptr);
  std::memset(block, 1, size);
  EXPECT_EQ(mallinfo2().hblkhd, mappedBefore) << "the block was mmapped";
  std::free(block);
  EXPECT_GE(mallinfo2().fordblks, size) << "the freed block left the heap";
#endif
}
} // namespace
} // namespace he::runtime
