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

    @Test("-o /dev/stdout with standard output appended to a log is refused; the log keeps its lines")
    func devStdoutIntoLog() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("run.log", "before\n")
        let binary = try ProcessRunner.arxivDigestBinary().path
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", #""$0" digest --feed "$1" -o /dev/stdout >> "$2"; echo after >> "$2""#,
                                                                              binary, Self.sampleFeed, scratch.path("run.log")])
        #expect(result.stderrText.contains("to a file a process has open") && result.stderrText.contains("leave --output out or give -"),
                CLI.describe(result))
        #expect(try scratch.text("run.log") == "before\nafter\n")
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
        // Read, not set and restored: umask() would change it for the tests running beside this one.
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let field = try #require(status.split(separator: "\n").first { $0.hasPrefix("Umask:") })
        let mask = try #require(mode_t(field.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8))
        #expect(info.st_mode & 0o7777 == 0o644 & ~mask)
    }

    @Test("an output that is an input of the same command is refused, by inode, before any work", arguments: [
        "train", "classify-model", "classify-papers", "digest-papers", "digest-feed", "fetch", "evaluate", "import-digest",
        "train-profile", "classify-profile", "evaluate-profile", "fetch-profile", "import-digest-profile",
        "classify-weights", "evaluate-weights", "train-weights", "embed-papers", "embed-weights", "digest-weights",
        "digest-keywords-model", "digest-keywords-profile-model", "digest-outputs-profile-library", "digest-library-unused",
        "convert-tokenizer", "convert-safetensors",
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
        try scratch.write("profile.toml", try Data(contentsOf: SharedData.packageRoot.appendingPathComponent("Models/open-neuromorphic.toml")))
        // Only the path matters: the check comes before the weights are read.
        try scratch.write("enc.weights", Data("not really weights".utf8))
        // A checkpoint for `encoder convert`: only the paths matter too.
        try scratch.write("tokenizer.json", Data("{}".utf8))
        try scratch.write("model.safetensors", Data("not really a checkpoint".utf8))
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
        case "import-digest": (["import-digest", scratch.path("old.md"), "--output", try alias("old.md")], "old.md")
        case "train-profile": (["train", "--profile", scratch.path("profile.toml"), "--data", scratch.path("in.jsonl"), "--output", try alias("profile.toml")], "profile.toml")
        case "classify-profile": (["classify", "--profile", scratch.path("profile.toml"), "--model", scratch.path("m.model"), "--papers", scratch.path("in.jsonl"), "-o", scratch.path("profile.toml")], "profile.toml")
        case "evaluate-profile": (["evaluate", "--profile", scratch.path("profile.toml"), "--model", scratch.path("m.model"), "--data", scratch.path("in.jsonl"), "--json", scratch.path("profile.toml")], "profile.toml")
        case "fetch-profile": (["fetch", "--profile", scratch.path("profile.toml"), "--papers", scratch.path("in.jsonl"), "-o", try alias("profile.toml")], "profile.toml")
        case "import-digest-profile": (["import-digest", "--profile", scratch.path("profile.toml"), scratch.path("old.md"), "-o", scratch.path("profile.toml")], "profile.toml")
        case "classify-weights": (["classify", "--model", scratch.path("m.model"), "--encoder-weights", scratch.path("enc.weights"), "--papers", scratch.path("in.jsonl"), "-o", try alias("enc.weights")], "enc.weights")
        case "evaluate-weights": (["evaluate", "--model", scratch.path("m.model"), "--encoder-weights", scratch.path("enc.weights"), "--data", scratch.path("in.jsonl"), "--json", scratch.path("enc.weights")], "enc.weights")
        case "train-weights": (["train", "--encoder-weights", scratch.path("enc.weights"), "--data", scratch.path("in.jsonl"), "--output", scratch.path("enc.weights")], "enc.weights")
        case "embed-papers": (["encoder", "embed", "--encoder-weights", scratch.path("enc.weights"), "--papers", scratch.path("in.jsonl"), "-o", try alias("in.jsonl")], "in.jsonl")
        case "convert-tokenizer": (["encoder", "convert", "--from", scratch.folder.path, "--encoder-weights", try alias("tokenizer.json")], "tokenizer.json")
        case "convert-safetensors": (["encoder", "convert", "--from", scratch.folder.path, "--encoder-weights", scratch.path("model.safetensors")], "model.safetensors")
        // The profile's model and library are guarded even when this run does not read them.
        case "digest-keywords-model": (["digest", "--feed", scratch.path("feed.xml"), "--classifier", "keywords", "--model", scratch.path("m.model"), "-o", try alias("m.model")], "m.model")
        case "digest-keywords-profile-model":
            (["digest", "--profile", try Self.profile(in: scratch, model: scratch.path("m.model")), "--feed", scratch.path("feed.xml"), "--classifier", "keywords", "-o", scratch.path("m.model")], "m.model")
        case "digest-outputs-profile-library":
            (["digest", "--profile", try Self.profile(in: scratch, outputs: "markdown = \"library.sqlite\""), "--feed", scratch.path("feed.xml"), "--classifier", "keywords"], "site/library.sqlite")
        case "digest-library-unused":
            (["digest", "--profile", try Self.profile(in: scratch), "--feed", scratch.path("feed.xml"), "--library", scratch.path("other.sqlite"), "-o", scratch.path("site/./library.sqlite")], "site/library.sqlite")
        case "digest-weights": (["digest", "--feed", scratch.path("feed.xml"), "--model", scratch.path("m.model"), "--encoder-weights", scratch.path("enc.weights"), "-o", try alias("enc.weights")], "enc.weights")
        default: (["encoder", "embed", "--encoder-weights", scratch.path("enc.weights"), "--papers", scratch.path("in.jsonl"), "-o", scratch.path("enc.weights")], "enc.weights")
        }
        let before = try scratch.read(victim)
        let result = try CLI.run(arguments)
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains("would destroy that input"), CLI.describe(result))
        #expect(result.stdout.isEmpty, "work was done before the check")
        #expect(try scratch.read(victim) == before)
    }

    /// The shipped profile written as `scratch/site/profile.toml` with its model at `model` (default the shipped one) and an
    /// optional `[outputs]` table, beside an existing library `site/library.sqlite` (its default), so that
    /// a run that does not use that library can still be checked against it. Returns the profile's path.
    static func profile(in scratch: Scratch, model: String? = nil, outputs: String? = nil) throws -> String {
        let models = SharedData.packageRoot.appendingPathComponent("Models")
        try FileManager.default.createDirectory(at: scratch.url("site"), withIntermediateDirectories: true)
        var text = try String(contentsOf: models.appendingPathComponent("open-neuromorphic.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "model = \"topics.model\"", with: "model = \"\(model ?? models.appendingPathComponent("topics.model").path)\"")
        if let outputs { text += "\n[outputs]\n" + outputs + "\n" }
        try scratch.write("site/profile.toml", text)
        try scratch.write("site/library.sqlite", Data("a library: any bytes, the check comes first".utf8))
        return scratch.path("site/profile.toml")
    }

    @Test("an input spelled through a missing folder (missing/../in.xml) is still recognised as the input")
    func missingFolderSpelling() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let feed = try Data(contentsOf: URL(fileURLWithPath: Self.sampleFeed))
        try scratch.write("in.xml", feed)
        // A relative path: the write would go to in.xml itself, because `no-such-folder/..` is dropped as text.
        for arguments in [["fetch", "--feed", "in.xml", "-o", "no-such-folder/../in.xml"],
                          ["fetch", "--feed", "no-such-folder/../in.xml", "-o", "in.xml"]] {
            let result = try CLI.run(arguments, currentDirectory: scratch.folder)
            #expect(result.status == 1, CLI.describe(result))
            #expect(result.stderrText.contains("would destroy that input"), CLI.describe(result))
            #expect(try scratch.read("in.xml") == feed)
        }
    }

    @Test("the encoder weights named by $ARXIVDIGEST_ENCODER_WEIGHTS are an input too")
    func weightsFromEnvironment() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("enc.weights", Data("not really weights".utf8))
        var environment = ProcessInfo.processInfo.environment
        environment["ARXIVDIGEST_ENCODER_WEIGHTS"] = scratch.path("enc.weights")
        let result = try ProcessRunner.run(ProcessRunner.arxivDigestBinary(), [
            "classify", "--model", try TrainedModels.sample().path, "--papers", Self.samplePapers, "-o", scratch.path("enc.weights"),
        ], environment: environment)
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains("is the input --encoder-weights"), CLI.describe(result))
        #expect(try scratch.text("enc.weights") == "not really weights")
    }

    @Test("two outputs of one command may not be the same file", arguments: ["evaluate", "train"])
    func outputsDistinct(command: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(at: scratch.url("plots"), withIntermediateDirectories: false)
        let arguments = command == "evaluate"
            ? ["evaluate", "--model", try TrainedModels.sample().path, "--data", Self.samplePapers, "--plots", scratch.path("plots"), "--json", scratch.path("plots/reliability.svg")]
            : ["train", "--data", Self.samplePapers, "--learning-curve", scratch.path("plots"), "--output", scratch.path("plots/./learning-curve.json")]
        let result = try CLI.run(arguments)
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains("is the same file as"), CLI.describe(result))
        #expect(result.stdout.isEmpty, "work was done before the check")
        #expect(try scratch.listing() == ["plots"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path("plots")).isEmpty)
    }

    /// The folder itself a file, or a folder to be made under a file (found only after the work before).
    @Test("a plot folder that is a file, or is under one, is refused before any work",
          arguments: [("evaluate", "notes.txt"), ("train", "notes.txt"), ("evaluate", "notes.txt/plots"), ("train", "notes.txt/curve/x")])
    func plotFolderIsFile(command: String, folder: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("notes.txt", Data("keep me".utf8))
        let arguments = command == "evaluate"
            ? ["evaluate", "--model", try TrainedModels.sample().path, "--data", Self.samplePapers, "--plots", scratch.path(folder)]
            : ["train", "--data", Self.samplePapers, "--learning-curve", scratch.path(folder), "--output", scratch.path("m.model")]
        let result = try CLI.run(arguments)
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains("\(scratch.path("notes.txt")) is a file, not a folder"), CLI.describe(result))
        #expect(!result.stderrText.contains("labelled papers"), "read the data before checking: \(result.stderrText)")
        #expect(try scratch.listing() == ["notes.txt"])
        #expect(try scratch.read("notes.txt") == Data("keep me".utf8))
    }

    @Test("outputs that cannot be a stream or a name are refused: train/evaluate `-`, an empty path")
    func dashAndEmpty() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let model = try TrainedModels.sample().path
        let cases: [([String], String)] = [
            (["train", "--data", Self.samplePapers, "--output", "-"], "not to standard output"),
            (["evaluate", "--model", model, "--data", Self.samplePapers, "--json", "-"], "not to standard output"),
            (["classify", "--model", model, "--papers", Self.samplePapers, "--output", ""], "--output is empty"),
            (["classify", "--model", "", "--papers", Self.samplePapers], "--model is empty"),
        ]
        for (arguments, message) in cases {
            let result = try CLI.run(arguments, currentDirectory: scratch.folder)
            #expect(result.status != 0, CLI.describe(result))
            #expect(result.stderrText.contains(message), CLI.describe(result))
            #expect(result.stdout.isEmpty)
            #expect(try scratch.listing().isEmpty, "\(arguments) wrote a file")
        }
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
        ProcessRunner.waitForExit(process, within: 60)
        try? input.fileHandleForWriting.close()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == signalNumber)
        let left = try scratch.listing()
        #expect(left == ["out.jsonl"], "left behind: \(left)")
        #expect(try scratch.text("out.jsonl") == goodContent)
    }
}
