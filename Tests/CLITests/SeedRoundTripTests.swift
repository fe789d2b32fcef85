import Foundation
import Testing
import TestSupport

/// The done-when: import a real digest, render it again with the keyword rules and the same run time,
/// and get the same bytes.
@Suite("seed digests round-trip through the CLI")
struct SeedRoundTripTests {
    @Test("import-digest then digest --classifier keywords reproduces the seed byte for byte", arguments: [
        ("digest-2026-02-03.md", "2026-02-03 08:36"),
        ("digest-2026-02-11.md", "2026-02-11 08:48"),
    ])
    func roundTrip(seed: String, runTime: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let seedURL = SharedData.url("seeds/\(seed)")

        let imported = try CLI.run(["import-digest", seedURL.path, "--output", scratch.path("p.jsonl")])
        try #require(imported.status == 0, CLI.describe(imported))
        #expect(JSONLines.lines(of: try scratch.read("p.jsonl")).count == 30)

        let rendered = try CLI.run([
            "digest", "--papers", scratch.path("p.jsonl"), "--classifier", "keywords",
            "--run-time", runTime, "--output", scratch.path("d.md"),
        ])
        try #require(rendered.status == 0, CLI.describe(rendered))
        let expected = try Data(contentsOf: seedURL)
        let actual = try scratch.read("d.md")
        #expect(actual == expected, "digest differs from \(seed) (\(actual.count) vs \(expected.count) bytes)")
    }
}
