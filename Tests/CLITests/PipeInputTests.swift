import Foundation
import Testing
import TestSupport

/// Inputs that are no regular file: a pipe from the shell (`<(…)`), standard input named as
/// `/dev/stdin`, a FIFO, `/dev/null`; and a folder given as a digest.
@Suite("pipes, FIFOs and devices as inputs")
struct PipeInputTests {
    static let sampleFeed = SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml").path
    static let seed = SharedData.url("seeds/digest-2026-02-03.md").path

    /// `arxiv-digest` run by bash with `command` (`$0` is the binary, `$1`… the further words).
    static func bash(_ command: String, _ words: [String] = [], input: Data? = nil) throws -> ProcessResult {
        try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"), ["-c", command, try ProcessRunner.arxivDigestBinary().path] + words,
                              input: input)
    }

    @Test("a feed from <(…), /dev/stdin or a FIFO reads as the file itself")
    func feedFromPipes() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let reference = try CLI.run(["fetch", "--feed", Self.sampleFeed])
        try #require(reference.status == 0, CLI.describe(reference))
        let substituted = try Self.bash(#""$0" fetch --feed <(cat "$1")"#, [Self.sampleFeed])
        #expect(substituted.status == 0, CLI.describe(substituted))
        #expect(substituted.stdout == reference.stdout)
        let stdin = try CLI.run(["fetch", "--feed", "/dev/stdin"], input: try Data(contentsOf: URL(fileURLWithPath: Self.sampleFeed)))
        #expect(stdin.status == 0, CLI.describe(stdin))
        #expect(stdin.stdout == reference.stdout)
        let fifo = scratch.path("feed.fifo")
        try #require(mkfifo(fifo, 0o600) == 0)
        let fromFIFO = try Self.bash(#"cat "$1" > "$2" & "$0" fetch --feed "$2"; status=$?; wait; exit $status"#, [Self.sampleFeed, fifo])
        #expect(fromFIFO.status == 0, CLI.describe(fromFIFO))
        #expect(fromFIFO.stdout == reference.stdout)
    }

    @Test("import-digest reads a digest from <(…) and /dev/stdin as from the file")
    func digestFromPipes() throws {
        let reference = try CLI.run(["import-digest", Self.seed])
        try #require(reference.status == 0, CLI.describe(reference))
        let substituted = try Self.bash(#""$0" import-digest <(cat "$1")"#, [Self.seed])
        #expect(substituted.status == 0, CLI.describe(substituted))
        #expect(substituted.stdout == reference.stdout)
        let stdin = try CLI.run(["import-digest", "/dev/stdin"], input: try Data(contentsOf: URL(fileURLWithPath: Self.seed)))
        #expect(stdin.status == 0, CLI.describe(stdin))
        #expect(stdin.stdout == reference.stdout)
    }

    @Test("/dev/null is an empty feed, and a folder given as the digest is named as a folder: no false permission error")
    func plainRefusals() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let empty = try CLI.run(["digest", "--feed", "/dev/null", "--run-time", "2026-11-25 08:00"])
        #expect(empty.status == 1)
        #expect(empty.stderrText == "Error: /dev/null: empty document\n", CLI.describe(empty))
        let folder = try CLI.run(["import-digest", scratch.folder.path])
        #expect(folder.status == 1)
        #expect(folder.stderrText == "Error: cannot read \(scratch.folder.path): it is a directory, not a file\n", CLI.describe(folder))
        for result in [empty, folder] {
            #expect(!result.stderrText.contains("permission") && !result.stderrText.contains("NSCocoaErrorDomain"))
        }
    }

    @Test("an endless device as the feed is refused at the feed's 64 MiB cap, and no output file appears")
    func endlessDevice() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let output = scratch.path("out.jsonl")
        let result = try CLI.run(["classify", "--feed", "/dev/zero", "-o", output])
        #expect(result.status == 1)
        #expect(result.stderrText == "Error: cannot read /dev/zero: more than 64 MiB, the limit for an Atom feed\n", CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("a feed file over the parser's 64 MiB is refused by its size, before it is read (a sparse 3 GiB file)", arguments: ["fetch", "classify"])
    func oversizedFeedFile(command: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let feed = try scratch.sparseFile("huge.xml", bytes: 3 << 30)
        let result = try CLI.run([command, "--feed", feed])
        #expect(result.status == 1)
        #expect(result.stderrText == "Error: cannot read \(feed): it is \(3 << 30) bytes, over the 64 MiB limit for an Atom feed\n", CLI.describe(result))
    }

    @Test("a digest or answers file over 64 MiB is refused by its size before it is read (a sparse 1 GiB file)", arguments: ["import-digest", "label"])
    func oversizedTextFile(command: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.sparseFile("huge.md", bytes: 1 << 30)
        let arguments = command == "import-digest" ? [command, file]
            : [command, "--papers", InputRulesTests.samplePapers, "--library", scratch.path("lib.sqlite"), "--from", file]
        let result = try CLI.run(arguments)
        #expect(result.status == 1)
        #expect(result.stderrText.contains("cannot read \(file): it is \(1 << 30) bytes, over the 64 MiB limit for a digest or answers file"), CLI.describe(result))
    }

    @Test("classify -o FILE < FILE is refused before any work: standard input is that file")
    func classifyOntoStandardInput() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let papers = try scratch.write("papers.jsonl", try Data(contentsOf: URL(fileURLWithPath: InputRulesTests.samplePapers)))
        let before = try Data(contentsOf: papers)
        let result = try Self.bash(#"exec "$0" classify --model "$1" -o "$2" < "$2""#, [try TrainedModels.sample().path, papers.path])
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains("--output \(papers.path) is the input standard input /dev/stdin: writing it would destroy that input"), CLI.describe(result))
        #expect(try Data(contentsOf: papers) == before)
    }

    @Test("no papers in the input (an upstream step failed): classify keeps the existing output file; --allow-empty writes an empty one")
    func classifyEmptyInputKeepsOutput() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let output = try scratch.write("out.jsonl", goodContent)
        let model = try TrainedModels.sample().path
        let refused = try CLI.run(["classify", "--model", model, "-o", output.path], input: Data())
        #expect(refused.status == 1)
        #expect(refused.stderrText == "Error: no papers in the input; nothing is written and \(output.path) is kept as it was (--allow-empty writes an empty file)\n", CLI.describe(refused))
        #expect(try scratch.text("out.jsonl") == goodContent)
        #expect(try scratch.listing() == ["out.jsonl"])
        // To standard output an empty input is an empty output, as for any filter.
        let filtered = try CLI.run(["classify", "--model", model], input: Data())
        #expect(filtered.status == 0 && filtered.stdout.isEmpty, CLI.describe(filtered))
        let allowed = try CLI.run(["classify", "--model", model, "-o", output.path, "--allow-empty"], input: Data())
        #expect(allowed.status == 0, CLI.describe(allowed))
        #expect(try scratch.text("out.jsonl") == "")
    }
}
