import ArxivFeed
import Foundation
import LinearAlgebra
import SentenceEncoder

/// A sentence embedding appended to each TF-IDF row: what `--embedding minilm --embedding-weight W`
/// asks for. The embedding is a unit vector (MiniLM-L6, mean-pooled, 384 values) scaled by `weight`,
/// so the block weighs about as much as the L2-normalised TF-IDF part when `weight` is near 1.
public struct EmbeddingOptions: Codable, Equatable, Sendable {
    /// Which encoder makes the embedding.
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// all-MiniLM-L6-v2 through `SentenceEncoder` (weights from `arxiv-digest encoder convert`).
        case minilm

        /// Columns the block adds.
        public var dimension: Int { 384 }

        /// Refuses an encoder whose vectors are not this kind's width (a checkpoint of another BERT size):
        /// its embeddings would not fit the block's columns.
        public func check(_ encoder: SentenceEncoder, weights: URL) throws {
            guard encoder.dimension == dimension else {
                throw EncoderRequirementError(description: "\(weights.path) gives \(encoder.dimension)-value embeddings, but --embedding \(rawValue) needs \(dimension) (all-MiniLM-L6-v2); convert that checkpoint (\(SentenceEncoderError.installHint))")
            }
        }
    }

    public var kind: Kind
    /// The scale of the unit-length embedding in the feature row.
    public var weight: Double

    public init(kind: Kind = .minilm, weight: Double = 0.5) {
        self.kind = kind
        self.weight = weight
    }
}

/// Why a model that uses the sentence encoder cannot be trained or loaded.
public struct EncoderRequirementError: Error, CustomStringConvertible {
    public let description: String
}

extension LabelledCorpus {
    /// The text the encoder reads for a paper: title, a space, abstract (cut to 256 tokens).
    static func encoderText(_ paper: Paper) -> String { paper.classifierText }

    /// Embeds every paper once (so cross-validation folds and grid values reuse the vectors).
    /// - Parameter progress: (papers done, papers in all), from one thread at a time.
    /// - Parameter cache: where vectors already computed are kept (`EmbeddingCache.standard(for:)`); nil to encode all.
    public mutating func embed(with encoder: SentenceEncoder, cache: EmbeddingCache? = nil,
                               progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        let texts = papers.map(Self.encoderText)
        embeddings = try cache?.encode(texts, with: encoder, progress: progress) ?? encoder.encode(texts, progress: progress)
        embeddingsSHA256 = encoder.weightsSHA256
    }

    /// The stored vectors if they came from `encoder`'s weights, else fresh ones.
    func embeddings(from encoder: SentenceEncoder) -> [[Float]] {
        if let embeddings, embeddingsSHA256 == encoder.weightsSHA256 { return embeddings }
        return encoder.encode(papers.map(Self.encoderText))
    }
}

extension Features {
    /// Columns the embedding block adds (0 without one).
    static func embeddingColumnCount(_ options: TrainingOptions) -> Int { options.embedding?.kind.dimension ?? 0 }

    /// Appends `weight · vector` to each row, as dense columns after the existing ones.
    static func appendingEmbeddings(_ x: SparseMatrix, _ vectors: [[Float]]?, options: TrainingOptions) -> SparseMatrix {
        guard let embedding = options.embedding, let vectors else { return x }
        precondition(vectors.count == x.rowCount, "one embedding per row")
        let extra = embedding.kind.dimension
        var offsets = [0], columns: [Int32] = [], values: [Double] = []
        columns.reserveCapacity(x.nonZeroCount + x.rowCount * extra)
        values.reserveCapacity(x.nonZeroCount + x.rowCount * extra)
        for row in 0..<x.rowCount {
            let range = x.entryRange(ofRow: row)
            columns.append(contentsOf: x.columns[range])
            values.append(contentsOf: x.values[range])
            precondition(vectors[row].count == extra, "embedding of \(vectors[row].count) values, expected \(extra)")
            for (j, value) in vectors[row].enumerated() {
                columns.append(Int32(x.columnCount + j))
                values.append(embedding.weight * Double(value))
            }
            offsets.append(columns.count)
        }
        return SparseMatrix(rowCount: x.rowCount, columnCount: x.columnCount + extra,
                            rowOffsets: offsets, columns: columns, values: values)
    }
}

extension TopicModel {
    /// The embeddings of `papers` for this model: none without an embedding block, else from the
    /// encoder loaded with the model (`read` refuses to load such a model without its encoder).
    func embeddings(_ papers: [Paper]) -> [[Float]]? {
        guard options.embedding != nil else { return nil }
        guard let encoder else { preconditionFailure("a model with an embedding block always carries its encoder") }
        return encoder.encode(papers.map(LabelledCorpus.encoderText))
    }

    /// Loads the encoder a model was trained with from `weights` (default: `EncoderWeightsLocation`)
    /// and checks it is the same weight file, by SHA-256.
    static func loadEncoder(for options: TrainingOptions, metadata: TrainingMetadata, modelFile: String, weights: URL?) throws -> SentenceEncoder? {
        guard options.embedding != nil else { return nil }
        guard let expected = metadata.encoderWeightsSHA256 else {
            throw TopicModelFileError(file: modelFile, detail: "uses a sentence embedding but does not name its encoder weights (training.encoder_weights_sha256)")
        }
        let url = weights ?? EncoderWeightsLocation.resolve(option: nil)
        let encoder: SentenceEncoder
        do { encoder = try SentenceEncoder.load(from: url) } catch {
            throw EncoderRequirementError(description: "\(modelFile) uses the MiniLM sentence encoder: \(error)")
        }
        try options.embedding?.kind.check(encoder, weights: url)
        guard encoder.weightsSHA256 == expected else {
            throw EncoderRequirementError(description: "\(modelFile) was trained with encoder weights SHA-256 \(expected), but \(url.path) has \(encoder.weightsSHA256); convert the checkpoint the model was trained with (\(SentenceEncoderError.installHint)), or pass its file with --encoder-weights")
        }
        return encoder
    }
}
