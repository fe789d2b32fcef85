import Foundation
import LinearAlgebra
import TestSupport
import Testing
import TextFeatures

/// TF-IDF against scikit-learn 1.9.1's TfidfVectorizer on real abstracts: identical vocabulary and
/// columns, idf within 1e-9, identical sparsity pattern and values within 1e-9.
@Suite("TF-IDF parity with scikit-learn")
struct TfidfParityTests {
    static let settings: [(name: String, options: TfidfOptions)] = [
        ("unigrams", TfidfOptions()),
        ("bigrams_sublinear_min2", TfidfOptions(ngramRange: 1...2, minDF: .count(2), sublinearTF: true)),
        ("maxdf05_min3", TfidfOptions(minDF: .count(3), maxDF: .proportion(0.5))),
    ]

    static let topicsExtraSettings: [(name: String, options: TfidfOptions)] = [
        ("maxfeatures100", TfidfOptions(maxFeatures: 100)),
        ("noidf_l1_sublinear", TfidfOptions(sublinearTF: true, useIDF: false, norm: .l1)),
        ("rawidf_nonorm_cased_bigrams_max300",
         TfidfOptions(ngramRange: 1...2, maxFeatures: 300, smoothIDF: false, norm: .none, lowercase: false)),
        ("bigrams_trigrams_proportions", TfidfOptions(ngramRange: 2...3, minDF: .proportion(0.01), maxDF: .proportion(0.9))),
        ("stopwords_english", { var o = TfidfOptions(); o.stopWords = .english; return o }()),
        ("stopwords_english_bigrams_sublinear_min2",
         { var o = TfidfOptions(ngramRange: 1...2, minDF: .count(2), sublinearTF: true); o.stopWords = .english; return o }()),
    ]

    struct Reference {
        let folder: URL
        let texts: [String]
    }

    /// Runs the reference script once per dataset (all settings) into a temporary folder.
    static func reference(_ dataset: String, limit: Int) throws -> Reference {
        let folder = try SharedData.temporaryDirectory()
        let result = try ProcessRunner.python(
            "Tests/TextFeaturesTests/Scripts/tfidf_reference.py",
            [dataset, "\(limit)", SharedData.root.path, folder.path])
        try #require(result.status == 0, "tfidf_reference.py failed: \(result.stderrText)")
        #expect(result.stdoutText.contains("\"sklearn\": \"1.9.1\""))
        let texts = try JSONDecoder().decode([String].self, from: Data(contentsOf: folder.appendingPathComponent("texts.json")))
        return Reference(folder: folder, texts: texts)
    }

    static let topics = Result { try reference("topics", limit: 0) }
    static let arxiv = Result { try reference("arxiv", limit: 5_000) }

    @Test("topics/train.jsonl", arguments: (settings + topicsExtraSettings).indices)
    func topicsParity(setting: Int) throws {
        let reference = try Self.topics.get()
        #expect(reference.texts.count == 1_571)
        try Self.check(reference, setting: (Self.settings + Self.topicsExtraSettings)[setting])
    }

    @Test("first 5,000 rows of arxiv-categories", arguments: settings.indices)
    func arxivParity(setting: Int) throws {
        let reference = try Self.arxiv.get()
        #expect(reference.texts.count == 5_000)
        try Self.check(reference, setting: Self.settings[setting])
    }

    static func check(_ reference: Reference, setting: (name: String, options: TfidfOptions)) throws {
        let folder = reference.folder.appendingPathComponent(setting.name)
        let expectedTerms = try JSONDecoder().decode([String].self, from: Data(contentsOf: folder.appendingPathComponent("terms.json")))
        let indptr = try readArray(folder.appendingPathComponent("indptr.i64"), as: Int64.self)
        let indices = try readArray(folder.appendingPathComponent("indices.i32"), as: Int32.self)
        let data = try readDoubles(folder.appendingPathComponent("data.f64"))

        let (vectorizer, matrix) = try TfidfVectorizer(options: setting.options).fitTransform(reference.texts)

        // Vocabulary: same terms, scalar for scalar, in the same columns.
        let terms = vectorizer.terms
        #expect(terms.count == expectedTerms.count)
        let termMismatch = terms.indices.first {
            $0 >= expectedTerms.count || !terms[$0].unicodeScalars.elementsEqual(expectedTerms[$0].unicodeScalars)
        }
        #expect(termMismatch == nil, "first differing column: \(termMismatch.map { "\($0): \(terms[$0])" } ?? "")")

        if setting.options.useIDF {
            let expectedIDF = try readDoubles(folder.appendingPathComponent("idf.f64"))
            let idf = try #require(vectorizer.idf)
            #expect(idf.count == expectedIDF.count)
            #expect(zip(idf, expectedIDF).allSatisfy { abs($0 - $1) <= 1e-9 })
        } else {
            #expect(vectorizer.idf == nil)
        }

        #expect(matrix.rowCount == reference.texts.count)
        #expect(matrix.columnCount == expectedTerms.count)
        #expect(matrix.rowOffsets == indptr.map(Int.init))
        #expect(matrix.columns == indices)
        #expect(matrix.values.count == data.count)
        let worst = zip(matrix.values, data).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-9, "largest value difference \(worst)")

        // transform on the fitted vectorizer gives the same matrix as fitTransform.
        let sample = Array(reference.texts.prefix(300))
        let transformed = vectorizer.transform(sample)
        #expect(transformed.rowOffsets == Array(matrix.rowOffsets.prefix(301)))
        #expect(transformed.columns == Array(matrix.columns.prefix(matrix.rowOffsets[300])))
        #expect(transformed.values == Array(matrix.values.prefix(matrix.rowOffsets[300])))
    }
}
