import Foundation
import Testing
import TestSupport

/// The README's "Use as a library" example is `LibraryExample.swift`, compiled and run here.
@Suite("the README's library example")
struct LibraryExampleTests {
    static let exampleFile = SharedData.packageRoot.appendingPathComponent("Tests/LibraryExampleTests/LibraryExample.swift")

    @Test("it classifies a paper with Models/topics.model")
    func classifiesAPaper() throws {
        let (label, probabilities) = try classify(modelFile: SharedData.packageRoot.appendingPathComponent("Models/topics.model"))
        #expect(label == "hardware")
        #expect(Set(probabilities.keys) == ["hardware", "algorithms", "applications", "general"])
        #expect(abs(probabilities.values.reduce(0, +) - 1) < 1e-9)
        #expect(probabilities["hardware"] == probabilities.values.max())
    }

    @Test("it renders the same page as `arxiv-digest digest` for the sample feed")
    func rendersTheDigest() throws {
        let root = SharedData.packageRoot
        let page = try digestPage(profileFile: root.appendingPathComponent("Models/open-neuromorphic.toml"),
                                  atomFile: root.appendingPathComponent("Datasets/samples/sample-feed.xml"), runTime: "2026-11-25 08:00")
        let cli = try ProcessRunner.run(try ProcessRunner.arxivDigestBinary(),
                                        ["digest", "--feed", root.appendingPathComponent("Datasets/samples/sample-feed.xml").path,
                                         "--run-time", "2026-11-25 08:00"])
        try #require(cli.status == 0, "\(cli.stderrText)")
        #expect(Data(page.utf8) == cli.stdout)
    }

    @Test("the README shows exactly this file")
    func readmeMatchesFile() throws {
        let readme = try String(contentsOf: SharedData.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let marker = "<!-- Tests/LibraryExampleTests/LibraryExample.swift -->\n```swift\n"
        let start = try #require(readme.range(of: marker), "README has no library example block")
        let end = try #require(readme.range(of: "```\n", range: start.upperBound..<readme.endIndex))
        let shown = String(readme[start.upperBound..<end.lowerBound])
        #expect(shown == (try String(contentsOf: Self.exampleFile, encoding: .utf8)))
    }
}
