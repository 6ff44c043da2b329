// Software prefetch for the engine: Swift has no prefetch instruction of its own.
//
// A static inline function, so the Swift compiler inlines it into the kernels' loops (one
// PREFETCHT0 each); prefetch.c exists only because a C target needs a source file.
#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks for the cache line at `p` to be brought into the caches for reading; never faults.
static inline __attribute__((always_inline)) void ie_prefetch(const void *p) {
    __builtin_prefetch(p, 0, 3);
}

#endif
