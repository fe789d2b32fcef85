import DigestProfile
import Foundation
import Testing
import TestSupport

@Suite("init")
struct InitTests {
    static let arguments = [
        "--name", "brain devices", "--section", "devices:⚙️ Devices", "--section", "theory:📐 Theory",
        "--section", "other:🗂 Everything else", "--query", #"all:memristor OR all:"neuron model""#,
    ]

    @Test("init writes a profile that loads, prints the next commands, and they work")
    func starterProfile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = scratch.path("field")
        let result = try CLI.run(["init", folder] + Self.arguments)
        try #require(result.status == 0, CLI.describe(result))
        let profile = try DigestProfile.load(from: scratch.url("field/profile.toml"))
        #expect(profile.name == "brain devices")
        #expect(profile.labels == SecondProfile.labels)
        #expect(profile.sections.map(\.heading) == SecondProfile.headings)
        #expect(profile.fallback == "other")
        #expect(profile.query.search == #"all:memristor OR all:"neuron model""#)
        #expect(!profile.hasKeywordRules)
        #expect(profile.modelURL == scratch.url("field/topics.model").standardizedFileURL)
        for step in ["fetch --profile \(folder)/profile.toml", "train --profile \(folder)/profile.toml",
                     "evaluate --profile \(folder)/profile.toml", "digest --profile \(folder)/profile.toml"] {
            #expect(result.stdoutText.contains(step), "\(step) not in:\n\(result.stdoutText)")
        }

        // The printed train step writes the profile's model; digest then uses it.
        try SecondProfile.write(into: scratch)
        let trained = try CLI.run(["train", "--profile", "\(folder)/profile.toml", "--data", scratch.path("labelled.jsonl")])
        try #require(trained.status == 0, CLI.describe(trained))
        #expect(FileManager.default.fileExists(atPath: scratch.path("field/topics.model")))
        let digest = try CLI.run(["digest", "--profile", "\(folder)/profile.toml", "--papers", scratch.path("some.jsonl"), "--run-time", "2026-12-01 09:00"])
        try #require(digest.status == 0, CLI.describe(digest))
        #expect(digest.stdoutText.hasPrefix("# brain devices - Daily ArXiv\n"))
        // No keyword rules yet: evaluate leaves the baseline out, and --classifier keywords says why it cannot run.
        let evaluated = try CLI.run(["evaluate", "--profile", "\(folder)/profile.toml", "--data", scratch.path("some.jsonl")])
        try #require(evaluated.status == 0, CLI.describe(evaluated))
        #expect(!evaluated.stdoutText.contains("keywords"))
        let keywords = try CLI.run(["digest", "--profile", "\(folder)/profile.toml", "--papers", scratch.path("some.jsonl"), "--classifier", "keywords"])
        #expect(keywords.status != 0)
        #expect(keywords.stderrText.contains("no section has keywords"), CLI.describe(keywords))
    }

    @Test("init refuses to replace a profile, a bad label, and fewer than two sections")
    func refusals() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(at: scratch.url("field"), withIntermediateDirectories: true)
        try scratch.write("field/profile.toml", goodContent)
        let exists = try CLI.run(["init", scratch.path("field")] + Self.arguments)
        #expect(exists.status != 0)
        #expect(exists.stderrText.contains("exists"), CLI.describe(exists))
        #expect(try scratch.text("field/profile.toml") == goodContent)

        let badLabel = try CLI.run(["init", scratch.path("other"), "--name", "x", "--section", "a b:A", "--section", "c:C", "--query", "all:x"])
        #expect(badLabel.status != 0)
        #expect(badLabel.stderrText.contains("sections[1].label"), CLI.describe(badLabel))
        // off-topic is the built-in class of papers a digest leaves out; a section of that name made train trap.
        let reserved = try CLI.run(["init", scratch.path("other"), "--name", "x", "--section", "off-topic:Off", "--section", "c:C", "--query", "all:x"])
        #expect(reserved.status == 1)
        #expect(reserved.stderrText.contains("sections[1].label") && reserved.stderrText.contains("reserved"), CLI.describe(reserved))
        let oneSection = try CLI.run(["init", scratch.path("other"), "--name", "x", "--section", "a:A", "--query", "all:x"])
        #expect(oneSection.status != 0)
        #expect(oneSection.stderrText.contains("at least two sections"), CLI.describe(oneSection))
        let noColon = try CLI.run(["init", scratch.path("other"), "--name", "x", "--section", "a", "--section", "c:C", "--query", "all:x"])
        #expect(noColon.status != 0)
        #expect(noColon.stderrText.contains("label:Heading"), CLI.describe(noColon))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("other")))
    }

    @Test("the starter text escapes quotes, backslashes and control characters, and reads back")
    func escaping() throws {
        let text = DigestProfile.starterText(name: #"a "b" \c"#, query: "x\ty", sections: [("a", "A \"1\""), ("b", "B\\2")], fallback: "b")
        let profile = try DigestProfile.parse(text, file: URL(fileURLWithPath: "/tmp/p.toml"))
        #expect(profile.name == #"a "b" \c"#)
        #expect(profile.query.search == "x\ty")
        #expect(profile.sections.map(\.heading) == ["A \"1\"", "B\\2"])
    }
}
