import Foundation
import Glibc
import Testing
import TestSupport

/// `--output` writes only regular files, follows symbolic links, keeps permissions, refuses to overwrite an
/// input of the same command, checks its folder before any work, and leaves no temporary file when the run
/// is interrupted.
@Suite("outputs never clobber what they should not")
struct OutputSafetyTests {
    static let sampleFeed = SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml").path
    static let samplePapers = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl").path
    static let digest = ["digest", "--feed", sampleFeed, "--classifier", "keywords", "--run-time", "2026-11-25 08:00"]

    static func fileType(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    @Test("a FIFO, a directory, a socket and a character device are refused and left as they are")
    func specialFiles() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try #require(mkfifo(scratch.path("fifo"), 0o644) == 0)
        try FileManager.default.createDirectory(at: scratch.url("folder"), withIntermediateDirectories: false)
        let socketFD = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let socketPath = scratch.path("sock")
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in socketPath.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        defer { close(socketFD) }
        try #require(bound == 0)
        let cases: [(String, String, mode_t)] = [
            (scratch.path("fifo"), "FIFO", S_IFIFO), (scratch.path("folder"), "directory", S_IFDIR),
            (socketPath, "socket", S_IFSOCK), ("/dev/full", "character device", S_IFCHR),
            ("/dev/zero", "character device", S_IFCHR),
        ]
        // (Not /dev/null: on a shared machine an older build's `-o /dev/null` may already have made it a file.)
        try #require(Self.fileType("/dev/full") == S_IFCHR && Self.fileType("/dev/zero") == S_IFCHR)
        for (path, kind, type) in cases {
            let result = try CLI.run(Self.digest + ["--output", path])
            #expect(result.status == 1, "\(path): \(CLI.describe(result))")
            #expect(result.stderrText.contains(path) && result.stderrText.contains(kind) && result.stderrText.contains("not a regular file"),
                    "\(path): \(CLI.describe(result))")
            #expect(Self.fileType(path) == type, "\(path) was replaced")
        }
        #expect(try scratch.listing() == ["fifo", "folder", "sock"])
    }

    @Test("a symbolic link keeps pointing at its target, which is replaced; the target's mode is kept")
    func symbolicLinkAndMode() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(at: scratch.url("site"), withIntermediateDirectories: false)
        try scratch.write("site/README.md", goodContent)
        try #require(chmod(scratch.path("site/README.md"), 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: scratch.path("link.md"), withDestinationPath: "site/README.md")
        let result = try CLI.run(Self.digest + ["--output", scratch.path("link.md")])
        try #require(result.status == 0, CLI.describe(result))
        #expect(Self.fileType(scratch.path("link.md")) == S_IFLNK)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: scratch.path("link.md")) == "site/README.md")
        let digest = try scratch.text("site/README.md")
        #expect(digest.contains("Last Run: 2026-11-25 08:00 UTC"))
        var info = stat()
        try #require(stat(scratch.path("site/README.md"), &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o600)
        #expect(try scratch.listing() == ["link.md", "site"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path("site")) == ["README.md"])
    }

    @Test("a new output file is 0644 minus the umask")
    func newFileMode() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try CLI.run(Self.digest + ["--output", scratch.path("new.md")])
        try #require(result.status == 0, CLI.describe(result))
        var info = stat()
        try #require(stat(scratch.path("new.md"), &info) == 0)
        let mask = umask(0o022); umask(mask)
        #expect(info.st_mode & 0o7777 == 0o644 & ~mask)
    }

    @Test("an output that is an input of the same command is refused, by inode, before any work", arguments: [
        "train", "classify-model", "classify-papers", "digest-papers", "digest-feed", "fetch", "evaluate", "import-digest",
    ])
    func outputIsInput(command: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let papers = try Data(contentsOf: URL(fileURLWithPath: Self.samplePapers))
        try scratch.write("in.jsonl", papers)
        try scratch.write("feed.xml", try Data(contentsOf: URL(fileURLWithPath: Self.sampleFeed)))
        let model = try Data(contentsOf: try TrainedModels.sample())
        try scratch.write("m.model", model)
        try scratch.write("old.md", try SharedData.data("seeds/digest-2026-02-03.md"))
        // Another spelling of the same file: a symbolic link, so only an inode comparison catches it.
        func alias(_ name: String) throws -> String {
            try FileManager.default.createSymbolicLink(atPath: scratch.path("alias-" + name), withDestinationPath: scratch.path(name))
            return scratch.path("alias-" + name)
        }
        let (arguments, victim): ([String], String) = switch command {
        case "train": (["train", "--data", scratch.path("in.jsonl"), "--output", try alias("in.jsonl")], "in.jsonl")
        case "classify-model": (["classify", "--model", scratch.path("m.model"), "--papers", scratch.path("in.jsonl"), "--output", try alias("m.model")], "m.model")
        case "classify-papers": (["classify", "--model", scratch.path("m.model"), "--papers", scratch.path("in.jsonl"), "-o", try alias("in.jsonl")], "in.jsonl")
        case "digest-papers": (["digest", "--papers", scratch.path("in.jsonl"), "--classifier", "keywords", "-o", try alias("in.jsonl")], "in.jsonl")
        case "digest-feed": (["digest", "--feed", scratch.path("feed.xml"), "--classifier", "keywords", "-o", scratch.path("feed.xml")], "feed.xml")
        case "fetch": (["fetch", "--papers", scratch.path("in.jsonl"), "--output", scratch.path("in.jsonl")], "in.jsonl")
        case "evaluate": (["evaluate", "--model", scratch.path("m.model"), "--data", scratch.path("in.jsonl"), "--json", try alias("in.jsonl")], "in.jsonl")
        default: (["import-digest", scratch.path("old.md"), "--output", try alias("old.md")], "old.md")
        }
        let before = try scratch.read(victim)
        let result = try CLI.run(arguments)
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains("would destroy that input"), CLI.describe(result))
        #expect(result.stdout.isEmpty, "work was done before the check")
        #expect(try scratch.read(victim) == before)
    }

    @Test("a missing or unwritable output folder is reported before training")
    func missingFolderBeforeWork() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try CLI.run(["train", "--data", Self.samplePapers, "--cv", "2", "--output", scratch.path("no/such/folder/m.model")])
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains("does not exist"), CLI.describe(result))
        #expect(!result.stderrText.contains("cross-validated"), "trained before checking the output: \(result.stderrText)")
        #expect(!result.stderrText.contains("labelled papers"), "read the data before checking the output: \(result.stderrText)")
    }

    @Test("--output - writes to standard output")
    func dashIsStandardOutput() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try CLI.run(Self.digest + ["--output", "-"], currentDirectory: scratch.folder)
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stdoutText.contains("Last Run: 2026-11-25 08:00 UTC"))
        #expect(try scratch.listing().isEmpty)
    }

    @Test("SIGINT or SIGTERM mid-write removes the temporary file and keeps the old output", arguments: [SIGINT, SIGTERM])
    func interrupted(signalNumber: Int32) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("out.jsonl", goodContent)
        let process = Process()
        process.executableURL = try ProcessRunner.arxivDigestBinary()
        process.arguments = ["classify", "--model", try TrainedModels.sample().path, "--output", scratch.path("out.jsonl")]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // classify opens its output before reading standard input, which stays open: wait for the temporary file.
        try input.fileHandleForWriting.write(contentsOf: Data((try JSONLines.sampleLines().joined(separator: "\n") + "\n").utf8))
        let start = Date()
        while Date().timeIntervalSince(start) < 60, !(try scratch.listing().contains { $0.hasPrefix(".out.jsonl.partial-") }) {
            Thread.sleep(forTimeInterval: 0.02)
        }
        try #require(try scratch.listing().contains { $0.hasPrefix(".out.jsonl.partial-") }, "no temporary file appeared")
        kill(process.processIdentifier, signalNumber)
        // A run that ignored the signal is a failure, not a hang: SIGKILL it after a generous wait.
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == signalNumber)
        let left = try scratch.listing()
        #expect(left == ["out.jsonl"], "left behind: \(left)")
        #expect(try scratch.text("out.jsonl") == goodContent)
    }
}
