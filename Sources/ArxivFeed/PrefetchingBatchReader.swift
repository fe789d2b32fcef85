import Dispatch

/// Hands out a `PaperJSONLReader`'s records in batches, reading the next batch on another thread
/// while the caller works on the current one, so parsing the input overlaps classifying it.
///
/// Batches come in input order with exactly the records a plain loop would collect; a read error
/// (a malformed line without `skipInvalidLines`) is thrown by the `next()` call that would have
/// returned its batch, after every earlier batch was handed out. Call `next()` from one thread.
public final class PrefetchingBatchReader {
    private let reader: PaperJSONLReader
    private let batchSize: Int
    private let queue = DispatchQueue(label: "arxiv-digest.prefetching-batch-reader")
    private let group = DispatchGroup()
    // Written by the read on `queue`, read after `group.wait()`: never at the same time.
    nonisolated(unsafe) private var pending: Result<[Paper], Error>?
    private var reading = false
    private var finished = false

    public init(reader: PaperJSONLReader, batchSize: Int) {
        precondition(batchSize >= 1, "batchSize must be at least 1")
        self.reader = reader
        self.batchSize = batchSize
    }

    /// The next batch (at most `batchSize` records), or an empty array at the end of the input.
    public func next() throws -> [Paper] {
        if finished { return [] }
        if !reading { startReading() }
        group.wait()
        reading = false
        let result = pending!
        pending = nil
        switch result {
        case .success(let batch):
            if batch.count < batchSize { finished = true } else { startReading() }
            return batch
        case .failure(let error):
            finished = true
            throw error
        }
    }

    private func startReading() {
        reading = true
        group.enter()
        queue.async { [self] in
            pending = Result { try readBatch() }
            group.leave()
        }
    }

    private func readBatch() throws -> [Paper] {
        var batch: [Paper] = []
        batch.reserveCapacity(batchSize)
        while batch.count < batchSize, let paper = try reader.next() { batch.append(paper) }
        return batch
    }
}
