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
