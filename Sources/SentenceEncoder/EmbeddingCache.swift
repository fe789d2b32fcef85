import AtomicFiles
import Foundation
import ModelStore

/// Embeddings already computed, on disk outside the repository, so that training runs (and the test
/// that retrains the shipped model) do not re-encode the same papers: ~0.13 s of CPU each.
///
/// One file per weight file, `<cache folder>/embeddings-<first 16 hex of the weights' SHA-256>.cache`,
/// a ModelStore container (checksummed) with sections `keys` (32 bytes each) and `vectors` (float32,
/// little-endian). A key is the SHA-256 of the matrix library's name and the text, because a vector
/// is exact only for the weights and the BLAS that made it: the encoder encodes each text in its own
/// pass, so a cached vector equals a fresh one bit for bit. A damaged or foreign file is ignored and
/// rewritten.
public struct EmbeddingCache: Sendable {
    public let url: URL
    public let weightsSHA256: String
    /// Told why the cache could not be written: the vectors are returned all the same (a cache only saves time).
    public let warn: @Sendable (String) -> Void

    public init(url: URL, weightsSHA256: String, warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.url = url
        self.weightsSHA256 = weightsSHA256
        self.warn = warn
    }

    /// The cache for `encoder`'s weights in the default cache folder, or nil when
    /// `ARXIVDIGEST_EMBEDDING_CACHE=off`.
    public static func standard(for encoder: SentenceEncoder, environment: [String: String] = ProcessInfo.processInfo.environment,
                                warn: @escaping @Sendable (String) -> Void = { _ in }) -> EmbeddingCache? {
        if environment["ARXIVDIGEST_EMBEDDING_CACHE"] == "off" { return nil }
        let name = "embeddings-\(encoder.weightsSHA256.prefix(16)).cache"
        return EmbeddingCache(url: EncoderWeightsLocation.cacheFolder(environment: environment).appendingPathComponent(name),
                              weightsSHA256: encoder.weightsSHA256, warn: warn)
    }

    static let fileKind = "arxivdigest.embedding-cache"

    struct Header: Codable {
        var kind: String
        var weightsSHA256: String
        var dimension: Int
        enum CodingKeys: String, CodingKey { case kind, weightsSHA256 = "weights_sha256", dimension }
    }

    /// The embeddings of `texts`: cached ones read, the others encoded and added to the file.
    public func encode(_ texts: [String], with encoder: SentenceEncoder, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [[Float]] {
        precondition(encoder.weightsSHA256 == weightsSHA256, "a cache serves one weight file")
        var stored = load(dimension: encoder.dimension)
        let keys = texts.map { Self.key(SentenceEncoder.matrixLibrary, $0) }
        // The first occurrence of each text not in the cache, in input order.
        var missing: [Int] = [], seen = Set<[UInt8]>()
        for (index, key) in keys.enumerated() where stored[key] == nil && seen.insert(key).inserted { missing.append(index) }
        let hits = texts.count - missing.count
        if !missing.isEmpty {
            let fresh = encoder.encode(missing.map { texts[$0] }, progress: progress.map { report in
                { done, _ in report(hits + done, texts.count) }
            })
            for (index, vector) in zip(missing, fresh) { stored[keys[index]] = vector }
            do { try save(stored, dimension: encoder.dimension) } catch {
                warn("the embedding cache \(url.path) could not be written (\(error)); the embeddings are used all the same, and computed again next time (ARXIVDIGEST_EMBEDDING_CACHE=off skips the cache)")
            }
        } else {
            progress?(texts.count, texts.count)
        }
        return keys.map { stored[$0]! }
    }

    static func key(_ library: String, _ text: String) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(Array(library.utf8)); hasher.update([0])
        hasher.update(Array(text.utf8))
        return hasher.finalize().bytes
    }

    private func load(dimension: Int) -> [[UInt8]: [Float]] {
        guard let file = try? ModelFile.read(from: url), let header = try? file.header(as: Header.self),
              header.kind == Self.fileKind, header.weightsSHA256 == weightsSHA256, header.dimension == dimension,
              let keys = try? file.bytes("keys"), let vectors = try? file.bytes("vectors"),
              keys.count % 32 == 0, vectors.count == keys.count / 32 * dimension * 4 else { return [:] }
        var result: [[UInt8]: [Float]] = [:]
        vectors.withUnsafeBytes { raw in
            for entry in 0..<(keys.count / 32) {
                let vector = (0..<dimension).map { j in
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * (entry * dimension + j), as: UInt32.self)))
                }
                result[Array(keys[(32 * entry)..<(32 * entry + 32)])] = vector
            }
        }
        return result
    }

    private func save(_ stored: [[UInt8]: [Float]], dimension: Int) throws {
        // Sorted keys: the same entries always give the same bytes.
        let sortedKeys = stored.keys.sorted { $0.lexicographicallyPrecedes($1) }
        var keyBytes: [UInt8] = [], vectorBytes: [UInt8] = []
        keyBytes.reserveCapacity(32 * stored.count)
        vectorBytes.reserveCapacity(4 * dimension * stored.count)
        for key in sortedKeys {
            keyBytes += key
            for value in stored[key]! { withUnsafeBytes(of: value.bitPattern.littleEndian) { vectorBytes += $0 } }
        }
        var file = try ModelFile(header: Header(kind: Self.fileKind, weightsSHA256: weightsSHA256, dimension: dimension))
        try file.add("keys", .bytes(keyBytes))
        try file.add("vectors", .bytes(vectorBytes))
        try OutputPath.createFolder(url.deletingLastPathComponent().path)
        try file.write(to: url)
    }
}
