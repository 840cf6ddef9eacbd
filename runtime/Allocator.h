// How the training process asks glibc for memory.
#ifndef HE_RUNTIME_ALLOCATOR_H
#define HE_RUNTIME_ALLOCATOR_H

namespace he::runtime {
/// Keeps freed tensor memory in the process for the next step instead of
/// returning it to the kernel. glibc serves every block above 32 MiB with a
/// fresh mmap, so without this each training step of a 224x224 network
/// page-faults (and the kernel zeroes) its large activations and gradients
/// again: 4 million faults in 6 SqueezeNet steps, 35-60% of the step time
/// (docs/performance.md). With it the peak RSS grows by what the heap holds
/// between steps (about a third more on SqueezeNet, still half PyTorch's).
/// Process-wide and idempotent; does nothing when the user set glibc's
/// malloc tunables (GLIBC_TUNABLES, MALLOC_MMAP_MAX_, MALLOC_TRIM_THRESHOLD_)
/// or on other C libraries.
void retainFreedMemory();
} // namespace he::runtime

#endif
