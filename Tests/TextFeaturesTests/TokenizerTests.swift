import Foundation
import Testing
import TextFeatures

@Suite("Tokenizer")
struct TokenizerTests {
    static let trickyTexts = [
        "snake_case __init__ a_b _ __ x",
        "Deep-learning w/ 2 GPUs: 3.5x faster, 10^9 ops, 1st place, 100% sure",
        "don't can't O'Neil rock'n'roll",
        "café cafe\u{301} naïve nai\u{308}ve résumé",
        "İstanbul IĞDIR ıi DİYARBAKIR",
        "ΟΔΟΣ ΣΟΦΙΑ ΜΑΘΗΜΑΤΙΚΟΣ. xΣy ΑΣ'",
        "神经形态计算 ニューロモルフィック 한국어 텍스트 中文",
        "emoji 🧠🛠 ok👁️ 👨‍👩‍👧 flags 🇫🇷 done",
        "Fullwidth ＡＢＣ １２３ superscript x² ½ Ⅻ ① ٣٤ ๑๒",
        "math 𝐱𝐲 𝔸𝔹 𝟙𝟚 ligature ﬁnance Straße ǅemal",
        "tabs\tand\nnewlines\u{00A0}nbsp\u{2009}thin\u{200B}zwsp",
        "",
        "a b c d",
        "Ünïcödé ÀÉÎÕÜ ÆØÅ Œuvre",
        "the quick brown fox jumps over the lazy dog the quick brown fox",
    ]

    static func sklearnTerms(_ texts: [String], ngram: ClosedRange<Int>, lowercase: Bool) throws -> [[String]] {
        let input = try JSONEncoder().encode(texts)
        return try runPythonScript(
            "analyze.py", ["\(ngram.lowerBound)", "\(ngram.upperBound)", lowercase ? "1" : "0"],
            input: input, as: [[String]].self)
    }

    /// Compares scalar by scalar: Swift's `==` would equate canonically equivalent terms.
    static func scalars(_ terms: [[String]]) -> [[[UInt32]]] {
        terms.map { $0.map { $0.unicodeScalars.map(\.value) } }
    }

    @Test("tricky texts tokenize like sklearn", arguments: [(1...1, true), (1...3, true), (2...2, true), (1...1, false)])
    func trickyTexts(ngram: ClosedRange<Int>, lowercase: Bool) throws {
        let expected = try Self.sklearnTerms(Self.trickyTexts, ngram: ngram, lowercase: lowercase)
        let tokenizer = Tokenizer(lowercase: lowercase)
        let actual = Self.trickyTexts.map { tokenizer.terms(in: $0, ngramRange: ngram) }
        #expect(Self.scalars(actual) == Self.scalars(expected))
    }

    @Test("every BMP character class tokenizes like sklearn")
    func everyBMPCharacter() throws {
        // Each scalar doubled between spaces ("xx"), then one text of mixed neighbours per block.
        let scalars = (0...UInt32(0xFFFF)).compactMap(Unicode.Scalar.init)
        let blocks = stride(from: 0, to: scalars.count, by: 256).map { scalars[$0..<min($0 + 256, scalars.count)] }
        let texts = blocks.map { block in block.map { "\($0)\($0)" }.joined(separator: " ") }
            + blocks.map { block in String(String.UnicodeScalarView(block)) }
        let expected = try Self.sklearnTerms(texts, ngram: 1...1, lowercase: true)
        let tokenizer = Tokenizer()
        let actual = texts.map { tokenizer.tokens(in: $0) }
        #expect(Self.scalars(actual) == Self.scalars(expected))
    }

    @Test("hand-checked cases")
    func handChecked() {
        let tokenizer = Tokenizer()
        #expect(tokenizer.tokens(in: "a_b snake_case x __") == ["a_b", "snake_case", "__"])
        #expect(tokenizer.tokens(in: "don't 3.5x 42") == ["don", "5x", "42"])
        // 'İ' lower-cases to "i" + U+0307, a combining mark, which splits the token.
        #expect(tokenizer.tokens(in: "İstanbul") == ["stanbul"])
        #expect(tokenizer.tokens(in: "神经形态 🧠🧠 ab🧠cd") == ["神经形态", "ab", "cd"])
        let decomposed = tokenizer.tokens(in: "cafe\u{301}")
        #expect(decomposed.map { Array($0.unicodeScalars) } == [["c", "a", "f", "e"]])
        #expect(Array(tokenizer.tokens(in: "CAFÉ")[0].unicodeScalars) == ["c", "a", "f", "\u{E9}"])
        #expect(Tokenizer(lowercase: false).tokens(in: "Neural NETS") == ["Neural", "NETS"])
    }
}
