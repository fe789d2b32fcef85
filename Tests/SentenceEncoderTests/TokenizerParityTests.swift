import Foundation
import SentenceEncoder
import Testing

@Suite struct TokenizerParityTests {
    /// Texts that exercise each rule of BERT's normaliser and WordPiece, besides the abstracts.
    static let edgeCases = [
        "Café naïve résumé — Ångström façade",           // accents stripped after NFD
        "深度学习 spiking 神经网络 on ニューロモルフィック chips",  // CJK ideographs isolated, kana not
        "x\u{0}y\u{FFFD}z\u{200B}w\u{7}v\tq\nr\u{A0}s\u{3000}t",  // control, format, no-break spaces
        "e=mc^2, f(x)~g|h; $100 <b> `code` {a}[b] #tag @user 50% a+b",  // ASCII punctuation incl. symbols
        "«quoted» “curly” ‘single’ ¿qué? ¡sí! 1–2 a—b …",  // Unicode punctuation
        String(repeating: "a", count: 101) + " " + String(repeating: "b", count: 100),  // the 100-character limit
        "İstanbul ΣΊΣΥΦΟΣ ǅemal ß ﬁ Ⅻ",                   // case mappings that grow or change
        "qzxqzx unaffable transformer-based LIF-neurons 3D-printed",  // pieces, [UNK]-free splits
        "⚡🧠 emoji 🤖 and 𝔽𝕠𝕟𝕥𝕤",
        "",
        String(repeating: "spiking neural network ", count: 200),  // truncation to 256 tokens
    ]

    @Test func idsMatchHuggingFaceTokenizersOn500Abstracts() throws {
        let encoder = try EncoderFixtures.encoder()
        let texts = try EncoderFixtures.trainingTexts(500) + Self.edgeCases
        #expect(texts.count == 500 + Self.edgeCases.count)
        let expected = try EncoderFixtures.reference("tokenize", texts, as: [[Int32]].self)
        try #require(expected.count == texts.count)
        var mismatches = 0
        for (text, reference) in zip(texts, expected) {
            let ids = encoder.tokenizer.ids(text)
            if ids != reference {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record("ids differ for \(text.prefix(80).debugDescription): Swift \(encoder.tokenizer.pieces(text).prefix(40)) vs reference \(reference.prefix(40).map { encoder.tokenizer.tokens[Int($0)] })")
                }
            }
        }
        #expect(mismatches == 0)
        #expect(expected.contains { $0.count == 256 }, "some text reaches the 256-token limit")
    }

    @Test func framesWithClassAndSeparatorAndSplitsIntoPieces() throws {
        let tokenizer = try EncoderFixtures.encoder().tokenizer
        let ids = tokenizer.ids("Neuromorphic chips!")
        #expect(ids.first == tokenizer.classID && ids.last == tokenizer.separatorID)
        #expect(tokenizer.pieces("Neuromorphic chips!") == ["ne", "##uro", "##morphic", "chips", "!"])
        #expect(tokenizer.pieces(String(repeating: "a", count: 101)) == ["[UNK]"])
        #expect(tokenizer.ids(String(repeating: "word ", count: 1000)).count == 256)
    }

    @Test func rejectsAVocabularyWithoutSpecialTokens() {
        #expect(throws: SentenceEncoderError.invalidVocabulary(detail: "no [UNK] token")) {
            try WordPieceTokenizer(vocabulary: ["[CLS]", "[SEP]", "a"])
        }
        #expect(throws: SentenceEncoderError.self) {
            try WordPieceTokenizer(vocabulary: ["[UNK]", "[CLS]", "[SEP]", "a", "a"])
        }
    }
}
