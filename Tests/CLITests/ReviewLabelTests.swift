import Foundation
import Glibc
import Testing
import TestSupport
import TopicModel
import ArxivFeed

@Suite("review and label")
struct ReviewLabelTests {
    struct Pick { let id: String; let label: String; let probabilities: [String: Double]; let margin: Double; let entropy: Double? }

    static func picks(_ stdout: Data) throws -> [Pick] {
        try JSONLines.lines(of: stdout).map { line in
            let o = try JSONLines.object(line)
            return Pick(id: o["id"] as! String, label: o["label"] as! String, probabilities: o["probabilities"] as! [String: Double],
                        margin: o["margin"] as! Double, entropy: o["entropy"] as? Double)
        }
    }

    @Test("review --json: ordered by the calibrated margin recomputed from classify, no two picks above the similarity cap")
    func reviewRanking() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let model = try TrainedModels.subset()
        let papersURL = try LoopData.unlabelledExtra(300, in: scratch)
        let classified = try LoopData.classified(try CLI.run(["classify", "--papers", papersURL.path, "--model", model.path]).stdout)
        let byID = Dictionary(uniqueKeysWithValues: classified.map { ($0.id, $0.probabilities) })
        let recomputedMargin = { (id: String) -> Double in
            let sorted = byID[id]!.values.sorted(by: >)
            return sorted[0] - sorted[1]
        }
        let loaded = try TopicModel.read(from: model)
        let papers = Dictionary(uniqueKeysWithValues: try PaperJSONLReader.readAll(contentsOf: papersURL).map { ($0.id, $0) })
        // Every paper in margin order (ties by input order), as review ranks them before the guard.
        let marginOrder = classified.enumerated().sorted { a, b in
            let (x, y) = (recomputedMargin(a.element.id), recomputedMargin(b.element.id))
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element.id)

        for cap in [0.8, 0.25] {
            let result = try CLI.run(["review", "--papers", papersURL.path, "--model", model.path, "--json", "--count", "20", "--similarity-cap", "\(cap)"])
            try #require(result.status == 0, CLI.describe(result))
            let picks = try Self.picks(result.stdout)
            #expect(picks.count == 20)
            for pick in picks {
                #expect(pick.probabilities == byID[pick.id], "\(pick.id): review and classify disagree")
                #expect(abs(pick.margin - recomputedMargin(pick.id)) < 1e-12)
                #expect(pick.label == byID[pick.id]!.max { $0.value < $1.value }!.key)
            }
            #expect(picks.map(\.margin) == picks.map(\.margin).sorted())
            for (i, a) in picks.enumerated() {
                for b in picks[..<i] {
                    #expect(ReviewQueue.similarity(papers[a.id]!, papers[b.id]!, model: loaded) <= cap, "\(a.id) and \(b.id) are near-duplicates")
                }
            }
            // Every paper passed over before the last pick was passed over for being too close to an earlier pick.
            let lastPosition = marginOrder.firstIndex(of: picks.last!.id)!
            let pickedIDs = Set(picks.map(\.id))
            var skipped = 0
            for (position, id) in marginOrder[...lastPosition].enumerated() where !pickedIDs.contains(id) {
                let earlier = picks.filter { marginOrder.firstIndex(of: $0.id)! < position }
                #expect(earlier.contains { ReviewQueue.similarity(papers[id]!, papers[$0.id]!, model: loaded) > cap }, "\(id) was skipped without a near-duplicate")
                skipped += 1
            }
            if cap < 0.5 { #expect(skipped > 0, "a cap of \(cap) skipped nothing: the guard was not exercised") }
        }

        let entropy = try Self.picks(try CLI.run(["review", "--papers", papersURL.path, "--model", model.path, "--json", "--by", "entropy", "--count", "10"]).stdout)
        #expect(entropy.count == 10 && entropy.map { $0.entropy! } == entropy.map { $0.entropy! }.sorted(by: >))
        let table = try CLI.run(["review", "--papers", papersURL.path, "--model", model.path, "--count", "3"])
        #expect(table.stdoutText.hasPrefix("#   id "))
        #expect(JSONLines.lines(of: table.stdout).count == 4)
    }

