import Foundation

/// Hands out a `PaperJSONLReader`'s records in batches, reading ahead on another thread while the caller
/// works on the current one, so parsing the input overlaps classifying it. At most `depth` batches are
/// read ahead (memory stays bounded); `start()` begins before the first `next()`, e.g. while a model loads.
///
/// Batches come in input order with exactly the records a plain loop would collect; a read error
/// (a malformed line without `skipInvalidLines`) is thrown by the `next()` call that would have
/// returned its batch, after every earlier batch was handed out. Call `next()` from one thread.
public final class PrefetchingBatchReader {
    private let reader: PaperJSONLReader
    private let batchSize: Int
    private let depth: Int
    private let state: State
    private var started = false
    private var finished = false

    /// What the reading thread and the caller share, behind `condition`. The reading thread holds this,
    /// not the batch reader, so dropping the batch reader early stops the thread.
    private final class State: @unchecked Sendable {
        let condition = NSCondition()
        var ready: [Result<[Paper], Error>] = []
        var abandoned = false
    }

    public init(reader: PaperJSONLReader, batchSize: Int, depth: Int = 1) {
        precondition(batchSize >= 1, "batchSize must be at least 1")
        precondition(depth >= 1, "depth must be at least 1")
        self.reader = reader
        self.batchSize = batchSize
        self.depth = depth
        self.state = State()
    }

    deinit {
        state.condition.lock()
        state.abandoned = true
        state.condition.broadcast()
        state.condition.unlock()
    }

    /// Starts reading ahead now (`next()` does it otherwise).
    public func start() {
        guard !started else { return }
        started = true
        let (state, reader, batchSize, depth) = (state, reader, batchSize, depth)
        let thread = Thread {
            while true {
                state.condition.lock()
                while state.ready.count >= depth && !state.abandoned { state.condition.wait() }
                let abandoned = state.abandoned
                state.condition.unlock()
                if abandoned { return }
                let result = Result { try Self.readBatch(reader, size: batchSize) }
                let last: Bool
                switch result {
                case .success(let batch): last = batch.count < batchSize
                case .failure: last = true
                }
                state.condition.lock()
                state.ready.append(result)
                state.condition.broadcast()
                state.condition.unlock()
                if last { return }
            }
        }
        thread.name = "arxiv-digest.prefetching-batch-reader"
        thread.start()
    }

    /// The next batch (at most `batchSize` records), or an empty array at the end of the input.
    public func next() throws -> [Paper] {
        if finished { return [] }
        start()
        state.condition.lock()
        while state.ready.isEmpty { state.condition.wait() }
        let result = state.ready.removeFirst()
        state.condition.broadcast()
        state.condition.unlock()
        switch result {
        case .success(let batch):
            if batch.count < batchSize { finished = true }
            return batch
        case .failure(let error):
            finished = true
            throw error
        }
    }

    private static func readBatch(_ reader: PaperJSONLReader, size: Int) throws -> [Paper] {
        var batch: [Paper] = []
        batch.reserveCapacity(size)
        while batch.count < size, let paper = try reader.next() { batch.append(paper) }
        return batch
    }
}
