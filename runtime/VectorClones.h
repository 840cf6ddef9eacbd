// HE_VECTOR_CLONES: compile a hot loop twice, for AVX2 and for the baseline
// x86-64, and pick one at load time. With other compilers the loop is
// compiled once.
#ifndef HE_RUNTIME_VECTORCLONES_H
#define HE_RUNTIME_VECTORCLONES_H

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define HE_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define HE_VECTOR_CLONES
#endif

#endif
