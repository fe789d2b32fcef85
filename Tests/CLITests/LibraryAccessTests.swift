import ArxivFeed
import Foundation
import Glibc
import PaperLibrary
import Testing
import TestSupport

/// Which commands may create or change the paper library, and which only read it.
@Suite("library access")
struct LibraryAccessTests {
    static let tfidfModel = SharedData.packageRoot.appendingPathComponent("Models/topics-tfidf.model").path

    @Test("an empty file is no library: reading and recording commands refuse it by name and leave it empty")
    func emptyFileIsRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let empty = try scratch.write("empty.sqlite", Data()).path
        let feed = LoopData.sampleFeed.path
        let sample = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl").path
        let commands: [[String]] = [
            ["library", "runs", "--library", empty],
            ["library", "export", "--labels", "--library", empty],
            ["review", "--model", Self.tfidfModel, "--library", empty],
            ["review", "--model", Self.tfidfModel, "--feed", feed, "--library", empty],
            ["train", "--data", sample, "--library", empty, "--output", scratch.path("out.model")],
            ["label", "--model", Self.tfidfModel, "--feed", feed, "--library", empty],
            ["digest", "--model", Self.tfidfModel, "--feed", feed, "--library", empty, "--output", scratch.path("digest.md")],
        ]
        for arguments in commands {
            let result = try CLI.run(arguments, input: Data("q\n".utf8))
            #expect(result.status != 0, "\(arguments.prefix(2)) accepted an empty file")
            #expect(result.stderrText.contains("\(empty): is an empty file, not a paper library"), "\(arguments.prefix(2)): \(CLI.describe(result))")
            #expect(try scratch.read("empty.sqlite").isEmpty, "\(arguments.prefix(2)) wrote into the empty file")
        }
    }

    @Test("label --from recorded twice stores each answer once; only a changed answer is stored again")
    func repeatedAnswersFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let sample = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl").path
        let library = scratch.path("lib.sqlite")
        let first = try scratch.write("a.tsv", "9999.10001\talgorithms\n9999.10002\tgeneral\tunsure\n9999.10003\thardware\n").path
        let label = { (file: String) in try CLI.run(["label", "--papers", sample, "--library", library, "--from", file]) }
        let once = try label(first)
        #expect(once.status == 0 && once.stderrText.contains("recorded 3 label(s)"), CLI.describe(once))
        let twice = try label(first)
        #expect(twice.status == 0 && twice.stderrText.contains("recorded 0 label(s) in \(library) (3 already had that label)"), CLI.describe(twice))
        let changed = try scratch.write("b.tsv", "9999.10001\talgorithms\n9999.10002\tgeneral\n9999.10003\tgeneral\n").path
        let third = try label(changed)
        #expect(third.stderrText.contains("recorded 2 label(s) in \(library) (1 already had that label)"), CLI.describe(third))
        let stored = try PaperLibrary(url: URL(fileURLWithPath: library), access: .read).labels()
        #expect(stored.count == 5)
    }

    @Test("train --library names a library record by its paper id, not by a line number the file does not have")
    func libraryRecordNamedByPaper() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = scratch.url("q.sqlite")
        let library = try PaperLibrary(url: url)
        let papers = try AtomFeed.parse(Data(contentsOf: LoopData.sampleFeed), source: "sample-feed.xml").papers
        try library.recordPapers(papers, at: Date())
        try library.addLabel(paperID: papers[2].id, label: "quantum", who: "test", at: Date())
        let result = try CLI.run(["train", "--library", url.path, "--output", scratch.path("m.model")])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("\(url.path): paper \(papers[2].id): field \"label\": \"quantum\" is not one of"), CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("m.model")))
    }

    @Test("a folder, a device or a pipe given as the library is named as what it is, by reading and recording commands")
    func specialFileIsRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(at: scratch.url("folder"), withIntermediateDirectories: false)
        try #require(mkfifo(scratch.path("fifo"), 0o644) == 0)
        for (path, kind) in [(scratch.path("folder"), "a directory"), ("/dev/zero", "a character device"), (scratch.path("fifo"), "a FIFO (named pipe)")] {
            for arguments in [["library", "runs", "--library", path],
                              ["digest", "--model", Self.tfidfModel, "--feed", LoopData.sampleFeed.path, "--library", path, "--output", scratch.path("d.md")]] {
                let result = try CLI.run(arguments)
                #expect(result.status == 1, CLI.describe(result))
                #expect(result.stderrText.contains("\(path): is \(kind), not a paper library file"), CLI.describe(result))
            }
        }
        #expect(try scratch.listing() == ["fifo", "folder"])
        // A new library needs its folder, and is not created through a dangling link.
        try FileManager.default.createSymbolicLink(atPath: scratch.path("dangling.sqlite"), withDestinationPath: scratch.path("gone/lib.sqlite"))
        for (path, message) in [(scratch.path("missing/lib.sqlite"), "the folder \(scratch.path("missing")) does not exist"),
                                (scratch.path("dangling.sqlite"), "is a symbolic link to \(scratch.path("gone/lib.sqlite")), which does not exist")] {
            let result = try CLI.run(["label", "--feed", LoopData.sampleFeed.path, "--library", path, "--from", scratch.write("a.tsv", "9999.00001\thardware\n").path])
            #expect(result.status == 1 && result.stderrText.contains("\(path): \(message)"), CLI.describe(result))
        }
    }

    @Test("runs that create one new library at the same moment all succeed, and each is recorded once")
    func concurrentCreation() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("answers.tsv", "9999.00001\thardware\n")
        // Whether the starts overlap depends on the machine; every round must succeed either way.
        for round in 0..<4 {
            let library = scratch.path("library-\(round).sqlite")
            let results = try await withThrowingTaskGroup(of: ProcessResult.self) { group in
                for run in 0..<3 {
                    group.addTask {
                        try await CLI.runDetached(["digest", "--classifier", "keywords", "--feed", LoopData.sampleFeed.path, "--library", library,
                                                   "--output", scratch.path("digest-\(round)-\(run).md")])
                    }
                }
                group.addTask {
                    try await CLI.runDetached(["label", "--feed", LoopData.sampleFeed.path, "--library", library, "--from",
                                               scratch.path("answers.tsv")])
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for result in results { #expect(result.status == 0, "round \(round): \(CLI.describe(result))") }
            let runs = try CLI.run(["library", "runs", "--library", library])
            #expect(JSONLines.lines(of: runs.stdout).count == 3, CLI.describe(runs))
        }
        #expect(try scratch.listing().filter { $0.hasPrefix(".") }.isEmpty, "a temporary library was left behind")
    }

    @Test("digest with a library another process is writing: the lock is reported before any page is replaced, and nothing is recorded")
    func lockedLibraryKeepsThePage() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("library.sqlite")
        try scratch.write("digest.md", goodContent)
        let library = try PaperLibrary(url: URL(fileURLWithPath: path))
        // This process holds the library's write lock (a transaction begun IMMEDIATE) while the digest runs,
        // as a `label` session or another digest would; it gives up after its 10-second busy timeout. (A
        // read-only library fails at the same point, but as root no file is read-only.)
        struct Release: Error {}
        var result: ProcessResult?
        #expect(throws: Release.self) {
            try library.record(.init(time: Date(), profile: "holder", modelSHA256: "none", papers: [], predictions: nil, placements: []), around: {
                result = try CLI.run(["digest", "--model", Self.tfidfModel, "--feed", LoopData.sampleFeed.path, "--library", path,
                                      "--output", scratch.path("digest.md")])
                throw Release()
            })
        }
        let run = try #require(result)
        #expect(run.status == 1, CLI.describe(run))
        #expect(run.stderrText.contains("\(path): database is locked"), CLI.describe(run))
        #expect(try scratch.text("digest.md") == goodContent)
        #expect(try library.runs().isEmpty && library.papers().isEmpty)
    }

    @Test("reading commands refuse a missing library and create none; --help says the library must exist")
    func missingLibrary() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let missing = scratch.path("missing.sqlite")
        for arguments in [["library", "runs"], ["library", "export"], ["review", "--model", Self.tfidfModel]] {
            let result = try CLI.run(arguments + ["--library", missing])
            #expect(result.status != 0 && result.stderrText.contains("\(missing): no paper library there"), CLI.describe(result))
            let help = Self.flat(try CLI.run(Array(arguments.prefix(arguments[0] == "library" ? 2 : 1)) + ["--help"]).stdoutText)
            #expect(!help.contains("created when missing") && help.contains("it must exist"), "\(arguments[0]) --help")
        }
        #expect(try scratch.listing().isEmpty)
        #expect(Self.flat(try CLI.run(["label", "--help"]).stdoutText).contains("created at a new path"))
    }

    /// Help text with its line wrapping undone.
    static func flat(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    @Test("label --feed of an arXiv error response fails and leaves no new library file")
    func failedLabelCreatesNoLibrary() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let errorFeed = try scratch.write("error.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <entry>
                <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id>
                <title>Error</title>
                <summary>incorrect id format for 1234</summary>
              </entry>
            </feed>
            """)
        let result = try CLI.run(["label", "--model", Self.tfidfModel, "--feed", errorFeed.path, "--library", scratch.path("new.sqlite")], input: Data("q\n".utf8))
        #expect(result.status != 0 && result.stderrText.contains("incorrect id format"), CLI.describe(result))
        #expect(try scratch.listing() == ["error.xml"])
    }

    @Test("--output naming the library is refused before anything is written (library export, review)")
    func outputIsTheLibrary() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let library = scratch.path("lib.sqlite")
        let labelled = try CLI.run(["label", "--model", Self.tfidfModel, "--feed", LoopData.sampleFeed.path, "--library", library,
                                    "--from", scratch.write("a.tsv", "9999.00001\thardware\n").path])
        try #require(labelled.status == 0, CLI.describe(labelled))
        let bytes = try scratch.read("lib.sqlite")
        for arguments in [["library", "export", "--labels", "--library", library, "--output", library],
                          ["review", "--model", Self.tfidfModel, "--library", library, "--output", library],
                          ["review", "--model", Self.tfidfModel, "--feed", LoopData.sampleFeed.path, "--library", library, "--output", library]] {
            let result = try CLI.run(arguments)
            #expect(result.status != 0 && result.stderrText.contains("--output \(library) is the input --library \(library)"), CLI.describe(result))
            #expect(try scratch.read("lib.sqlite") == bytes, "\(arguments.prefix(2)) replaced the library")
        }
    }

    @Test("review --feed with --library leaves out the papers the library has a label for, as label does")
    func reviewLeavesOutLabelledPapers() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let library = scratch.path("lib.sqlite"), feed = LoopData.sampleFeed.path
        let labelled = try CLI.run(["label", "--model", Self.tfidfModel, "--feed", feed, "--library", library,
                                    "--from", scratch.write("a.tsv", "9999.00001\thardware\n9999.00002\talgorithms\n").path])
        try #require(labelled.status == 0, CLI.describe(labelled))
        let ids = { (arguments: [String]) throws -> Set<String> in
            let result = try CLI.run(["review", "--model", Self.tfidfModel, "--feed", feed, "--json"] + arguments)
            try #require(result.status == 0, CLI.describe(result))
            return Set(try ReviewLabelTests.picks(result.stdout).map(\.id))
        }
        #expect(try ids([]).isSuperset(of: ["9999.00001", "9999.00002"]) && ids([]).count == 6)
        #expect(try ids(["--library", library]) == ["9999.00003", "9999.00004", "9999.00005", "9999.00006"])
        let queue = try CLI.run(["label", "--model", Self.tfidfModel, "--feed", feed, "--library", library], input: Data("q\n".utf8))
        #expect(queue.stdoutText.contains("[1/4]"))
    }

    @Test("review and label refuse a model whose classes are not the profile's sections, as digest does")
    func modelMustFitProfile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let profile = try scratch.write("profile.toml", SecondProfile.text).path, feed = LoopData.sampleFeed.path
        for arguments in [["review", "--feed", feed], ["label", "--feed", feed, "--library", scratch.path("lib.sqlite")], ["digest", "--feed", feed]] {
            let result = try CLI.run(arguments + ["--profile", profile, "--model", Self.tfidfModel], input: Data("q\n".utf8))
            #expect(result.status != 0, "\(arguments[0]) accepted the model")
            #expect(result.stderrText.contains("\(Self.tfidfModel): the model's class \"hardware\" is no section of the profile"), "\(arguments[0]): \(CLI.describe(result))")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("lib.sqlite")))
    }
}
