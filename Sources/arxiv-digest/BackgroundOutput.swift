import Dispatch
import Foundation

/// classify's output stage: each scored batch is rendered and written on a thread of its own, in order,
/// while the caller reads and scores the next one. At most `depth` batches wait, so memory stays bounded.
///
/// The first failure (a write error, a broken pipe) stops the stage: the batches after it are dropped,
/// and the next `submit` or `finish` throws it. Call both from one thread.
final class BackgroundOutput {
    private let queue = DispatchQueue(label: "arxiv-digest.background-output")
    private let slots: DispatchSemaphore
    // Written on `queue`, read by the caller: behind a lock rather than `queue.sync`, which would wait
    // for the batch being written and so stall the caller's scoring of the next one.
    private let failureLock = NSLock()
    private var storedFailure: Error?
    private var failure: Error? {
        get { failureLock.withLock { storedFailure } }
        set { failureLock.withLock { storedFailure = newValue } }
    }

    init(depth: Int = 2) {
        slots = DispatchSemaphore(value: depth)
    }

    /// Queues `work` behind the batches already queued, waiting while `depth` of them are; throws an
    /// earlier batch's failure instead of queueing.
    func submit(_ work: @escaping () throws -> Void) throws {
        slots.wait()
        if let failure {
            slots.signal()
            throw failure
        }
        queue.async { [self] in
            defer { slots.signal() }
            guard failure == nil else { return }
            do { try work() } catch { failure = error }
        }
    }

    /// Waits until every queued batch is written; throws the first failure.
    func finish() throws {
        queue.sync {}
        if let failure { throw failure }
    }
}
