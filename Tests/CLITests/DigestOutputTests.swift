import Foundation
import Testing
import TestSupport

/// Where `digest` writes and when it records: every output (`--output` or the profile's `[outputs]`) is
/// checked before any work against every input and against the others, all are written together, and the
/// library records the run only once they are written.
@Suite("digest outputs and the library")
struct DigestOutputTests {
    static let sampleFeed = SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml").path
    static let runTime = "2026-11-25 08:00"
    static let keywords = ["digest", "--classifier", "keywords", "--run-time", runTime]

    /// The paper headings of a Markdown digest.
    static func paperCount(_ markdown: String) -> Int {
        markdown.split(separator: "\n").filter { $0.hasPrefix("### [") }.count
    }

    /// The runs `library` holds.
    static func runCount(_ library: String) throws -> Int {
        let runs = try CLI.run(["library", "runs", "--library", library])
        try #require(runs.status == 0, CLI.describe(runs))
        return JSONLines.lines(of: runs.stdout).count
    }

    /// Runs the binary through bash: standard output sent by `redirect`, files limited to `maxFileKiB` KiB
    /// (a write past it fails with "File too large", as on a full disk).
    static func runShell(_ arguments: [String], redirect: String = "", maxFileKiB: Int? = nil, in scratch: Scratch) throws -> ProcessResult {
        let binary = try ProcessRunner.arxivDigestBinary().path
        let quoted = ([binary] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        // SIGXFSZ ignored, so an oversized write fails with EFBIG instead of killing the process.
        let limit = maxFileKiB.map { "trap '' XFSZ; ulimit -f \($0); " } ?? ""
        return try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"), ["-c", "\(limit)exec \(quoted) \(redirect)"], currentDirectory: scratch.folder)
    }

    /// A KiB limit between the Markdown page (fits) and the HTML page (does not) of the sample feed.
    static func limitBetweenMarkdownAndHTML() throws -> Int {
        let markdown = try CLI.run(keywords + ["--feed", sampleFeed]).stdout.count
        let html = try CLI.run(keywords + ["--feed", sampleFeed, "--format", "html"]).stdout.count
        let limit = (markdown + 1023) / 1024
        try #require(markdown > 0 && limit * 1024 < html, "pages of \(markdown) and \(html) bytes: no KiB limit between them")
        return limit
    }

    @Test("--new-only: a run whose output fails records nothing, so the next run still shows every paper", arguments: ["stdout", "outputs"])
    func failedOutputRecordsNothing(output: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let library = scratch.path("library.sqlite")
        let loop = ["--feed", Self.sampleFeed, "--library", library, "--new-only"]
        let failed: ProcessResult = switch output {
        case "stdout": try Self.runShell(Self.keywords + loop, redirect: ">/dev/full", in: scratch)
        default: try CLI.run(Self.keywords + loop + ["--profile", DeliveryFormatTests.profileWithOutputs(
            in: scratch, outputs: "markdown = \"README.md\"\nhtml = \"nosuch/index.html\"\n").path])
        }
        #expect(failed.status == 1, CLI.describe(failed))
        #expect(failed.stderrText.contains("cannot write to standard output: No space left on device")
                || failed.stderrText.contains("does not exist"), CLI.describe(failed))
        #expect(!failed.stderrText.contains("recorded run"), CLI.describe(failed))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("README.md")))

        let retry = try CLI.run(Self.keywords + loop)
        try #require(retry.status == 0, CLI.describe(retry))
        #expect(Self.paperCount(retry.stdoutText) == 6, "\(retry.stderrText)")
        #expect(try Self.runCount(library) == 1)
    }

