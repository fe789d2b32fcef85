import Foundation
import Glibc
import Testing
import TestSupport

/// A full disk, a closed descriptor or a reader that went away: a clear error or a quiet stop, never a crash.
@Suite("closed pipes and full disks")
struct StandardStreamTests {
    static let sampleFeed = SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml").path
    static let samplePapers = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl").path

    /// Runs the binary through `/bin/sh` with standard output redirected by `redirect` (e.g. `>/dev/full`),
    /// returning its status and what it wrote to standard error.
    static func runShell(_ arguments: [String], redirect: String) throws -> (status: Int32, stderr: String) {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let binary = try ProcessRunner.arxivDigestBinary().path
        let quoted = ([binary] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "\(quoted) \(redirect) 2>'\(scratch.path("err"))'"])
        return (result.status, (try? scratch.text("err")) ?? "")
    }

    @Test("a class name holding an escape sequence (learned with --labels auto) reaches standard error as symbols, never raw")
    func messagesAreTerminalSafe() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let hostile = "hw\u{1B}]0;pwned\u{7}"
        let relabelled = try JSONLines.sampleLines().map { line in
            var record = try JSONLines.object(line)
            record["label"] = record["label"] as? String == "hardware" ? hostile : "other"
            return try JSONLines.line(record)
        }
        try scratch.write("auto.jsonl", JSONLines.join(relabelled))
        let result = try CLI.run(["train", "--data", scratch.path("auto.jsonl"), "--labels", "auto", "--min-df", "1", "-o", scratch.path("m.model")])
        try #require(result.status == 0, CLI.describe(result))
        #expect(result.stderrText.contains("hw␛]0;pwned␇"), CLI.describe(result))
        #expect(!result.stderr.contains(0x1B) && !result.stderr.contains(0x07), CLI.describe(result))
        // Line breaks between messages stay.
        #expect(result.stderrText.split(separator: "\n").count >= 2, CLI.describe(result))
    }

    @Test("> /dev/full: an error naming standard output and the cause, exit 1", arguments: [
        ["digest", "--feed", sampleFeed, "--classifier", "keywords"], ["fetch", "--feed", sampleFeed],
        ["evaluate", "--data", samplePapers], ["classify", "--papers", samplePapers], ["--help"], ["train", "--help"],
        // One paper per batch: the batches after the first failed write must see it and stop.
        ["classify", "--papers", samplePapers, "--batch-size", "1"],
    ])
    func fullDisk(arguments: [String]) throws {
        let (status, stderr) = try Self.runShell(arguments, redirect: ">/dev/full")
        #expect(status == 1, "\(arguments): \(stderr)")
        #expect(stderr.contains("cannot write to standard output: No space left on device"), "\(arguments): \(stderr)")
    }

    @Test("closed standard output: an error, exit 1")
    func closedStandardOutput() throws {
        let (status, stderr) = try Self.runShell(["fetch", "--feed", Self.sampleFeed], redirect: ">&-")
        #expect(status == 1, "\(stderr)")
        #expect(stderr.contains("cannot write to standard output: Bad file descriptor"), "\(stderr)")
    }

    @Test("closed standard error: the work is done, exit 0; a failure still exits non-zero")
    func closedStandardError() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let binary = try ProcessRunner.arxivDigestBinary().path
        let ok = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "'\(binary)' fetch --feed '\(Self.sampleFeed)' -o '\(scratch.path("p.jsonl"))' 2>&-"])
        #expect(ok.status == 0)
        #expect(JSONLines.lines(of: try scratch.read("p.jsonl")).count == 6)  // the sample feed's six entries
        // Standard error closed and a file opened later: the output must not land on descriptor 2 (nor logs in it).
        let train = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "'\(binary)' train --data '\(Self.samplePapers)' -o '\(scratch.path("m.model"))' 2>&-"])
        #expect(train.status == 0)
        let model = try scratch.read("m.model")
        #expect(!String(decoding: model, as: UTF8.self).contains("labelled papers"), "log lines went into the model file")
        let failed = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "'\(binary)' fetch --feed /nonexistent.xml 2>&-"])
        #expect(failed.status == 1)
    }

    @Test("a reader that stops early (| head -c 10) with SIGPIPE ignored: a quiet stop with status 141")
    func brokenPipe() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // Far more than a pipe buffer (64 KiB): 2,000 papers as JSON Lines.
        let lines = try JSONLines.sampleLines()
        var text = ""
        for index in 0..<2_000 {
            var object = try JSONLines.object(lines[index % lines.count])
            object["id"] = "7777.\(10_000 + index)"
            text += try JSONLines.line(object) + "\n"
        }
        try scratch.write("big.jsonl", text)
        let binary = try ProcessRunner.arxivDigestBinary().path
        // The writer runs in a subshell that records its own status (POSIX sh has no PIPESTATUS).
        let posix = "trap '' PIPE; ( '\(binary)' fetch --papers '\(scratch.path("big.jsonl"))' 2>'\(scratch.path("err"))'; echo $? >'\(scratch.path("status"))' ) | head -c 10"
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", posix])
        #expect(result.stdout.count == 10)
        #expect(try scratch.text("status").trimmingCharacters(in: .whitespacesAndNewlines) == "141")
        let stderr = try scratch.text("err")
        #expect(stderr == "", "not quiet: \(stderr)")
    }
}
