#include "runtime/Allocator.h"

#include <cstdlib>
#include <initializer_list>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace he::runtime {
void retainFreedMemory() {
#if defined(__GLIBC__)
  static const bool done = [] {
    for (const char *name :
         {"GLIBC_TUNABLES", "MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_"})
      if (std::getenv(name))
        return false;
    // No block from mmap (so none is unmapped when freed), and never trim
    // the heap's top.
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, -1);
    return true;
  }();
  (void)done;
#endif
}
} // namespace he::runtime
