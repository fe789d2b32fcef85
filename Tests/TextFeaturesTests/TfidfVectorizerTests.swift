import Foundation
import LinearAlgebra
import Testing
import TextFeatures

@Suite("TfidfVectorizer")
struct TfidfVectorizerTests {
    static let corpus = [
        "Spiking neural networks on neuromorphic hardware",
        "Neuromorphic hardware with memristive synapses",
        "Event cameras for low-latency vision",
        "Spiking networks learn with surrogate gradients",
    ]

    @Test("hand-computed idf and L2-normalised row")
    func handComputed() throws {
        let (vectorizer, matrix) = try TfidfVectorizer().fitTransform(["aa bb bb", "aa cc"])
        #expect(vectorizer.terms == ["aa", "bb", "cc"])
        let idf = try #require(vectorizer.idf)
        let rare = log(3.0 / 2.0) + 1
        #expect(idf == [1, rare, rare])
        // Row 0: aa → 1·1, bb → 2·rare, divided by the L2 norm.
        let norm = (1 + 4 * rare * rare).squareRoot()
        #expect(matrix.rowOffsets == [0, 2, 4])
        #expect(matrix.columns == [0, 1, 0, 2])
        #expect(abs(matrix.values[0] - 1 / norm) < 1e-15 && abs(matrix.values[1] - 2 * rare / norm) < 1e-15)
    }

    @Test("precomposed and decomposed é are different terms, sorted by code point")
    func exactScalars() throws {
        let precomposed = "caf\u{E9}", decomposed = "cafe\u{301}"
        let vectorizer = try TfidfVectorizer().fit([precomposed, decomposed, "Zebra zz"])
        #expect(vectorizer.featureCount == 4)
        // "cafe" (the decomposed token stops at U+0301) < "café" (U+E9) < "zebra" < "zz".
        #expect(vectorizer.terms.map { $0.unicodeScalars.map(\.value) } == [
            [0x63, 0x61, 0x66, 0x65], [0x63, 0x61, 0x66, 0xE9], Array("zebra".unicodeScalars.map(\.value)), [0x7A, 0x7A],
        ])
        #expect(vectorizer.vocabulary.column(of: precomposed) == 1)
        #expect(vectorizer.vocabulary.column(of: "cafe") == 0)
        #expect(vectorizer.vocabulary.column(of: decomposed) == nil)
    }

    @Test("maxFeatures breaks frequency ties by term order")
    func maxFeaturesTies() throws {
        // Corpus frequencies: dd 3, then bb, cc, aa 2 each; keep 3 → dd plus the first two tied terms.
        let options = TfidfOptions(maxFeatures: 3)
        let vectorizer = try TfidfVectorizer(options: options).fit(["dd cc bb aa", "dd cc bb aa dd"])
        #expect(vectorizer.terms == ["aa", "bb", "dd"])
    }

    @Test("output does not depend on how documents fall into parallel chunks")
    func deterministic() throws {
        let texts = (0..<3_000).map { i in Self.corpus[i % 4] + " doc\(i % 97) w\(i % 13)" }
        let options = TfidfOptions(ngramRange: 1...2, minDF: .count(2))
        let (a, matrixA) = try TfidfVectorizer(options: options).fitTransform(texts)
        let b = try TfidfVectorizer(options: options).fit(texts)
        #expect(a.terms == b.terms && a.idf == b.idf)
        #expect(b.transform(texts) == matrixA)
        // One document at a time gives the same rows as the whole batch.
        let rows = texts.prefix(20).map { b.transform([$0]) }
        for (i, row) in rows.enumerated() {
            let range = matrixA.entryRange(ofRow: i)
            #expect(row.columns == Array(matrixA.columns[range]) && row.values == Array(matrixA.values[range]))
        }
    }

    @Test("a restored vectorizer transforms identically")
    func restore() throws {
        let original = try TfidfVectorizer(options: TfidfOptions(ngramRange: 1...2, sublinearTF: true)).fit(Self.corpus)
        let restored = try FittedTfidfVectorizer(options: original.options, terms: original.terms, idf: original.idf)
        let unseen = ["Spiking hardware for event cameras", "nothing known here", ""]
        #expect(restored.transform(unseen) == original.transform(unseen))
        #expect(restored.transform(Self.corpus) == original.transform(Self.corpus))
        #expect(original.transform(unseen).entryRange(ofRow: 1).isEmpty)
        #expect(original.transform([]).rowCount == 0)
    }

    @Test("restoring rejects inconsistent state")
    func restoreErrors() {
        #expect(throws: TfidfError.idfCountMismatch(terms: 2, idf: 1)) {
            try FittedTfidfVectorizer(options: TfidfOptions(), terms: ["aa", "bb"], idf: [1])
        }
        #expect(throws: TfidfError.duplicateTerm("aa", column: 1)) {
            try FittedTfidfVectorizer(options: TfidfOptions(), terms: ["aa", "aa"], idf: [1, 1])
        }
        #expect(throws: TfidfError.idfPresenceMismatch(useIDF: true)) {
            try FittedTfidfVectorizer(options: TfidfOptions(), terms: ["aa"], idf: nil)
        }
        // Two terms swapped would pair each with the other's weights; code point order puts "Z" before "a"
        // and "e" + U+0301 before "é".
        #expect(throws: TfidfError.unsortedTerms("aa", column: 2, previous: "bb")) {
            try FittedTfidfVectorizer(options: TfidfOptions(), terms: ["Zz", "bb", "aa"], idf: [1, 1, 1])
        }
        #expect(throws: Never.self) {
            try FittedTfidfVectorizer(options: TfidfOptions(), terms: ["Zz", "aa", "e\u{301}", "\u{E9}"], idf: [1, 1, 1, 1])
        }
        #expect(throws: TfidfError.invalidIDF(column: 0, value: .infinity)) {
            try FittedTfidfVectorizer(options: TfidfOptions(), terms: ["aa"], idf: [.infinity])
        }
    }

    @Test("fitting errors", arguments: [
        (TfidfOptions(), [String](), TfidfError.emptyDocumentList),
        (TfidfOptions(), ["a", "! ?"], .emptyVocabulary(documentCount: 2)),
        (TfidfOptions(minDF: .count(3), maxDF: .count(2)), corpus,
         .minDFExceedsMaxDF(minDF: .count(3), maxDF: .count(2), documentCount: 4)),
        (TfidfOptions(minDF: .count(4)), corpus, .noTermsRemain(minDF: .count(4), maxDF: .proportion(1), documentCount: 4)),
        (TfidfOptions(ngramRange: 0...1), corpus, .invalidNgramRange(0...1)),
        (TfidfOptions(maxDF: .proportion(1.5)), corpus, .invalidDocumentFrequency(option: "maxDF", .proportion(1.5))),
        (TfidfOptions(minDF: .count(0)), corpus, .invalidDocumentFrequency(option: "minDF", .count(0))),
        (TfidfOptions(maxFeatures: 0), corpus, .invalidMaxFeatures(0)),
    ])
    func fittingErrors(options: TfidfOptions, documents: [String], expected: TfidfError) {
        #expect(throws: expected) { try TfidfVectorizer(options: options).fit(documents) }
        #expect(!expected.description.isEmpty)
    }

    @Test("options round-trip through Codable")
    func optionsCodable() throws {
        let options = TfidfOptions(ngramRange: 1...3, minDF: .proportion(0.01), maxDF: .count(500), maxFeatures: 20_000, norm: .l1)
        let decoded = try JSONDecoder().decode(TfidfOptions.self, from: JSONEncoder().encode(options))
        #expect(decoded == options)
    }
}