    @Test("review lists a paper the input repeats (the same record, or another version) once, with --similarity-cap 1 too")
    func repeatedPapersOnce() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let lines = try JSONLines.sampleLines()
        var versioned = try JSONLines.object(lines[0])
        versioned["id"] = "\(versioned["id"] as! String)v2"
        let doubled = try scratch.write("doubled.jsonl", JSONLines.join(lines + lines + [try JSONLines.line(versioned)]))
        let result = try CLI.run(["review", "--papers", doubled.path, "--json", "--count", "100", "--similarity-cap", "1"])
        try #require(result.status == 0, CLI.describe(result))
        let ids = try Self.picks(result.stdout).map(\.id)
        #expect(ids.count == lines.count, "\(ids)")
        #expect(Set(ids).count == ids.count, "\(ids)")
        // The library keeps each paper once, under its id without version, so a label given to the versioned
        // record takes the paper off the library's queue.
        let library = scratch.path("lib.sqlite")
        let versionedID = versioned["id"] as! String
        let label = try CLI.run(["label", "--papers", doubled.path, "--library", library, "--from", scratch.write("a.tsv", "\(versionedID)\tgeneral\n").path])
        try #require(label.status == 0, CLI.describe(label))
        let queue = try CLI.run(["review", "--library", library, "--json", "--count", "100", "--similarity-cap", "1"])
        try #require(queue.status == 0, CLI.describe(queue))
        let queued = try Self.picks(queue.stdout).map(\.id)
        #expect(queued.count == lines.count - 1 && !queued.contains { $0.contains("v") }, "\(queued)")
        #expect(!queued.contains(Paper.idWithoutVersion(versionedID)))
    }

    @Test("review and label read every --papers file given, in order, as digest does (not only the last)")
    func severalPapersFiles() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let lines = try JSONLines.sampleLines()
        let first = try scratch.write("first.jsonl", JSONLines.join(Array(lines[..<6])))
        let second = try scratch.write("second.jsonl", JSONLines.join(Array(lines[6...])))
        let review = try CLI.run(["review", "--papers", first.path, "--papers", second.path, "--json", "--count", "100", "--similarity-cap", "1"])
        try #require(review.status == 0, CLI.describe(review))
        #expect(try Self.picks(review.stdout).count == lines.count)
        let library = scratch.path("lib.sqlite")
        let label = try CLI.run(["label", "--papers", first.path, "--papers", second.path, "--library", library, "--count", "1"], input: Data("q\n".utf8))
        try #require(label.status == 0, CLI.describe(label))
        let stored = try CLI.run(["review", "--library", library, "--json", "--count", "100", "--similarity-cap", "1"])
        #expect(try Self.picks(stored.stdout).count == lines.count, CLI.describe(stored))
    }

    @Test("label, driven by scripted keys: answers, undo, skip, off-topic, unknown key, quit; the next run resumes")
    func scriptedLabelling() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let feed = LoopData.sampleFeed.path, library = scratch.path("lib.sqlite")
        let order = try Self.picks(try CLI.run(["review", "--feed", feed, "--json"]).stdout).map(\.id)
        try #require(order.count == 6)
        let run = try CLI.run(["label", "--feed", feed, "--library", library, "--who", "tester"], input: Data("2\nu\n4\ns\no\nz\nh\nq\n".utf8))
        try #require(run.status == 0, CLI.describe(run))
        // The legend, wrapped to 80 columns (standard output is not a terminal here).
        #expect(run.stdoutText.contains("1 hardware  2 algorithms  3 applications  4 general  h hardware  g general\no off-topic  s skip  u undo  q quit"))
        #expect(run.stdoutText.contains("Unknown key \"z\"."))
        #expect(run.stderrText.contains("labelled \(order[0]) as algorithms\nundid the label of \(order[0])\nlabelled \(order[0]) as general"))
        let exported = try CLI.run(["library", "export", "--labels", "--library", library])
        let labels = try JSONLines.lines(of: exported.stdout).map { line -> String in
            let o = try JSONLines.object(line)
            return "\(o["id"]!)=\(o["label"]!)"
        }
        #expect(Set(labels) == ["\(order[0])=general", "\(order[2])=off-topic", "\(order[3])=hardware"])

        // Resume: the labelled papers are gone from the queue; the skipped one comes first.
        let again = try CLI.run(["label", "--library", library], input: Data("q\n".utf8))
        #expect(again.stdoutText.contains("[1/3] \(order[1])"), "\(again.stdoutText.prefix(300))")
    }

    @Test("label killed with SIGKILL keeps every committed answer, and the next run resumes after them")
    func resumeAfterKill() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let feed = LoopData.sampleFeed.path, library = scratch.path("lib.sqlite")
        let order = try Self.picks(try CLI.run(["review", "--feed", feed, "--json"]).stdout).map(\.id)
        let process = Process()
        process.executableURL = try ProcessRunner.arxivDigestBinary()
        process.arguments = ["label", "--feed", feed, "--library", library]
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        var stderr = ""
        for key in ["1", "3"] {
            input.fileHandleForWriting.write(Data((key + "\n").utf8))
            // Wait for the acknowledgement: the answer is committed before it is printed.
            let acknowledged = readText(errors.fileHandleForReading, into: &stderr) {
                $0.components(separatedBy: "labelled ").count - 1 >= (key == "1" ? 1 : 2)
            }
            try #require(acknowledged, "the answer \(key) was not acknowledged: \(stderr)")
        }
        try #require(process.isRunning, "label ended early: \(stderr)")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let exported = try CLI.run(["library", "export", "--labels", "--library", library])
        #expect(JSONLines.lines(of: exported.stdout).count == 2)
        let again = try CLI.run(["label", "--library", library], input: Data("q\n".utf8))
        #expect(again.stdoutText.contains("[1/4] \(order[2])"), "\(again.stdoutText.prefix(300))")
    }

    @Test("label --from answers.tsv: a bad line names the file and line and records nothing; the fixed file records each line once")
    func answersFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let library = scratch.path("lib.sqlite")
        let good = "# id\tlabel\n9999.00001\thardware\n9999.00004\toff-topic\tsurvey, not our field\n"
        try scratch.write("answers.tsv", good + "9999.00002\tquantum\n9999.00003\tapplications\n")
        let run = try CLI.run(["label", "--feed", LoopData.sampleFeed.path, "--library", library, "--from", scratch.path("answers.tsv")])
        #expect(run.status != 0)
        #expect(run.stderrText.contains("answers.tsv:4: unknown label \"quantum\""), CLI.describe(run))
        // Nothing was written: not even the new library file.
        #expect(!FileManager.default.fileExists(atPath: library), "a failed label --from left a library behind")

        // Against an existing library: a bad last line leaves its labels as they were.
        let first = try CLI.run(["label", "--feed", LoopData.sampleFeed.path, "--library", library, "--from", scratch.write("first.tsv", "9999.00005\tgeneral\n").path])
        try #require(first.status == 0, CLI.describe(first))
        let bad = try CLI.run(["label", "--library", library, "--from", scratch.write("bad.tsv", good + "9999.00003\tbogus\n").path])
        #expect(bad.status != 0 && bad.stderrText.contains("bad.tsv:4: unknown label \"bogus\""), CLI.describe(bad))
        #expect(try Self.exportedLabels(library) == ["9999.00005=general"])

        // Fixed and run again: every answer once, no duplicates from the failed run.
        let fixed = try CLI.run(["label", "--library", library, "--from", scratch.write("fixed.tsv", good + "9999.00003\tgeneral\n").path])
        try #require(fixed.status == 0, CLI.describe(fixed))
        #expect(fixed.stderrText.contains("recorded 3 label(s)"))
        #expect(try Self.exportedLabels(library) == ["9999.00001=hardware", "9999.00003=general", "9999.00004=off-topic", "9999.00005=general"])

        let missing = try CLI.run(["label", "--library", library, "--from", scratch.write("more.tsv", "9999.00002\tgeneral\n1234.5678\tgeneral\n").path])
        #expect(missing.status != 0 && missing.stderrText.contains("more.tsv:2: paper 1234.5678 is not in the library"))
        #expect(try Self.exportedLabels(library).count == 4, "the answer before the unknown paper was recorded")

        // An id with its version names the paper the library keeps without it; an unknown one is still refused.
        let versioned = try CLI.run(["label", "--library", library, "--from", scratch.write("v.tsv", "9999.00002v3\tapplications\n").path])
        try #require(versioned.status == 0, CLI.describe(versioned))
        #expect(try Self.exportedLabels(library).contains("9999.00002=applications"))
        let unknownVersion = try CLI.run(["label", "--library", library, "--from", scratch.write("u.tsv", "1234.5678v2\tgeneral\n").path])
        #expect(unknownVersion.status != 0 && unknownVersion.stderrText.contains("u.tsv:1: paper 1234.5678v2 is not in the library"), CLI.describe(unknownVersion))
    }

    @Test("label --from reads CRLF line ends and a UTF-8 byte order mark")
    func answersFileCRLFAndBOM() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let library = scratch.path("lib.sqlite")
        let text = "\u{FEFF}9999.00001\thardware\r\n# a comment\r\n9999.00002\talgorithms\tnote here\r\n\r\n9999.00003\toff-topic\r\n"
        let run = try CLI.run(["label", "--feed", LoopData.sampleFeed.path, "--library", library, "--from", scratch.write("crlf.tsv", text).path])
        try #require(run.status == 0, CLI.describe(run))
        #expect(try Self.exportedLabels(library) == ["9999.00001=hardware", "9999.00002=algorithms", "9999.00003=off-topic"])
        // A bad line is still named by its own line number.
        let bad = try CLI.run(["label", "--library", library, "--from", scratch.write("bad.tsv", "\u{FEFF}9999.00004\tgeneral\r\n9999.00005\tbogus\r\n").path])
        #expect(bad.status != 0 && bad.stderrText.contains("bad.tsv:2: unknown label \"bogus\""), CLI.describe(bad))
    }

    @Test("label --from: a line with extra fields, a line that is not UTF-8 and two labels for one paper are refused by line; the same answer twice counts once")
    func answersFileStrictLines() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let library = scratch.path("lib.sqlite")
        let feed = LoopData.sampleFeed.path
        let cases: [(String, Data, String)] = [
            ("extra.tsv", Data("9999.00001\thardware\n9999.00002\tgeneral\tnote\textra\n".utf8),
             "extra.tsv:2: expected id<TAB>label or id<TAB>label<TAB>note, got 4 field(s)"),
            ("latin1.tsv", Data("9999.00001\thardware\n9999.00002\tgeneral\tnot\u{E9}\n".utf8.map { $0 }.filter { $0 != 0xC3 }.map { $0 == 0xA9 ? 0xE9 : $0 }),
             "latin1.tsv:2: not valid UTF-8"),
            ("conflict.tsv", Data("9999.00001\thardware\n9999.00003\tgeneral\n9999.00001v2\talgorithms\n".utf8),
             "conflict.tsv:3: paper 9999.00001v2 is labelled \"algorithms\" here but \"hardware\" at \(scratch.path("conflict.tsv")):1"),
        ]
        for (name, data, message) in cases {
            let run = try CLI.run(["label", "--feed", feed, "--library", library, "--from", scratch.write(name, data).path])
            #expect(run.status == 1 && run.stderrText.contains(message), CLI.describe(run))
            #expect(!FileManager.default.fileExists(atPath: library), "\(name): a refused file left a library behind")
        }
        let notes = try CLI.run(["label", "--feed", feed, "--library", library, "--from",
                                 scratch.write("notes.tsv", "9999.00001\thardware\tfirst\n9999.00001\thardware\tsecond\n").path])
        #expect(notes.status == 1 && notes.stderrText.contains("notes.tsv:2: paper 9999.00001 has a note here that differs from its answer at"), CLI.describe(notes))
        let twice = try CLI.run(["label", "--feed", feed, "--library", library, "--from",
                                 scratch.write("twice.tsv", "9999.00001\thardware\tsame note\n9999.00001\thardware\tsame note\n").path])
        try #require(twice.status == 0, CLI.describe(twice))
        #expect(twice.stderrText.contains("recorded 1 label(s)"), CLI.describe(twice))
        #expect(try Self.exportedLabels(library) == ["9999.00001=hardware"])
    }

    /// `id=label` of every labelled paper of `library`, sorted.
    @Test("label --from records a new field's first labels before it has a model; the paper id's emptiness is named")
    func answersWithoutModel() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let initialised = try CLI.run(["init", scratch.path("field"), "--name", "n", "--section", "hardware:H", "--section", "general:G", "--query", "all:x"])
        try #require(initialised.status == 0, CLI.describe(initialised))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("field/topics.model")))
        let profile = scratch.path("field/profile.toml")
        let labelled = try CLI.run(["label", "--profile", profile, "--feed", LoopData.sampleFeed.path,
                                    "--from", scratch.write("a.tsv", "9999.00001\thardware\n").path])
        try #require(labelled.status == 0, CLI.describe(labelled))
        #expect(try Self.exportedLabels(scratch.path("field/library.sqlite")) == ["9999.00001=hardware"])
        let emptyID = try CLI.run(["label", "--profile", profile, "--from", scratch.write("e.tsv", "\thardware\n").path])
        #expect(emptyID.status == 1 && emptyID.stderrText.contains("e.tsv:1: the paper id (the first field) is empty"), CLI.describe(emptyID))
        // Without --from the labeller ranks papers, which needs the model: that is named.
        let interactive = try CLI.run(["label", "--profile", profile, "--feed", LoopData.sampleFeed.path], input: Data("q".utf8))
        #expect(interactive.status == 1 && interactive.stderrText.contains("topics.model"), CLI.describe(interactive))
    }

    @Test("review --papers leaves out what the profile's library has labelled, as label does; --similarity-cap 1 keeps identical papers")
    func reviewUsesProfileLibrary() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let shipped = try String(contentsOf: SharedData.packageRoot.appendingPathComponent("Models/open-neuromorphic.toml"), encoding: .utf8)
        let model = SharedData.packageRoot.appendingPathComponent("Models/topics-tfidf.model").path
        try scratch.write("profile.toml", shipped.replacingOccurrences(of: "model = \"topics.model\"", with: "model = \"\(model)\""))
        let profile = scratch.path("profile.toml")
        let review = ["review", "--profile", profile, "--feed", LoopData.sampleFeed.path, "--json", "--count", "100", "--similarity-cap", "1"]
        let before = try Self.picks(try CLI.run(review).stdout).map(\.id)
        try #require(before.contains("9999.00001"), "\(before)")
        let labelled = try CLI.run(["label", "--profile", profile, "--feed", LoopData.sampleFeed.path,
                                    "--from", scratch.write("a.tsv", "9999.00001\thardware\n").path])
        try #require(labelled.status == 0, CLI.describe(labelled))
        let after = try Self.picks(try CLI.run(review).stdout).map(\.id)
        #expect(after == before.filter { $0 != "9999.00001" }, "\(after)")

        // Each paper twice, the same text under two ids: a cosine of 1 (often rounded a hair above it) is not above
        // a cap of 1, so every one is listed.
        let lines = try JSONLines.sampleLines()
        let twins = try lines.enumerated().map { index, line in
            var twin = try JSONLines.object(line)
            twin["id"] = String(format: "2612.990%02d", index)
            return try JSONLines.line(twin)
        }
        let file = try scratch.write("twins.jsonl", JSONLines.join(lines + twins))
        let capped = try CLI.run(["review", "--model", model, "--papers", file.path, "--json", "--count", "100", "--similarity-cap", "1"])
        try #require(capped.status == 0, CLI.describe(capped))
        #expect(try Self.picks(capped.stdout).count == 2 * lines.count)
    }

    static func exportedLabels(_ library: String) throws -> [String] {
        let exported = try CLI.run(["library", "export", "--labels", "--library", library])
        try #require(exported.status == 0, CLI.describe(exported))
        return try JSONLines.lines(of: exported.stdout).map { line -> String in
            let o = try JSONLines.object(line)
            return "\(o["id"]!)=\(o["label"]!)"
        }.sorted()
    }
}
