import Foundation
import LinearAlgebra

/// The transformer forward pass on one batch of token-id sequences, packed without padding: the
/// sequences' rows are stacked (row r of the batch is one token), so every dense layer is one matrix
/// product over all tokens, and attention runs per sequence on its own rows. No row ever attends to
/// padding, so the attention mask is implicit and nothing is computed for tokens that do not exist.
extension SentenceEncoder {
    /// Mean-pooled, L2-normalised embeddings of `sequences` (each `[CLS] … [SEP]`), one row each.
    static func forward(_ sequences: [[Int32]], weights w: EncoderWeights) -> [[Float]] {
        let config = w.configuration
        let h = config.hiddenSize, inner = config.intermediateSize
        let heads = config.heads, headSize = config.headSize
        let offsets = sequences.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        let rows = offsets.last!
        let longest = sequences.map(\.count).max() ?? 0
        guard rows > 0 else { return [] }

        let hidden = Buffer(rows * h), qkv = Buffer(rows * 3 * h), context = Buffer(rows * h)
        let attended = Buffer(rows * h), intermediate = Buffer(rows * inner), scores = Buffer(longest * longest)
        defer { for b in [hidden, qkv, context, attended, intermediate, scores] { b.free() } }

        // Embeddings: word + position + token type 0, then LayerNorm.
        w.wordEmbeddings.withUnsafeBufferPointer { word in
            w.positionEmbeddings.withUnsafeBufferPointer { position in
                w.tokenTypeEmbeddings.withUnsafeBufferPointer { type in
                    for (s, ids) in sequences.enumerated() {
                        for (p, id) in ids.enumerated() {
                            let out = hidden.pointer + (offsets[s] + p) * h
                            let wordRow = word.baseAddress! + Int(id) * h, positionRow = position.baseAddress! + p * h
                            for j in 0..<h { out[j] = wordRow[j] + positionRow[j] + type[j] }
                        }
                    }
                }
            }
        }
        layerNorm(hidden.pointer, rows: rows, width: h, scale: w.embeddingNormScale, bias: w.embeddingNormBias, epsilon: config.layerNormEpsilon)

        let attentionScale = 1 / Float(headSize).squareRoot()
        for layer in w.layers {
            // Query, key and value of every token in one product: [rows, 3h].
            linear(hidden.pointer, rows: rows, inputWidth: h, weight: layer.qkvWeight, bias: layer.qkvBias,
                   outputWidth: 3 * h, into: qkv.pointer, accumulate: false)
            // Self-attention, per sequence and head, on column blocks of qkv (leading dimension 3h).
            for s in sequences.indices {
                let n = sequences[s].count, base = offsets[s]
                for head in 0..<heads {
                    let q = qkv.pointer + base * 3 * h + head * headSize
                    BLAS.sgemm(transposeB: true, m: n, n: n, k: headSize, alpha: attentionScale,
                               q, lda: 3 * h, q + h, ldb: 3 * h, scores.pointer, ldc: n)
                    softmaxRows(scores.pointer, rows: n, width: n)
                    BLAS.sgemm(m: n, n: headSize, k: n, scores.pointer, lda: n, q + 2 * h, ldb: 3 * h,
                               context.pointer + base * h + head * headSize, ldc: h)
                }
            }
            // Output projection plus the residual, then LayerNorm.
            attended.pointer.update(from: hidden.pointer, count: rows * h)
            linear(context.pointer, rows: rows, inputWidth: h, weight: layer.attentionOutWeight, bias: layer.attentionOutBias,
                   outputWidth: h, into: attended.pointer, accumulate: true)
            layerNorm(attended.pointer, rows: rows, width: h, scale: layer.attentionNormScale, bias: layer.attentionNormBias, epsilon: config.layerNormEpsilon)
            // Feed-forward: GELU(x·W1ᵀ + b1)·W2ᵀ + b2, plus the residual, then LayerNorm.
            linear(attended.pointer, rows: rows, inputWidth: h, weight: layer.intermediateWeight, bias: layer.intermediateBias,
                   outputWidth: inner, into: intermediate.pointer, accumulate: false)
            gelu(intermediate.pointer, count: rows * inner)
            hidden.pointer.update(from: attended.pointer, count: rows * h)
            linear(intermediate.pointer, rows: rows, inputWidth: inner, weight: layer.outputWeight, bias: layer.outputBias,
                   outputWidth: h, into: hidden.pointer, accumulate: true)
            layerNorm(hidden.pointer, rows: rows, width: h, scale: layer.outputNormScale, bias: layer.outputNormBias, epsilon: config.layerNormEpsilon)
        }

        // Mean over each sequence's tokens (all of them are real: the mask is all ones), then L2.
        return sequences.indices.map { s in
            var sum = [Double](repeating: 0, count: h)
            for r in offsets[s]..<offsets[s + 1] {
                let row = hidden.pointer + r * h
                for j in 0..<h { sum[j] += Double(row[j]) }
            }
            let count = Double(sequences[s].count)
            let mean = sum.map { $0 / count }
            let norm = max(mean.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
            return mean.map { Float($0 / norm) }
        }
    }

    /// `out ← x·Wᵀ + b` (or `out += x·Wᵀ + b` when `accumulate`), W stored [outputWidth, inputWidth].
    private static func linear(
        _ x: UnsafeMutablePointer<Float>, rows: Int, inputWidth: Int, weight: [Float], bias: [Float],
        outputWidth: Int, into out: UnsafeMutablePointer<Float>, accumulate: Bool
    ) {
        weight.withUnsafeBufferPointer { wb in
            BLAS.sgemm(transposeB: true, m: rows, n: outputWidth, k: inputWidth, x, lda: inputWidth,
                       wb.baseAddress!, ldb: inputWidth, beta: accumulate ? 1 : 0, out, ldc: outputWidth)
        }
        bias.withUnsafeBufferPointer { b in
            for r in 0..<rows {
                let row = out + r * outputWidth
                for j in 0..<outputWidth { row[j] += b[j] }
            }
        }
    }

    /// Each row ← (row − mean) / √(variance + ε) · scale + bias, the variance biased (as PyTorch).
    private static func layerNorm(
        _ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, scale: [Float], bias: [Float], epsilon: Float
    ) {
        scale.withUnsafeBufferPointer { g in
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    let row = x + r * width
                    var sum: Double = 0
                    for j in 0..<width { sum += Double(row[j]) }
                    let mean = sum / Double(width)
                    var squares: Double = 0
                    for j in 0..<width { let d = Double(row[j]) - mean; squares += d * d }
                    let inverse = 1 / (squares / Double(width) + Double(epsilon)).squareRoot()
                    for j in 0..<width { row[j] = Float((Double(row[j]) - mean) * inverse) * g[j] + b[j] }
                }
            }
        }
    }

    /// Row-wise softmax, shifted by the row maximum so no exponential overflows.
    private static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for r in 0..<rows {
            let row = x + r * width
            var largest = -Float.infinity
            for j in 0..<width { largest = max(largest, row[j]) }
            var sum: Float = 0
            for j in 0..<width { let e = expf(row[j] - largest); row[j] = e; sum += e }
            let inverse = 1 / sum
            for j in 0..<width { row[j] *= inverse }
        }
    }

    /// BERT's exact GELU, x·Φ(x) = ½x(1 + erf(x/√2)), not the tanh approximation.
    private static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let inverseRootTwo: Float = 0.70710678118654752
        for i in 0..<count { let v = x[i]; x[i] = 0.5 * v * (1 + erff(v * inverseRootTwo)) }
    }

    /// A scratch buffer of floats, freed by the pass that allocated it.
    struct Buffer {
        let pointer: UnsafeMutablePointer<Float>
        init(_ count: Int) {
            pointer = .allocate(capacity: max(count, 1))
            pointer.initialize(repeating: 0, count: max(count, 1))
        }
        func free() { pointer.deallocate() }
    }
}
