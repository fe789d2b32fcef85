/// The parameters of a BERT-style sentence encoder in the layout the forward pass reads: float32,
/// matrices row-major as [out, in], and each layer's query, key and value projections stacked into
/// one [3·hidden, hidden] matrix so they take one matrix product.
public struct EncoderWeights: Sendable {
    /// One transformer layer.
    struct Layer: Sendable {
        var qkvWeight: [Float]        // [3h, h]: query rows, then key rows, then value rows
        var qkvBias: [Float]          // [3h]
        var attentionOutWeight: [Float]  // [h, h]
        var attentionOutBias: [Float]
        var attentionNormScale: [Float]
        var attentionNormBias: [Float]
        var intermediateWeight: [Float]  // [i, h]
        var intermediateBias: [Float]    // [i]
        var outputWeight: [Float]        // [h, i]
        var outputBias: [Float]
        var outputNormScale: [Float]
        var outputNormBias: [Float]
    }

    public let configuration: EncoderConfiguration
    /// The WordPiece vocabulary, `tokens[id]`.
    public let vocabulary: [String]
    var wordEmbeddings: [Float]      // [vocabulary, h]
    var positionEmbeddings: [Float]  // [positions, h]
    var tokenTypeEmbeddings: [Float] // [2, h]; a single text uses type 0 only
    var embeddingNormScale: [Float]
    var embeddingNormBias: [Float]
    var layers: [Layer]

    /// Assembles the weights from tensors named as in the PyTorch checkpoint (`EncoderConfiguration.tensorShapes`).
    /// - Parameter tensor: returns the float32 values of a tensor, given its name and expected shape.
    init(configuration: EncoderConfiguration, vocabulary: [String],
         tensor: (String, [Int]) throws(SentenceEncoderError) -> [Float]) throws(SentenceEncoderError) {
        let shapes = Dictionary(uniqueKeysWithValues: configuration.tensorShapes.map { ($0.name, $0.shape) })
        func load(_ name: String) throws(SentenceEncoderError) -> [Float] { try tensor(name, shapes[name]!) }
        self.configuration = configuration
        self.vocabulary = vocabulary
        wordEmbeddings = try load("embeddings.word_embeddings.weight")
        positionEmbeddings = try load("embeddings.position_embeddings.weight")
        tokenTypeEmbeddings = try load("embeddings.token_type_embeddings.weight")
        embeddingNormScale = try load("embeddings.LayerNorm.weight")
        embeddingNormBias = try load("embeddings.LayerNorm.bias")
        var layers: [Layer] = []
        for l in 0..<configuration.layers {
            let p = "encoder.layer.\(l)."
            layers.append(Layer(
                qkvWeight: try load(p + "attention.self.query.weight") + load(p + "attention.self.key.weight") + load(p + "attention.self.value.weight"),
                qkvBias: try load(p + "attention.self.query.bias") + load(p + "attention.self.key.bias") + load(p + "attention.self.value.bias"),
                attentionOutWeight: try load(p + "attention.output.dense.weight"),
                attentionOutBias: try load(p + "attention.output.dense.bias"),
                attentionNormScale: try load(p + "attention.output.LayerNorm.weight"),
                attentionNormBias: try load(p + "attention.output.LayerNorm.bias"),
                intermediateWeight: try load(p + "intermediate.dense.weight"),
                intermediateBias: try load(p + "intermediate.dense.bias"),
                outputWeight: try load(p + "output.dense.weight"),
                outputBias: try load(p + "output.dense.bias"),
                outputNormScale: try load(p + "output.LayerNorm.weight"),
                outputNormBias: try load(p + "output.LayerNorm.bias")))
        }
        self.layers = layers
    }
}
