/// BERT's uncased WordPiece tokenizer, matching Hugging Face `tokenizers` id for id (the parity test
/// runs 500 abstracts through both): `BertTextNormalizer`'s words, each split greedily into the
/// longest vocabulary pieces (later pieces carry the `##` prefix); a word with no such split, or longer
/// than `maxCharactersPerWord` scalars, becomes `[UNK]`. The ids are framed as `[CLS] … [SEP]` and cut
/// to `maxTokens` in all.
///
///     let tokenizer = try WordPieceTokenizer(vocabulary: terms)   // terms[id]
///     tokenizer.ids("Spiking neural networks")                     // [101, …, 102]
public struct WordPieceTokenizer: Sendable {
    /// The vocabulary, `tokens[id]`.
    public let tokens: [String]
    private let idOfToken: [String: Int32]
    public let unknownID: Int32
    public let classID: Int32
    public let separatorID: Int32
    /// The most tokens a text yields, `[CLS]` and `[SEP]` included (sentence-transformers' 256).
    public var maxTokens: Int
    /// Longer words are `[UNK]` without trying to split them (BERT's 100).
    public let maxCharactersPerWord = 100
    /// The prefix of a piece that continues a word.
    public static let continuationPrefix = "##"

    /// A tokenizer over `tokens` (id = position). It must hold `[UNK]`, `[CLS]` and `[SEP]` once each.
    public init(vocabulary tokens: [String], maxTokens: Int = 256) throws(SentenceEncoderError) {
        var idOfToken: [String: Int32] = [:]
        idOfToken.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() {
            guard idOfToken.updateValue(Int32(id), forKey: token) == nil else {
                throw .invalidVocabulary(detail: "token \"\(token)\" appears twice (ids \(idOfToken[token]!) and \(id))")
            }
        }
        func special(_ token: String) throws(SentenceEncoderError) -> Int32 {
            guard let id = idOfToken[token] else { throw .invalidVocabulary(detail: "no \(token) token") }
            return id
        }
        guard maxTokens >= 2 else { throw .invalidVocabulary(detail: "maxTokens is \(maxTokens); [CLS] and [SEP] need 2") }
        self.tokens = tokens
        self.idOfToken = idOfToken
        self.unknownID = try special("[UNK]")
        self.classID = try special("[CLS]")
        self.separatorID = try special("[SEP]")
        self.maxTokens = maxTokens
    }

    /// The token ids of `text`: `[CLS]`, the word pieces (the first `maxTokens - 2`), `[SEP]`.
    /// The attention mask is all ones over these ids: the encoder packs texts without padding.
    public func ids(_ text: String) -> [Int32] {
        var ids: [Int32] = [classID]
        let limit = maxTokens - 1
        for word in BertTextNormalizer.words(text) {
            appendPieces(of: word, to: &ids)
            if ids.count >= limit { break }
        }
        if ids.count > limit { ids.removeLast(ids.count - limit) }
        ids.append(separatorID)
        return ids
    }

    /// The word pieces of `text` as strings, without `[CLS]`/`[SEP]` or truncation (for inspection).
    public func pieces(_ text: String) -> [String] {
        var ids: [Int32] = []
        for word in BertTextNormalizer.words(text) { appendPieces(of: word, to: &ids) }
        return ids.map { tokens[Int($0)] }
    }

    /// Greedy longest-match-first, as BERT's WordPiece: all of `word` as pieces, or one `[UNK]`.
    private func appendPieces(of word: [Unicode.Scalar], to ids: inout [Int32]) {
        guard word.count <= maxCharactersPerWord else { ids.append(unknownID); return }
        let firstPiece = ids.count
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                var candidate = start > 0 ? Self.continuationPrefix : ""
                candidate.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = idOfToken[candidate] { found = id; break }
                end -= 1
            }
            guard let found else {
                ids.removeLast(ids.count - firstPiece)
                ids.append(unknownID)
                return
            }
            ids.append(found)
            start = end
        }
    }
}
