#if os(Linux) && canImport(CMalloc)
import CMalloc
#endif

/// How the C allocator treats large blocks, for commands that allocate and free the same few
/// MB-sized arrays batch after batch (classify: each batch's sparse rows, scores and lines).
enum AllocatorTuning {
    /// Keeps freed large blocks in the heap for the next batch. By default glibc hands blocks above
    /// its (adaptive) mmap threshold fresh pages and returns freed ones to the kernel, so every batch
    /// paid page faults and page zeroing for them: half of classify's system time on the 50k-paper
    /// benchmark (0.46 → 0.20 s), for about 25 MB more peak memory. Only on glibc.
    static func keepLargeBlocks() {
        #if os(Linux) && canImport(CMalloc)
        _ = mallopt(M_MMAP_THRESHOLD, 256 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 512 << 20)
        #endif
    }
}
