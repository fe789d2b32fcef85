import Foundation
import Testing
import TestSupport

/// `bash .ci/install PREFIX --binary <the built binary>`, then the installed command run from a
/// folder outside the checkout: it finds the shipped profile and model in PREFIX/share/arxiv-digest.
@Suite("installed command (.ci/install)")
struct InstallTests {
    static let feed = SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml").path

    /// Runs `bash .ci/install ARGUMENTS` from `folder` (by default the test's own).
    static func runInstall(_ arguments: [String], in folder: URL? = nil) throws -> ProcessResult {
        guard let bash = ProcessRunner.which("bash") else { throw ProcessRunner.MissingProgram(name: "bash") }
        let script = SharedData.packageRoot.appendingPathComponent(".ci/install").path
        return try ProcessRunner.run(bash, [script] + arguments, currentDirectory: folder)
    }

    /// Installs into `scratch/prefix` and returns the installed program.
    static func install(into scratch: Scratch) throws -> URL {
        let result = try runInstall([scratch.path("prefix"), "--binary", try ProcessRunner.arxivDigestBinary().path])
        try #require(result.status == 0, "install: \(result.stderrText)")
        return scratch.url("prefix/bin/arxiv-digest")
    }

    @Test("installs the program, profile and model; from another folder it gives the checkout's digest")
    func installedDigest() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let program = try Self.install(into: scratch)
        #expect(try scratch.listing() == ["prefix"])
        let share = try FileManager.default.contentsOfDirectory(atPath: scratch.path("prefix/share/arxiv-digest")).sorted()
        #expect(share == ["open-neuromorphic.toml", "topics-tfidf.model", "topics.model"])
        let elsewhere = scratch.url("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let arguments = ["digest", "--feed", Self.feed, "--run-time", "2026-11-25 08:00"]
        let installed = try ProcessRunner.run(program, arguments, currentDirectory: elsewhere)
        let checkout = try CLI.run(arguments)
        try #require(installed.status == 0, CLI.describe(installed))
        #expect(installed.stdout == checkout.stdout)
        let html = try ProcessRunner.run(program, arguments + ["--format", "html"], currentDirectory: elsewhere)
        #expect(html.status == 0 && html.stdoutText.hasPrefix("<!DOCTYPE html>"))
        // Installing again replaces the files in place.
        _ = try Self.install(into: scratch)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path("prefix/share/arxiv-digest")).sorted() == share)
    }

    @Test("a relative PREFIX and --binary are read from the caller's folder, not the checkout")
    func relativePaths() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(at: scratch.url("work/bin"), withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: scratch.path("work/bin/mybin"),
                                                contents: try Data(contentsOf: ProcessRunner.arxivDigestBinary())))
        #expect(chmod(scratch.path("work/bin/mybin"), 0o755) == 0)
        let result = try Self.runInstall(["../prefix", "--binary", "./bin/mybin"], in: scratch.url("work"))
        try #require(result.status == 0, "install: \(result.stderrText)")
        let installed = try ProcessRunner.run(scratch.url("prefix/bin/arxiv-digest"), ["--help"])
        #expect(installed.status == 0, CLI.describe(installed))
        #expect(!FileManager.default.fileExists(atPath: SharedData.packageRoot.appendingPathComponent("../prefix").path))
    }

    @Test("--model and --profile still override the installed ones")
    func overrides() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let program = try Self.install(into: scratch)
        let missing = try ProcessRunner.run(program, ["digest", "--feed", Self.feed, "--model", scratch.path("nope.model")],
                                            currentDirectory: scratch.folder)
        #expect(missing.status != 0)
        #expect(missing.stderrText.contains(scratch.path("nope.model")), CLI.describe(missing))
        var profile = try String(contentsOfFile: scratch.path("prefix/share/arxiv-digest/open-neuromorphic.toml"), encoding: .utf8)
        profile = profile.replacingOccurrences(of: "🧠 Open Neuromorphic - Daily ArXiv", with: "Installed override")
        try scratch.write("prefix/share/arxiv-digest/other.toml", profile)
        let other = try ProcessRunner.run(program, ["digest", "--feed", Self.feed, "--profile", scratch.path("prefix/share/arxiv-digest/other.toml")],
                                          currentDirectory: scratch.folder)
        try #require(other.status == 0, CLI.describe(other))
        #expect(other.stdoutText.hasPrefix("# Installed override\n"))
    }

    @Test("a bad call names what is wrong and installs nothing")
    func badCall() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let noPrefix = try Self.runInstall([])
        #expect(noPrefix.status == 2 && noPrefix.stderrText.contains("usage: bash .ci/install PREFIX"))
        let badBinary = try Self.runInstall([scratch.path("prefix"), "--binary", scratch.path("missing")])
        #expect(badBinary.status != 0 && badBinary.stderrText.contains("is not an executable"))
        #expect(try scratch.listing().isEmpty)
    }
}