    /// SQLite writes the database file at commit; the pages are put in place only after it.
    @Test("a library that cannot take the run (a full disk at its commit) leaves the old page and records nothing")
    func fullLibraryKeepsThePage() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let library = scratch.path("library.sqlite")
        let first = try CLI.run(Self.keywords + ["--feed", Self.sampleFeed, "--library", library, "--output", scratch.path("first.md")])
        try #require(first.status == 0, CLI.describe(first))
        try scratch.write("page.md", goodContent)
        // The Markdown page fits under the limit; the library (tens of KiB) cannot grow or journal past it.
        let limit = try Self.limitBetweenMarkdownAndHTML()
        try #require(try scratch.read("library.sqlite").count > limit * 1024)
        let run = try Self.runShell(Self.keywords + ["--feed", Self.sampleFeed, "--library", library, "--output", scratch.path("page.md")],
                                    maxFileKiB: limit, in: scratch)
        #expect(run.status == 1, CLI.describe(run))
        #expect(run.stderrText.contains(library), CLI.describe(run))
        #expect(try scratch.text("page.md") == goodContent, "the page was replaced although the run was not recorded")
        #expect(try Self.runCount(library) == 1)
        #expect(!(try scratch.listing()).contains { $0.contains("partial") }, "temporary page left behind")
    }

    @Test("an [outputs] file that fails part-way leaves every other [outputs] file as it was")
    func outputsAllOrNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let profile = try DeliveryFormatTests.profileWithOutputs(in: scratch, outputs: "markdown = \"README.md\"\nhtml = \"index.html\"\n")
        try scratch.write("README.md", goodContent)
        try scratch.write("index.html", goodContent)
        let run = try Self.runShell(Self.keywords + ["--profile", profile.path, "--feed", Self.sampleFeed],
                                    maxFileKiB: Self.limitBetweenMarkdownAndHTML(), in: scratch)
        #expect(run.status == 1, CLI.describe(run))
        #expect(run.stderrText.contains("cannot write \(scratch.path("index.html")): File too large"), CLI.describe(run))
        #expect(try scratch.text("README.md") == goodContent, "README.md was replaced although index.html failed")
        #expect(try scratch.text("index.html") == goodContent)
        #expect(try scratch.listing() == ["README.md", "index.html", "profile.toml"], "temporary files left behind")
    }

    @Test("an [outputs] file in a missing folder is reported before any fetch; no file is touched")
    func outputsCheckedBeforeFetch() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let profile = try DeliveryFormatTests.profileWithOutputs(in: scratch, outputs: "markdown = \"README.md\"\nhtml = \"nosuch/index.html\"\n")
        try scratch.write("README.md", goodContent)
        // No --feed: the papers would come from this endpoint, where nothing listens.
        let run = try CLI.run(Self.keywords + ["--profile", profile.path, "--endpoint", "http://127.0.0.1:9/api/query", "--attempts", "1"])
        #expect(run.status == 1, CLI.describe(run))
        #expect(run.stderrText.contains("[outputs] html cannot write \(scratch.path("nosuch/index.html")): the folder \(scratch.path("nosuch")) does not exist"), CLI.describe(run))
        #expect(!run.stderrText.contains("127.0.0.1"), "fetched before checking the outputs: \(run.stderrText)")
        #expect(try scratch.text("README.md") == goodContent)
    }

    /// `fetch -o library.sqlite` replaced the run history with JSON Lines, and a page named after the library's
    /// journal was deleted by SQLite's commit while the run reported success.
    @Test("every command refuses the profile's library as its output; digest refuses the library's journal", arguments: [
        "fetch", "classify", "import-digest", "library-export", "digest-journal", "digest-wal",
    ])
    func profileLibraryIsNoOutput(command: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let profile = try DeliveryFormatTests.profileWithOutputs(in: scratch, outputs: "").path
        let library = scratch.path("library.sqlite")  // the profile's library: beside it, by default
        let seeded = try CLI.run(Self.keywords + ["--profile", profile, "--feed", Self.sampleFeed, "--library", library, "--output", scratch.path("seed.md")])
        try #require(seeded.status == 0, CLI.describe(seeded))
        let digestFile = SharedData.url("seeds/digest-2026-02-03.md").path
        let (arguments, victim): ([String], String) = switch command {
        case "fetch": (["fetch", "--profile", profile, "--feed", Self.sampleFeed, "-o", library], library)
        case "classify": (["classify", "--profile", profile, "--feed", Self.sampleFeed, "-o", library], library)
        case "import-digest": (["import-digest", digestFile, "--profile", profile, "-o", library], library)
        case "library-export": (["library", "export", "--profile", profile, "--library", scratch.path("other.sqlite"), "-o", library], library)
        case "digest-journal": (Self.keywords + ["--feed", Self.sampleFeed, "--library", library, "--output", library + "-journal"], library + "-journal")
        default: (Self.keywords + ["--feed", Self.sampleFeed, "--library", library, "--output", library + "-wal"], library + "-wal")
        }
        let before = try scratch.read("library.sqlite")
        let result = try CLI.run(arguments)
        #expect(result.status != 0, CLI.describe(result))
        #expect(result.stderrText.contains("is the input") && result.stderrText.contains(victim), CLI.describe(result))
        #expect(try scratch.read("library.sqlite") == before)
        #expect(!FileManager.default.fileExists(atPath: library + "-journal") && !FileManager.default.fileExists(atPath: library + "-wal"))
    }

    @Test("an output that is the library, the profile or the feed is refused, and the file is untouched", arguments: [
        "output-library", "output-new-library", "output-profile-library", "output-profile", "outputs-feed", "outputs-profile", "outputs-library",
    ])
    func outputIsInput(victim: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let library = scratch.path("library.sqlite")
        let seeded = try CLI.run(Self.keywords + ["--feed", Self.sampleFeed, "--library", library])
        try #require(seeded.status == 0, CLI.describe(seeded))
        try scratch.write("in.xml", try Data(contentsOf: URL(fileURLWithPath: Self.sampleFeed)))
        let plain = try DeliveryFormatTests.profileWithOutputs(in: scratch, outputs: "").path
        func profile(_ outputs: String) throws -> String { try DeliveryFormatTests.profileWithOutputs(in: scratch, outputs: outputs).path }
        let feed = ["--feed", scratch.path("in.xml")]
        let (arguments, file, refusal): ([String], String, String) = switch victim {
        case "output-library": (feed + ["--library", library, "-o", library], "library.sqlite", "is the input --library")
        case "output-new-library": (feed + ["--library", scratch.path("new.sqlite"), "-o", scratch.path("new.sqlite")], "new.sqlite", "is the input --library")
        // --new-only without --library: the library beside the profile.
        case "output-profile-library": (feed + ["--profile", plain, "--new-only", "-o", library], "library.sqlite", "is the input the profile's library")
        case "output-profile": (feed + ["--profile", plain, "-o", plain], "profile.toml", "is the input --profile")
        case "outputs-feed": (feed + ["--profile", try profile("atom = \"in.xml\"\n")], "in.xml", "is the input --feed")
        case "outputs-profile": (feed + ["--profile", try profile("markdown = \"profile.toml\"\n")], "profile.toml", "is the input --profile")
        default: (feed + ["--profile", try profile("html = \"library.sqlite\"\n"), "--new-only"], "library.sqlite", "is the input the profile's library")
        }
        let before = try? scratch.read(file)
        let result = try CLI.run(Self.keywords + arguments)
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains(refusal) && result.stderrText.contains("would destroy that input"), CLI.describe(result))
        #expect(result.stdout.isEmpty)
        #expect((try? scratch.read(file)) == before, "\(file) changed")
        #expect(try Self.runCount(library) == 1, "a run was recorded")
    }

    @Test("two [outputs] that name one file (the same path, or a link to it) are refused before any work", arguments: [
        "markdown = \"same.txt\"\nhtml = \"same.txt\"\n", "markdown = \"page.md\"\natom = \"sub/../page.md\"\n", "html = \"page.html\"\natom = \"alias.xml\"\n",
    ])
    func outputsNameOneFile(outputs: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(at: scratch.url("sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: scratch.path("alias.xml"), withDestinationPath: "page.html")
        let profile = try DeliveryFormatTests.profileWithOutputs(in: scratch, outputs: outputs)
        let result = try CLI.run(Self.keywords + ["--profile", profile.path, "--feed", Self.sampleFeed])
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains("each page needs a file of its own"), CLI.describe(result))
        #expect(try scratch.listing() == ["alias.xml", "profile.toml", "sub"], "a file was written")
    }

    @Test("--new-only with nothing new: an error that keeps the digest and records no run; --allow-empty writes the empty page")
    func nothingNew() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let library = scratch.path("library.sqlite")
        let arguments = Self.keywords + ["--feed", Self.sampleFeed, "--library", library, "--new-only", "-o", scratch.path("digest.md")]
        let first = try CLI.run(arguments)
        try #require(first.status == 0, CLI.describe(first))
        let digest = try scratch.text("digest.md")
        #expect(Self.paperCount(digest) == 6)

        let second = try CLI.run(arguments)
        #expect(second.status == 1, CLI.describe(second))
        #expect(second.stderrText.contains("no papers left to show: 6 of 6 shown by an earlier run"), CLI.describe(second))
        #expect(second.stderrText.contains("--allow-empty"), CLI.describe(second))
        #expect(try scratch.text("digest.md") == digest)
        #expect(try Self.runCount(library) == 1)

        let allowed = try CLI.run(arguments + ["--allow-empty"])
        try #require(allowed.status == 0, CLI.describe(allowed))
        #expect(try scratch.text("digest.md").contains("No new papers found today"))
        #expect(try Self.runCount(library) == 2)
        let runs = try CLI.run(["library", "runs", "--library", library]).stdoutText
        #expect(runs.split(separator: "\n").last?.hasSuffix(": nothing shown") == true, "\(runs)")
    }

    @Test("--run-time is also the time the library records the run at, so a backfilled day's run matches its page")
    func runTimeIsRecorded() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let library = scratch.path("library.sqlite")
        let result = try CLI.run(Self.keywords + ["--feed", Self.sampleFeed, "--library", library, "--run-time", "2026-03-01 08:15",
                                                  "-o", scratch.path("digest.md")])
        try #require(result.status == 0, CLI.describe(result))
        let runs = try CLI.run(["library", "runs", "--library", library]).stdoutText
        #expect(runs.hasPrefix("run 1 at 2026-03-01T08:15:00"), "\(runs)")
        #expect(try scratch.text("digest.md").contains("2026-03-01 08:15"))
    }
}
