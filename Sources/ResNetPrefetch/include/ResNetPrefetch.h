// Cache prefetch hints for the kernel modules. Swift has no prefetch, and Clang's
// `_m_prefetch` is not imported, so the kernels call these header-only inline wrappers of
// `__builtin_prefetch`. A prefetch is a hint: it never faults, so any address is safe, and it
// never changes a result.
#ifndef RESNET_PREFETCH_H
#define RESNET_PREFETCH_H

/// Hints that the cache line holding `address` will be read soon: into every level (L1 too).
static inline __attribute__((always_inline)) void resnetPrefetchL1(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Hints that the cache line holding `address` will be read later: into L2 (and below), so it
/// does not evict what L1 holds for the work in hand.
static inline __attribute__((always_inline)) void resnetPrefetchL2(const void *address) {
    __builtin_prefetch(address, 0, 2);
}

#endif
