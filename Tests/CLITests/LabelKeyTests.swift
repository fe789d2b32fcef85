import Foundation
import Testing
import TestSupport

/// The keys of `label` for profiles whose sections do not fit "digit or first letter", and how a
/// piped line is read.
@Suite("label keys")
struct LabelKeyTests {
    /// A profile with `sections` (the last is the fallback) and a model trained on the sample
    /// records relabelled into its first and last sections, so the model fits the profile.
    static func profile(sections: [String], in scratch: Scratch) throws -> (profile: String, model: String) {
        let relabelled = try JSONLines.sampleLines().map { line -> String in
            var object = try JSONLines.object(line)
            object["label"] = object["label"] as? String == "hardware" ? sections[0] : sections.last!
            return try JSONLines.line(object)
        }
        try scratch.write("relabelled.jsonl", JSONLines.join(relabelled))
        let trained = try CLI.run(["train", "--data", scratch.path("relabelled.jsonl"), "--labels", "auto", "--output", scratch.path("keys.model")])
        try #require(trained.status == 0, CLI.describe(trained))
        var text = """
            name = "keys"
            model = "keys.model"
            fallback = "\(sections.last!)"

            [page]
            title = "keys"
            intro = "Keys."

            [query]
            search = "all:x"
            max_results = 5

            """
        for label in sections { text += "\n[[sections]]\nlabel = \"\(label)\"\nheading = \"H \(label)\"\nkeywords = []\n" }
        try scratch.write("profile.toml", text)
        return (scratch.path("profile.toml"), scratch.path("keys.model"))
    }

    static func label(_ keys: String, profile: (profile: String, model: String), library: String) throws -> ProcessResult {
        try CLI.run(["label", "--profile", profile.profile, "--feed", LoopData.sampleFeed.path, "--library", library, "--count", "3"],
                    input: Data(keys.utf8))
    }

    @Test("twelve sections sharing a first letter: sections 10-12 get free letters of their labels; a line longer than one key is unknown")
    func twelveSections() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let sections = "abcdefghijkl".map { "sec\($0)" }
        let profile = try Self.profile(sections: sections, in: scratch)
        let run = try Self.label("10\n4x\ne\nc\nl\n", profile: profile, library: scratch.path("lib.sqlite"))
        try #require(run.status == 0, CLI.describe(run))
        let entries = (1...9).map { "\($0) sec\(Array("abcdefghi")[$0 - 1])" } + ["e secj", "c seck", "l secl", "o off-topic", "s skip", "u undo", "q quit"]
        // Wrapped to the terminal, 80 columns when the output is not one; an entry is never split.
        var lines = [""]
        for entry in entries {
            if !lines[lines.count - 1].isEmpty, lines[lines.count - 1].count + 2 + entry.count > 80 { lines.append("") }
            lines[lines.count - 1] += (lines[lines.count - 1].isEmpty ? "" : "  ") + entry
        }
        #expect(lines.count == 2)
        #expect(run.stdoutText.contains(lines.joined(separator: "\n")), "\(run.stdoutText.suffix(400))")
        #expect(run.stdoutText.contains("Unknown key \"10\"."))
        #expect(run.stdoutText.contains("Unknown key \"4x\"."))
        #expect(occurrences(of: "labelled ", in: run.stderrText) == 3)
        #expect(try ReviewLabelTests.exportedLabels(scratch.path("lib.sqlite")).map { String($0.split(separator: "=")[1]) }.sorted() == ["seck", "secl", "secj"].sorted())
    }

    @Test("a section whose label starts with a digit gets no digit shortcut: 3 is the third section, as the legend says")
    func digitLabel() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let profile = try Self.profile(sections: ["alpha", "beta", "gamma", "delta", "3d"], in: scratch)
        let run = try Self.label("3\n5\nq\n", profile: profile, library: scratch.path("lib.sqlite"))
        try #require(run.status == 0, CLI.describe(run))
        #expect(run.stdoutText.contains("1 alpha  2 beta  3 gamma  4 delta  5 3d  a alpha  b beta  g gamma  d delta\no off-topic  s skip  u undo  q quit"),
                "\(run.stdoutText.suffix(400))")
        #expect(!run.stdoutText.contains("3 3d"))
        let labelled = run.stderrText.split(separator: "\n").filter { $0.hasPrefix("labelled ") }.map { String($0.split(separator: " ").last!) }
        #expect(labelled == ["gamma", "3d"])
    }

    @Test("more sections than keys: label refuses and points at --from")
    func tooManySections() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let profile = try Self.profile(sections: (1...32).map { "s\($0)" }, in: scratch)
        let run = try Self.label("q\n", profile: profile, library: scratch.path("lib.sqlite"))
        #expect(run.status != 0)
        #expect(run.stderrText.contains("32 sections, more than label has keys for"), CLI.describe(run))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("lib.sqlite")))
    }
}
