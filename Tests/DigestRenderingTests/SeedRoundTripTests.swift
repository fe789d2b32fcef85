import ArxivFeed
import Classifiers
import DigestRendering
import Foundation
import Testing
import TestSupport

/// The two real digests of the original script: import them, classify and render again.
@Suite("Seed digests round trip")
struct SeedRoundTripTests {
    static let seeds: [(file: String, runTime: String)] = [
        ("seeds/digest-2026-02-03.md", "2026-02-03 08:36"),
        ("seeds/digest-2026-02-11.md", "2026-02-11 08:48"),
    ]

    @Test("keyword labels + renderer reproduce the seed byte for byte", arguments: seeds)
    func keywordRenderMatchesSeed(seed: (file: String, runTime: String)) throws {
        let bytes = try SharedData.data(seed.file)
        let digest = try DigestImporter.parse(data: bytes, file: seed.file, layout: .shipped)
        #expect(digest.papers.count == 30)
        #expect(digest.runTime == seed.runTime)
        let classifier = ShippedProfile.keywordRules
        let labels = digest.papers.map { classifier.classify(title: $0.title, abstract: $0.abstract) }
        let rendered = try DigestRenderer.render(papers: digest.papers, labels: labels, runTime: seed.runTime, layout: .shipped)
        #expect(Data(rendered.utf8) == bytes)
    }

    @Test("the keyword classifier puts every paper in the seed's section", arguments: seeds)
    func keywordLabelsMatchSections(seed: (file: String, runTime: String)) throws {
        let digest = try DigestImporter.importDigest(contentsOf: SharedData.url(seed.file), layout: .shipped)
        let classifier = ShippedProfile.keywordRules
        for paper in digest.papers {
            #expect(classifier.classify(text: paper.classifierText) == paper.label, "\(paper.id)")
        }
    }

    @Test("the imported labels alone reproduce the seed", arguments: seeds)
    func importedLabelsRenderSeed(seed: (file: String, runTime: String)) throws {
        let bytes = try SharedData.data(seed.file)
        let digest = try DigestImporter.parse(data: bytes, file: seed.file, layout: .shipped)
        #expect(Data(try DigestRenderer.render(papers: digest.papers, runTime: digest.runTime, layout: .shipped).utf8) == bytes)
    }

    @Test("imported fields: id without version, url, date, authors, truncation")
    func importedFields() throws {
        let digest = try DigestImporter.importDigest(contentsOf: SharedData.url(Self.seeds[0].file), layout: .shipped)
        let first = try #require(digest.papers.first)
        #expect(first.id == "2602.01874")
        #expect(first.url == "http://arxiv.org/abs/2602.01874v1")
        #expect(first.published == "2026-02-02")
        #expect(first.authors == ["Badsha Sekh", "Hasibur Rahaman", "Ravi Shankar Verma"])
        #expect(first.authorsTruncated == true)
        #expect(first.label == "hardware")
        #expect(first.abstract.hasPrefix("Spintronic artificial neurons"))
        let labels = Set(digest.papers.compactMap(\.label))
        #expect(labels == Set(DigestLayout.shipped.labels))
    }
}
