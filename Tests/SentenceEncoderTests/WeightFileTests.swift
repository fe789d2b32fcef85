import Foundation
import ModelStore
import SentenceEncoder
import TestSupport
import Testing

@Suite struct WeightFileTests {
    @Test func aMissingFileSaysHowToInstallIt() throws {
        let folder = try SharedData.temporaryDirectory()
        let path = folder.appendingPathComponent("none.weights")
        #expect(throws: SentenceEncoderError.missingWeights(path: path.path)) { try SentenceEncoder.load(from: path) }
        #expect(SentenceEncoderError.missingWeights(path: path.path).description.contains("bash .ci/setup"))
    }

    @Test func aDamagedByteIsCaughtAndNamed() throws {
        let folder = try SharedData.temporaryDirectory()
        let copy = folder.appendingPathComponent("damaged.weights")
        var bytes = try Data(contentsOf: EncoderFixtures.weightsURL)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: copy)
        do {
            _ = try SentenceEncoder.load(from: copy)
            Issue.record("a damaged weight file loaded")
        } catch let error as SentenceEncoderError {
            guard case .invalidWeights(let file, let detail) = error else { Issue.record("\(error)"); return }
            #expect(file == copy.path)
            #expect(detail.contains("SHA-256") || detail.contains("checksum"), "\(detail)")
            #expect(error.description.contains("encoder convert"))
        }
    }

    @Test func anotherModelFileIsRefusedByKind() throws {
        let folder = try SharedData.temporaryDirectory()
        let other = folder.appendingPathComponent("other.weights")
        try ModelFile(header: ["kind": "arxivdigest.topic-model"]).write(to: other)
        #expect(throws: SentenceEncoderError.invalidWeights(file: other.path, detail: "kind is \"arxivdigest.topic-model\", expected \"arxivdigest.sentence-encoder\"")) {
            try SentenceEncoder.load(from: other)
        }
    }

    /// A damaged header's sizes (a width of 2^50, 10^9 layers) must fail at the header, not overflow a tensor's
    /// size or build a list of 16 × 10^9 tensor names.
    @Test(arguments: [("hidden_size", 1 << 50, "hidden_size 1125899906842624 is above the 65536 this build accepts"),
                      ("layers", 1_000_000_000, "layers 1000000000 is above the 256 this build accepts"),
                      ("intermediate_size", 1 << 62, "intermediate_size 4611686018427387904 is above the 65536 this build accepts"),
                      ("vocabulary_size", 1 << 40, "vocabulary_size 1099511627776 is above the 4194304 this build accepts")])
    func hugeSizesAreRefusedAtTheHeader(field: String, value: Int, detail: String) throws {
        let folder = try SharedData.temporaryDirectory()
        let file = folder.appendingPathComponent("huge.weights")
        var configuration: [String: Any] = ["layers": 6, "hidden_size": 384, "heads": 12, "intermediate_size": 1536,
                                            "max_positions": 512, "vocabulary_size": 30_522, "layer_norm_eps": 1e-12, "max_tokens": 256]
        configuration[field] = value
        if field == "hidden_size" { configuration["heads"] = 1 }
        let header: [String: Any] = ["kind": EncoderWeights.fileKind, "layout_version": 1, "model": "x", "configuration": configuration,
                                     "dtype": "float32", "pooling": "mean", "sources": [String: String]()]
        try ModelFile(headerJSON: try JSONSerialization.data(withJSONObject: header)).write(to: file)
        #expect(throws: SentenceEncoderError.invalidWeights(file: file.path, detail: detail)) { try SentenceEncoder.load(from: file) }
    }

    @Test func theChecksumIsTheContainersTrailingSHA256() throws {
        let encoder = try EncoderFixtures.encoder()
        let bytes = try Data(contentsOf: EncoderFixtures.weightsURL)
        #expect(encoder.weightsSHA256 == SHA256.hash(bytes.dropLast(32)).hexString)
        #expect(encoder.dimension == 384 && encoder.tokenizer.tokens.count == 30_522)
    }

    @Test func theLocationFollowsOptionThenEnvironmentThenCache() {
        #expect(EncoderWeightsLocation.resolve(option: "/x/w", environment: ["ARXIVDIGEST_ENCODER_WEIGHTS": "/y/w"]).path == "/x/w")
        #expect(EncoderWeightsLocation.resolve(option: nil, environment: ["ARXIVDIGEST_ENCODER_WEIGHTS": "/y/w", "HOME": "/h"]).path == "/y/w")
        #expect(EncoderWeightsLocation.resolve(option: nil, environment: ["HOME": "/h"]).path == "/h/.cache/arxiv-digest/minilm-l6.weights")
        #expect(EncoderWeightsLocation.resolve(option: nil, environment: ["HOME": "/h", "XDG_CACHE_HOME": "/c"]).path == "/c/arxiv-digest/minilm-l6.weights")
    }
}
