import Dispatch
import Foundation

/// Runs independent jobs on all cores and returns their results in job order, so the output never
/// depends on the number of threads or on scheduling. Package-wide: TopicModel uses it too.
package enum Parallel {
    package static func map<T>(_ jobCount: Int, _ job: (Int) -> T) -> [T] {
        let results = UnsafeMutablePointer<T?>.allocate(capacity: jobCount)
        results.initialize(repeating: nil, count: jobCount)
        defer { results.deinitialize(count: jobCount); results.deallocate() }
        // Each job writes only its own slot.
        nonisolated(unsafe) let slots = results
        withoutActuallyEscaping(job) { job in
            nonisolated(unsafe) let job = job
            DispatchQueue.concurrentPerform(iterations: jobCount) { slots[$0] = job($0) }
        }
        return (0..<jobCount).map { results[$0]! }
    }

    /// Runs `job(0) ..< job(jobCount - 1)` on all cores; each job must touch only its own data.
    package static func forEach(_ jobCount: Int, _ job: (Int) -> Void) {
        withoutActuallyEscaping(job) { job in
            nonisolated(unsafe) let job = job
            DispatchQueue.concurrentPerform(iterations: jobCount) { job($0) }
        }
    }

    /// Splits `0 ..< count` into at most `maximumChunks` contiguous ranges of at least `minimumSize`.
    package static func chunks(of count: Int, minimumSize: Int, maximumChunks: Int) -> [Range<Int>] {
        let chunkCount = max(1, min(maximumChunks, count / max(1, minimumSize)))
        return (0..<chunkCount).map { c in (count * c / chunkCount) ..< (count * (c + 1) / chunkCount) }
    }

    /// Runs `body` on each of `chunks(of: count, minimumSize:, maximumChunks: 4 × cores)` on all cores;
    /// each call must touch only the elements of its own range.
    package static func forEachChunk(of count: Int, minimumSize: Int, _ body: (Range<Int>) -> Void) {
        let ranges = chunks(of: count, minimumSize: minimumSize, maximumChunks: 4 * coreCount)
        forEach(ranges.count) { body(ranges[$0]) }
    }

    package static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}
