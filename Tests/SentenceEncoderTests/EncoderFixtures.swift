import ArxivFeed
import Foundation
import SentenceEncoder
import TestSupport

/// What the encoder tests share: the converted weight file (loaded once per test process), the
/// training abstracts, and the Python reference.
enum EncoderFixtures {
    /// The weight file `.ci/setup` writes (or `$ARXIVDIGEST_ENCODER_WEIGHTS`). A missing file fails
    /// the tests that need it with the install hint; it is never skipped.
    static let weightsURL = EncoderWeightsLocation.resolve(option: nil)

    static let loaded: Result<SentenceEncoder, Error> = Result { try SentenceEncoder.load(from: weightsURL) }

    static func encoder() throws -> SentenceEncoder { try loaded.get() }

    /// The first `count` papers of topics/train.jsonl, as the text the topic model gives the encoder.
    static func trainingTexts(_ count: Int) throws -> [String] {
        let reader = try PaperJSONLReader(contentsOf: SharedData.url("datasets/topics/train.jsonl"))
        var texts: [String] = []
        while texts.count < count, let paper = try reader.next() { texts.append(paper.classifierText) }
        return texts
    }

    /// Runs `minilm_reference.py MODE` on `texts` and decodes its JSON answer.
    static func reference<T: Decodable>(_ mode: String, _ texts: [String], as type: T.Type) throws -> T {
        let input = try JSONEncoder().encode(texts)
        let result = try ProcessRunner.python("Tests/SentenceEncoderTests/minilm_reference.py", [mode], input: input)
        guard result.status == 0 else {
            throw ReferenceFailure(detail: "minilm_reference.py \(mode) exited \(result.status): \(result.stderrText)")
        }
        return try JSONDecoder().decode(type, from: result.stdout)
    }

    struct ReferenceFailure: Error, CustomStringConvertible { let detail: String; var description: String { detail } }
}
