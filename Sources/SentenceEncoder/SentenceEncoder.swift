import Dispatch
import Foundation
import LinearAlgebra

/// A sentence encoder: text → WordPiece ids → 6-layer transformer (MiniLM-L6) → mean pooling → a
/// unit vector. Every matrix product runs on BLAS (`cblas_sgemm`).
///
///     let encoder = try SentenceEncoder.load(from: EncoderWeightsLocation.resolve(option: nil))
///     let vectors = encoder.encode(["Spiking neural networks on Loihi", …])   // 384 floats each
///
/// Deterministic for a given build and BLAS: each text is encoded in its own pass, so its vector never
/// depends on the other texts, their order or the number of threads (which also makes a cache keyed
/// by text exact).
public struct SentenceEncoder: Sendable {
    public let weights: EncoderWeights
    public let tokenizer: WordPieceTokenizer
    /// The weight file's checksum (its container SHA-256), which a topic model stores to refuse other weights.
    public let weightsSHA256: String

    public init(weights: EncoderWeights, weightsSHA256: String) throws {
        self.weights = weights
        self.weightsSHA256 = weightsSHA256
        tokenizer = try WordPieceTokenizer(vocabulary: weights.vocabulary, maxTokens: weights.configuration.maxTokens)
    }

    /// Reads the weight file at `url` (checked, see `EncoderWeights.read`).
    public static func load(from url: URL) throws -> SentenceEncoder {
        let (weights, sha256) = try EncoderWeights.read(from: url)
        return try SentenceEncoder(weights: weights, weightsSHA256: sha256)
    }

    /// The library that runs the encoder's matrix products (OpenBLAS when installed, else the system CBLAS).
    public static var matrixLibrary: String { BLAS.singlePrecisionBackend }

    /// The length of each embedding (the hidden width, 384 for MiniLM-L6).
    public var dimension: Int { weights.configuration.hiddenSize }

    /// The unit-length embedding of each text, in order.
    /// - Parameters:
    ///   - threads: texts encoded at once (one BLAS call stream each); the result does not depend on it.
    ///   - progress: called with (texts done, texts in all), from one thread at a time.
    public func encode(
        _ texts: [String], threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> [[Float]] {
        let ids = texts.map(tokenizer.ids)
        let results = ResultSlots(count: texts.count)
        let counter = ProgressCounter(total: texts.count, report: progress)
        let workers = max(1, min(threads, texts.count))
        // Worker w takes texts w, w + workers, …: equal shares without a shared queue.
        // One text per pass: packing several into one pass (all supported by `forward`) was only ~5%
        // faster, and would make a text's last bits depend on its batch mates.
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: texts.count, by: workers) {
                results.set(index, Self.forward([ids[index]], weights: weights)[0])
                counter.advance()
            }
        }
        return results.values
    }
}

/// One slot per text, each written by exactly one worker.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [[Float]]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ index: Int, _ value: [Float]) { lock.lock(); slots[index] = value; lock.unlock() }
    var values: [[Float]] { lock.lock(); defer { lock.unlock() }; return slots }
}

/// Counts finished texts and reports them in order, one call at a time.
private final class ProgressCounter: @unchecked Sendable {
    private let total: Int
    private let report: (@Sendable (Int, Int) -> Void)?
    private var done = 0
    private let lock = NSLock()
    init(total: Int, report: (@Sendable (Int, Int) -> Void)?) { self.total = total; self.report = report }
    func advance() {
        lock.lock(); defer { lock.unlock() }
        done += 1
        report?(done, total)
    }
}
