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
        #expect(badLabel.stderrText.contains("--section 1 (its label): \"a b\" must be one word"), CLI.describe(badLabel))
        let emptyHeading = try CLI.run(["init", scratch.path("other"), "--name", "x", "--section", "a:", "--section", "c:C", "--query", "all:x"])
        #expect(emptyHeading.stderrText.contains("--section 1 (its heading): must not be empty"), CLI.describe(emptyHeading))
        // off-topic is the built-in class of papers a digest leaves out; a section of that name made train trap.
        let reserved = try CLI.run(["init", scratch.path("other"), "--name", "x", "--section", "off-topic:Off", "--section", "c:C", "--query", "all:x"])
        #expect(reserved.status == 1)
        #expect(reserved.stderrText.contains("--section 1") && reserved.stderrText.contains("reserved"), CLI.describe(reserved))
        let oneSection = try CLI.run(["init", scratch.path("other"), "--name", "x", "--section", "a:A", "--query", "all:x"])
        #expect(oneSection.status != 0)
        #expect(oneSection.stderrText.contains("at least two sections"), CLI.describe(oneSection))
        let noColon = try CLI.run(["init", scratch.path("other"), "--name", "x", "--section", "a", "--section", "c:C", "--query", "all:x"])
        #expect(noColon.status != 0)
        #expect(noColon.stderrText.contains("label:Heading"), CLI.describe(noColon))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("other")))
    }

    @Test("init refuses a folder that holds another digest's model or library (training would replace that model)",
          arguments: ["topics.model", "library.sqlite"])
    func otherDigestsFiles(name: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(at: scratch.url("field"), withIntermediateDirectories: true)
        try scratch.write("field/\(name)", goodContent)
        let result = try CLI.run(["init", scratch.path("field")] + Self.arguments)
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains("\(scratch.path("field/\(name)")) exists") && result.stderrText.contains("another digest"),
                CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("field/profile.toml")))
        #expect(try scratch.text("field/\(name)") == goodContent)
    }

    @Test("the printed train and evaluate steps, pasted into a shell, work for a folder whose name has a space and a quote")
    func stepsRunAsPrinted() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = scratch.path("Lab's digest")
        let result = try CLI.run(["init", folder] + Self.arguments)
        try #require(result.status == 0, CLI.describe(result))
        // What step 2 asks for: labelled papers, four fifths to train on and the rest held out.
        try SecondProfile.write(into: scratch)
        let labelled = JSONLines.lines(of: try Data(contentsOf: scratch.url("labelled.jsonl")))
        try Data(JSONLines.join(Array(labelled.prefix(240))).utf8).write(to: scratch.url("Lab's digest/labelled.jsonl"))
        try Data(JSONLines.join(Array(labelled.dropFirst(240))).utf8).write(to: scratch.url("Lab's digest/held-out.jsonl"))
        let binary = try ProcessRunner.arxivDigestBinary()
        let environment = ["PATH": binary.deletingLastPathComponent().path + ":/usr/bin:/bin", "HOME": scratch.folder.path]
        for verb in ["train", "evaluate"] {
            let line = try #require(result.stdoutText.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("arxiv-digest \(verb) ") })
            let run = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", String(line)], environment: environment)
            #expect(run.status == 0, "\(line): \(CLI.describe(run))")
        }
        #expect(FileManager.default.fileExists(atPath: scratch.path("Lab's digest/topics.model")))
    }

    @Test("init given a file instead of a folder says so, naming it; the file is kept")
    func fileAsFolder() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("afile", goodContent)
        for (target, message) in [(scratch.path("afile"), "Error: \(scratch.path("afile")) is a file, not a folder"),
                                  (scratch.path("afile/sub"), "Error: cannot create the folder \(scratch.path("afile/sub")): \(scratch.path("afile")) is a file, not a folder")] {
            let result = try CLI.run(["init", target] + Self.arguments)
            #expect(result.status == 1)
            #expect(result.stderrText.hasPrefix(message), CLI.describe(result))
            #expect(!result.stderrText.contains("NSCocoaErrorDomain") && !result.stderrText.contains("Code="), CLI.describe(result))
        }
        #expect(try scratch.text("afile") == goodContent)
    }

    @Test("a --name or heading with a line break or control character is refused by option, before anything is written",
          arguments: [("--name", "two\nlines", "--name must be one line"), ("--name", "carriage\rreturn", "--name must be one line"),
                      ("--name", "bell\u{7}", "--name must be text without control characters"),
                      ("--name", "c1\u{85}", "--name must be text without control characters"), ("--name", "del\u{7F}", "--name must be text without control characters"),
                      ("--section", "a:two\nlines", "--section 1: the heading must be one line")])
    func oneLineNames(option: String, value: String, message: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var arguments = ["init", scratch.path("field"), "--name", "n", "--section", "a:A", "--section", "b:B", "--query", "all:x"]
        arguments[arguments.firstIndex(of: option)! + 1] = value
        let result = try CLI.run(arguments)
        #expect(result.status == 64, CLI.describe(result))
        #expect(result.stderrText.hasPrefix("Error: \(message)"), CLI.describe(result))
        #expect(!result.stderrText.contains("cannot make that profile"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("field")))
    }

    @Test("init --help: the description is prose without stray backslashes (only the example's shell line ends keep theirs)")
    func helpText() throws {
        let help = try CLI.run(["init", "--help"])
        try #require(help.status == 0, CLI.describe(help))
        let prose = try #require(help.stdoutText.components(separatedBy: "Example:").first)
        #expect(prose.contains("Writes DIR/profile.toml"), "\(prose)")
        #expect(!prose.contains("\\"), "\(prose)")
    }

    @Test("the starter text escapes quotes, backslashes and control characters, and reads back")
    func escaping() throws {
        let text = DigestProfile.starterText(name: #"a "b" \c"#, query: "x\ty", sections: [("a", "A \"1\""), ("b", "B\\2")], fallback: "b")
        let profile = try DigestProfile.parse(text, file: URL(fileURLWithPath: "/tmp/p.toml"))
        #expect(profile.name == #"a "b" \c"#)
        #expect(profile.query.search == "x\ty")
        #expect(profile.sections.map(\.heading) == ["A \"1\"", "B\\2"])
    }

    @Test("label on a new field before its first model says how to go on: labels from an answers file, then train")
    func labelBeforeTheFirstModel() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = scratch.path("field")
        try #require(try CLI.run(["init", folder] + Self.arguments).status == 0)
        let result = try CLI.run(["label", "--profile", folder + "/profile.toml", "--papers", InputRulesTests.samplePapers], input: Data())
        #expect(result.status == 1)
        #expect(result.stderrText.contains("label picks and ranks papers with the profile's model, \(folder)/topics.model, which does not exist yet"),
                CLI.describe(result))
        #expect(result.stderrText.contains("--from answers.tsv") && result.stderrText.contains("arxiv-digest train --profile"), CLI.describe(result))
    }
}
