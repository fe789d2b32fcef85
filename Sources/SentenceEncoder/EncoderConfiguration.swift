/// The shape of a BERT-style encoder, stored in the weight file's header. MiniLM-L6 (all-MiniLM-L6-v2):
/// 6 layers, width 384, 12 heads of 32, feed-forward 1536, 512 positions, 30,522 tokens.
public struct EncoderConfiguration: Codable, Equatable, Sendable {
    public var layers: Int
    public var hiddenSize: Int
    public var heads: Int
    public var intermediateSize: Int
    public var maxPositions: Int
    public var vocabularySize: Int
    public var layerNormEpsilon: Float
    /// Texts are cut to this many tokens, `[CLS]` and `[SEP]` included (sentence-transformers' max_seq_length).
    public var maxTokens: Int

    public static let miniLML6 = EncoderConfiguration(
        layers: 6, hiddenSize: 384, heads: 12, intermediateSize: 1536, maxPositions: 512,
        vocabularySize: 30_522, layerNormEpsilon: 1e-12, maxTokens: 256)

    public var headSize: Int { hiddenSize / heads }

    /// Upper limits of `validate`: a word-embedding table of at most 2^22 × 2^16 values, 16 tensors per layer.
    static let maxLayers = 256
    static let maxWidth = 1 << 16
    static let maxVocabulary = 1 << 22
    static let maxTokenLimit = 4096

    enum CodingKeys: String, CodingKey {
        case layers
        case hiddenSize = "hidden_size"
        case heads
        case intermediateSize = "intermediate_size"
        case maxPositions = "max_positions"
        case vocabularySize = "vocabulary_size"
        case layerNormEpsilon = "layer_norm_eps"
        case maxTokens = "max_tokens"
    }

    /// Checks that the shape is usable: positive sizes, heads dividing the width, room for the tokens.
    func validate(file: String) throws(SentenceEncoderError) {
        func fail(_ detail: String) -> SentenceEncoderError { .invalidWeights(file: file, detail: detail) }
        guard layers >= 1, hiddenSize >= 1, heads >= 1, intermediateSize >= 1, vocabularySize >= 3 else {
            throw fail("configuration has a size below 1: \(self)")
        }
        // Far above any BERT-style encoder's, and low enough that no tensor's size can overflow or list
        // of tensors grow unbounded: a damaged header fails here, not in an allocation.
        for (name, value, limit) in [("layers", layers, Self.maxLayers), ("hidden_size", hiddenSize, Self.maxWidth),
                                     ("intermediate_size", intermediateSize, Self.maxWidth), ("max_positions", maxPositions, Self.maxWidth),
                                     ("vocabulary_size", vocabularySize, Self.maxVocabulary)] where value > limit {
            throw fail("\(name) \(value) is above the \(limit) this build accepts")
        }
        guard hiddenSize % heads == 0 else { throw fail("hidden_size \(hiddenSize) is not a multiple of heads \(heads)") }
        guard maxTokens >= 2, maxTokens <= maxPositions else {
            throw fail("max_tokens \(maxTokens) must be between 2 and max_positions \(maxPositions)")
        }
        // Attention holds max_tokens² scores per head and thread: 4,096 tokens is 64 MB, 65,536 would be 17 GB.
        guard maxTokens <= Self.maxTokenLimit else { throw fail("max_tokens \(maxTokens) is above the \(Self.maxTokenLimit) this build accepts") }
        guard layerNormEpsilon > 0, layerNormEpsilon.isFinite else { throw fail("layer_norm_eps must be > 0") }
    }

    /// The tensors of the encoder, in the order the weight file lists them, with their shapes
    /// (matrices as [out, in], as PyTorch's `nn.Linear` stores them).
    var tensorShapes: [(name: String, shape: [Int])] {
        let h = hiddenSize, i = intermediateSize
        var list: [(String, [Int])] = [
            ("embeddings.word_embeddings.weight", [vocabularySize, h]),
            ("embeddings.position_embeddings.weight", [maxPositions, h]),
            ("embeddings.token_type_embeddings.weight", [2, h]),
            ("embeddings.LayerNorm.weight", [h]),
            ("embeddings.LayerNorm.bias", [h]),
        ]
        for l in 0..<layers {
            let p = "encoder.layer.\(l)."
            list += [
                (p + "attention.self.query.weight", [h, h]), (p + "attention.self.query.bias", [h]),
                (p + "attention.self.key.weight", [h, h]), (p + "attention.self.key.bias", [h]),
                (p + "attention.self.value.weight", [h, h]), (p + "attention.self.value.bias", [h]),
                (p + "attention.output.dense.weight", [h, h]), (p + "attention.output.dense.bias", [h]),
                (p + "attention.output.LayerNorm.weight", [h]), (p + "attention.output.LayerNorm.bias", [h]),
                (p + "intermediate.dense.weight", [i, h]), (p + "intermediate.dense.bias", [i]),
                (p + "output.dense.weight", [h, i]), (p + "output.dense.bias", [h]),
                (p + "output.LayerNorm.weight", [h]), (p + "output.LayerNorm.bias", [h]),
            ]
        }
        return list
    }
}
