import Foundation
import ModelStore

/// The weight file: a ModelStore container (Models/README.md, "Sentence-encoder weights") whose JSON
/// header holds the kind, layout version, `EncoderConfiguration`, element type and the sources'
/// SHA-256, with a string-list section `vocabulary` and one raw-bytes section per checkpoint tensor
/// (float32, little-endian, named as in the PyTorch checkpoint). The container's trailing SHA-256
/// catches any damaged byte, and identifies the weights to a topic model that uses them.
extension EncoderWeights {
    /// The header's `kind`.
    public static let fileKind = "arxivdigest.sentence-encoder"
    /// Bumped when the meaning of the header or sections changes.
    public static let layoutVersion = 1

    struct Header: Codable {
        var kind: String
        var layoutVersion: Int
        var model: String
        var configuration: EncoderConfiguration
        var dtype: String
        var pooling: String
        var sources: [String: String]

        enum CodingKeys: String, CodingKey {
            case kind
            case layoutVersion = "layout_version"
            case model, configuration, dtype, pooling, sources
        }
    }

    /// The container to write. `sources` names the converted files and their SHA-256 (provenance only).
    func modelFile(model: String, sources: [String: String]) throws -> ModelFile {
        var file = try ModelFile(header: Header(
            kind: Self.fileKind, layoutVersion: Self.layoutVersion, model: model, configuration: configuration,
            dtype: "float32", pooling: "mean, l2-normalised", sources: sources))
        try file.add("vocabulary", .strings(vocabulary))
        let h = configuration.hiddenSize
        var tensors: [String: [Float]] = [
            "embeddings.word_embeddings.weight": wordEmbeddings,
            "embeddings.position_embeddings.weight": positionEmbeddings,
            "embeddings.token_type_embeddings.weight": tokenTypeEmbeddings,
            "embeddings.LayerNorm.weight": embeddingNormScale,
            "embeddings.LayerNorm.bias": embeddingNormBias,
        ]
        for (l, layer) in layers.enumerated() {
            let p = "encoder.layer.\(l)."
            for (i, part) in ["query", "key", "value"].enumerated() {
                tensors[p + "attention.self.\(part).weight"] = Array(layer.qkvWeight[(i * h * h)..<((i + 1) * h * h)])
                tensors[p + "attention.self.\(part).bias"] = Array(layer.qkvBias[(i * h)..<((i + 1) * h)])
            }
            tensors[p + "attention.output.dense.weight"] = layer.attentionOutWeight
            tensors[p + "attention.output.dense.bias"] = layer.attentionOutBias
            tensors[p + "attention.output.LayerNorm.weight"] = layer.attentionNormScale
            tensors[p + "attention.output.LayerNorm.bias"] = layer.attentionNormBias
            tensors[p + "intermediate.dense.weight"] = layer.intermediateWeight
            tensors[p + "intermediate.dense.bias"] = layer.intermediateBias
            tensors[p + "output.dense.weight"] = layer.outputWeight
            tensors[p + "output.dense.bias"] = layer.outputBias
            tensors[p + "output.LayerNorm.weight"] = layer.outputNormScale
            tensors[p + "output.LayerNorm.bias"] = layer.outputNormBias
        }
        for (name, values) in tensors {
            var bytes = [UInt8](repeating: 0, count: 4 * values.count)
            bytes.withUnsafeMutableBytes { raw in
                for (i, value) in values.enumerated() { raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
            }
            try file.add(name, .bytes(bytes))
        }
        return file
    }

    /// Reads and checks a weight file: container checksum, kind, layout, shapes, vocabulary size.
    public static func read(from url: URL) throws -> (weights: EncoderWeights, sha256: String) {
        guard FileManager.default.fileExists(atPath: url.path) else { throw SentenceEncoderError.missingWeights(path: url.path) }
        let file: ModelFile
        do { file = try ModelFile.read(from: url) } catch {
            throw SentenceEncoderError.invalidWeights(file: url.path, detail: "\(error)")
        }
        func fail(_ detail: String) -> SentenceEncoderError { .invalidWeights(file: url.path, detail: detail) }
        struct Kind: Decodable { var kind: String? }
        let kind = (try? file.header(as: Kind.self))?.kind ?? "missing"
        guard kind == fileKind else { throw fail("kind is \"\(kind)\", expected \"\(fileKind)\"") }
        let header: Header
        do { header = try file.header(as: Header.self) } catch { throw fail("header: \(error)") }
        guard header.layoutVersion <= layoutVersion else {
            throw fail("layout \(header.layoutVersion) was written by a newer ArxivDigest; this build reads up to \(layoutVersion)")
        }
        guard header.dtype == "float32" else { throw fail("dtype is \(header.dtype); this build reads float32") }
        try header.configuration.validate(file: url.path)
        let vocabulary: [String]
        do { vocabulary = try file.strings("vocabulary", count: header.configuration.vocabularySize) } catch {
            throw fail("\(error)")
        }
        let weights = try EncoderWeights(configuration: header.configuration, vocabulary: vocabulary) { name, shape throws(SentenceEncoderError) in
            let count = shape.reduce(1, *)
            let bytes: [UInt8]
            do { bytes = try file.bytes(name, count: 4 * count) } catch { throw fail("\(error)") }
            let values = bytes.withUnsafeBytes { raw in
                (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            }
            if let detail = nonFiniteDetail(values, tensor: name) { throw fail(detail) }
            return values
        }
        return (weights, try fileChecksum(url))
    }

    /// Why tensor `name` cannot hold weights (its first NaN or infinite value), or nil: for a weight file and a
    /// checkpoint alike.
    static func nonFiniteDetail(_ values: [Float], tensor name: String) -> String? {
        values.firstIndex { !$0.isFinite }.map { "tensor \"\(name)\" holds \(values[$0]) at index \($0); a weight must be finite" }
    }

    /// The container's trailing SHA-256 (of every byte before it), as hex: `ModelFile.read` has just
    /// verified it, so it names these exact weights without hashing 90 MB a second time.
    static func fileChecksum(_ url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size - UInt64(ModelFileFormat.checksumSize))
        let bytes = try handle.readToEnd() ?? Data()
        return bytes.map { String(format: "%02x", $0) }.joined()
    }
}
