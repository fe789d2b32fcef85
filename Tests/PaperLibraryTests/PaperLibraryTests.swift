import ArxivFeed
import Foundation
import GRDB
import Testing
import TestSupport
@testable import PaperLibrary

private func paper(_ id: String, title: String = "A title", authors: [String]? = ["A. Author", "B. Author"]) -> Paper {
    Paper(id: id, url: "http://arxiv.org/abs/\(id)v1", title: title, abstract: "An abstract about \(title).", published: "2026-11-30T10:00:00Z",
          updated: "2026-12-01T10:00:00Z", authors: authors, affiliations: [["Lab"], []], primaryCategory: "cs.NE",
          categories: ["cs.NE", "cs.LG"], pdfURL: "http://arxiv.org/pdf/\(id)v1", doi: "10.1/x", comment: "5 pages", journalRef: "J. 1")
}

private func scratchLibrary() throws -> URL {
    try SharedData.temporaryDirectory().appendingPathComponent("library.sqlite")
}

@Suite("Paper library")
struct PaperLibraryTests {
    @Test("papers round-trip with every field; a second sighting moves last_seen and keeps first_seen")
    func papersRoundTrip() throws {
        let url = try scratchLibrary()
        let day1 = Date(timeIntervalSince1970: 1_764_000_000), day2 = day1.addingTimeInterval(86_400)
        var a = paper("2612.00001", title: "Spiking \"quotes\" and ünïcode")
        a.label = "hardware" // not stored: labels live in the labels table
        try PaperLibrary(url: url).recordPapers([a, paper("2612.00002")], at: day1)
        var updated = paper("2612.00001", title: "Spiking, revised")
        updated.comment = "v2"
        let library = try PaperLibrary(url: url)
        try library.recordPapers([updated], at: day2)
        let stored = try library.papers()
        #expect(stored.map(\.paper.id) == ["2612.00001", "2612.00002"])
        #expect(stored[0].paper == updated)
        #expect(stored[0].firstSeen == "2025-11-24T16:00:00Z" && stored[0].lastSeen == "2025-11-25T16:00:00Z")
        #expect(stored[1].paper == paper("2612.00002") && stored[1].firstSeen == stored[1].lastSeen)
        #expect(try library.paper(id: "2612.00002") == paper("2612.00002"))
        #expect(try library.paper(id: "nope") == nil)
    }

    @Test("runs record sections, abstentions and the off-topic list; shown ids exclude off-topic papers")
    func runs() throws {
        let library = try PaperLibrary(url: try scratchLibrary())
        try library.recordPapers([paper("1"), paper("2"), paper("3")], at: Date())
        let id = try library.recordRun(time: Date(timeIntervalSince1970: 0), profile: "open-neuromorphic", modelSHA256: "ab12", papers: [
            .init(paperID: "1", section: "hardware", abstained: false),
            .init(paperID: "2", section: "general", abstained: true),
            .init(paperID: "3", section: nil, abstained: false),
        ])
        let run = try #require(try library.runs().first)
        #expect(run.id == id && run.time == "1970-01-01T00:00:00Z" && run.profile == "open-neuromorphic" && run.modelSHA256 == "ab12")
        #expect(run.offTopic == ["3"])
        #expect(run.sections == ["hardware": ["1"], "general": ["2"]])
        #expect(run.papers[1].abstained)
        #expect(try library.shownPaperIDs() == ["1", "2"])
        // A run naming a paper the library does not hold is refused whole (foreign key, one transaction).
        #expect(throws: PaperLibraryError.self) {
            try library.recordRun(time: Date(), profile: "p", modelSHA256: "x", papers: [.init(paperID: "1", section: "hardware", abstained: false), .init(paperID: "missing", section: "general", abstained: false)])
        }
        #expect(try library.runs().count == 1)
    }

    @Test("labels: history kept, latest wins, undo falls back, unknown papers refused")
    func labels() throws {
        let library = try PaperLibrary(url: try scratchLibrary())
        try library.recordPapers([paper("1"), paper("2"), paper("3")], at: Date())
        try library.addLabel(paperID: "1", label: "hardware", who: "ana", note: "sure", at: Date())
        let second = try library.addLabel(paperID: "1", label: "algorithms", who: "ana", at: Date())
        try library.addLabel(paperID: "2", label: "off-topic", who: "bo", at: Date())
        #expect(try library.labelledPapers().map { "\($0.id)=\($0.label!)" } == ["1=algorithms", "2=off-topic"])
        #expect(try library.unlabelledPapers().map(\.id) == ["3"])
        try library.removeLabel(id: second)
        #expect(try library.labelledPapers().first?.label == "hardware")
        #expect(try library.labels().map(\.note) == ["sure", nil])
        #expect { try library.addLabel(paperID: "404", label: "x", who: "ana", at: Date()) } throws: { "\($0)".contains("no paper 404") }
    }

    @Test("predictions are stored per model, a new one replacing the old")
    func predictions() throws {
        let library = try PaperLibrary(url: try scratchLibrary())
        try library.recordPapers([paper("1")], at: Date())
        try library.recordPredictions([.init(paperID: "1", label: "hardware", confidence: 0.6, probabilities: ["hardware": 0.6, "general": 0.4])], modelSHA256: "m1", at: Date())
        try library.recordPredictions([.init(paperID: "1", label: "general", confidence: 0.7, probabilities: ["hardware": 0.3, "general": 0.7])], modelSHA256: "m1", at: Date())
        #expect(try library.predictions(modelSHA256: "m1")["1"]?.label == "general")
        #expect(try library.predictions(modelSHA256: "m1")["1"]?.probabilities == ["hardware": 0.3, "general": 0.7])
        #expect(try library.predictions(modelSHA256: "m2").isEmpty)
    }

    /// A library as the first release wrote it (schema version 1) holding one paper, `old.1`; the queue is open.
    private func versionOneLibrary() throws -> (url: URL, queue: DatabaseQueue) {
        let url = try scratchLibrary()
        let queue = try DatabaseQueue(path: url.path)
        try LibrarySchema.migrator.migrate(queue, upTo: "v1-papers-runs")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO papers (id, title, abstract, published, record, first_seen, last_seen) VALUES ('old.1', 't', 'a', '2020-01-01', ?, '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')",
                           arguments: [#"{"id":"old.1","title":"t","abstract":"a","published":"2020-01-01"}"#])
        }
        return (url, queue)
    }

    @Test("a version-1 library is upgraded in place, keeping its papers and runs")
    func migration() throws {
        let (url, queue) = try versionOneLibrary()
        #expect(try queue.read { db in try db.tableExists("labels") } == false)
        try queue.close()
        let library = try PaperLibrary(url: url)
        #expect(try library.appliedMigrations() == LibrarySchema.migrationNames)
        #expect(try library.papers().map(\.paper.id) == ["old.1"])
        try library.addLabel(paperID: "old.1", label: "general", who: "t", at: Date())
        #expect(try library.labelledPapers().count == 1)
    }

    @Test("reading a version-1 library upgrades a copy in memory: the file keeps its bytes")
    func readUpgradesInMemory() throws {
        let (url, queue) = try versionOneLibrary()
        try queue.close()
        let before = try Data(contentsOf: url)
        let library = try PaperLibrary(url: url, access: .read)
        #expect(try library.appliedMigrations() == LibrarySchema.migrationNames)
        #expect(try library.papers().map(\.paper.id) == ["old.1"])
        #expect(try library.labelledPapers().isEmpty)
        #expect(try Data(contentsOf: url) == before, "a read must not write the file")
        #expect(!FileManager.default.fileExists(atPath: url.path + "-journal"))
    }

    @Test("--new-only under the lock: a paper another run showed after this run read the library fails the run, and nothing is recorded or published")
    func unshownOnlyIsCheckedUnderTheLock() throws {
        let url = try scratchLibrary()
        let first = try PaperLibrary(url: url), second = try PaperLibrary(url: url)
        let papers = [paper("1"), paper("2")]
        let placements = papers.map { PaperLibrary.RunPaper(paperID: $0.id, section: "general", abstained: false) }
        func run() -> PaperLibrary.DigestRun {
            .init(time: Date(), profile: "p", modelSHA256: "m", papers: papers, predictions: nil, placements: placements, unshownOnly: true)
        }
        // Both read "nothing shown yet"; the second records first.
        #expect(try first.shownPaperIDs().isEmpty && second.shownPaperIDs().isEmpty)
        _ = try second.record(run(), around: {})
        var prepared = false
        #expect {
            try first.record(run(), around: { prepared = true })
        } throws: { "\($0)".contains("another digest run showed 2 of these papers (1 first)") }
        #expect(!prepared)
        #expect(try first.runs().count == 1)
    }

    @Test("a file shorter than SQLite's header is no library; a library deleted while open says so; a run deleted by hand no longer counts as shown")
    func oddStates() throws {
        let url = try scratchLibrary()
        try Data([0x41]).write(to: url)
        #expect { try PaperLibrary(url: url) } throws: { "\($0)".contains("1 byte(s), too short for an SQLite database") }
        try FileManager.default.removeItem(at: url)

        let library = try PaperLibrary(url: url)
        try library.record(.init(time: Date(), profile: "p", modelSHA256: "m", papers: [paper("1")], predictions: nil,
                                 placements: [.init(paperID: "1", section: "general", abstained: false)]), around: {})
        #expect(try library.shownPaperIDs() == ["1"])
        // As `sqlite3 library.sqlite 'DELETE FROM runs'` does: foreign keys are off there, so run_papers stays.
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let byHand = try DatabaseQueue(path: url.path, configuration: configuration)
        try byHand.write { try $0.execute(sql: "DELETE FROM runs") }
        try byHand.close()
        #expect(try library.shownPaperIDs().isEmpty)

        try FileManager.default.removeItem(at: url)
        #expect { try library.addLabel(paperID: "1", label: "general", who: "t", at: Date()) } throws: { "\($0)".contains("moved or deleted") }
    }

    @Test("a library name of up to 247 bytes works (its journal must fit in 255); a longer one is refused saying why")
    func longNames() throws {
        let folder = try scratchLibrary().deletingLastPathComponent()
        let longest = folder.appendingPathComponent(String(repeating: "a", count: 240) + ".sqlite")
        let library = try PaperLibrary(url: longest)
        try library.recordPapers([paper("1")], at: Date())
        #expect(try library.papers().count == 1)
        let tooLong = folder.appendingPathComponent(String(repeating: "b", count: 241) + ".sqlite")
        #expect { try PaperLibrary(url: tooLong) } throws: { "\($0)".contains("at most 247") && "\($0)".contains("NAME-journal") }
    }

    @Test("a library from a newer build, or a file that is no database, is refused with its name")
    func refusals() throws {
        let url = try scratchLibrary()
        _ = try PaperLibrary(url: url)
        let queue = try DatabaseQueue(path: url.path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
        try queue.close()
        #expect { try PaperLibrary(url: url) } throws: { "\($0)".contains(url.path) && "\($0)".contains("newer") }

        let junk = try scratchLibrary()
        try Data(repeating: 0x41, count: 4096).write(to: junk)
        #expect { try PaperLibrary(url: junk) } throws: { "\($0)".contains(junk.path) && "\($0)".contains("not a paper library") }
    }

    @Test("another program's SQLite database, or an empty file, is refused for reading and for recording, and left byte for byte")
    func foreignFilesAreNotAdopted() throws {
        let foreign = try scratchLibrary()
        let queue = try DatabaseQueue(path: foreign.path)
        try queue.write { try $0.execute(sql: "CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('x')") }
        try queue.close()
        let empty = try scratchLibrary()
        try Data().write(to: empty)
        for (url, reason) in [(foreign, "not a paper library (it holds the tables bookmarks)"), (empty, "is an empty file, not a paper library")] {
            let bytes = try Data(contentsOf: url)
            for access in [PaperLibrary.Access.read, .record] {
                #expect { try PaperLibrary(url: url, access: access) } throws: { "\($0)".hasPrefix(url.path + ": ") && "\($0)".contains(reason) }
            }
            #expect(try Data(contentsOf: url) == bytes, "\(url.lastPathComponent) was changed")
        }
    }

    @Test("reading opens the library read-only: a missing one is not created, an existing one is not written")
    func readAccess() throws {
        let missing = try scratchLibrary()
        #expect { try PaperLibrary(url: missing, access: .read) } throws: { "\($0)" == "\(missing.path): no paper library there" }
        #expect(!FileManager.default.fileExists(atPath: missing.path))

        let url = try scratchLibrary()
        try PaperLibrary(url: url, access: .record).recordPapers([paper("1")], at: Date())
        let bytes = try Data(contentsOf: url)
        let reader = try PaperLibrary(url: url, access: .read)
        #expect(try reader.papers().map(\.paper.id) == ["1"])
        #expect(throws: PaperLibraryError.self) { try reader.addLabel(paperID: "1", label: "general", who: "t", at: Date()) }
        #expect(try Data(contentsOf: url) == bytes)
    }

    /// A copy of the library at `url` and its journal taken in the middle of a big write transaction on `queue`
    /// (after SQLite spilled changed pages to the file): what SIGKILL at that moment leaves behind. The
    /// transaction itself is rolled back once the copy is taken.
    private func crashSnapshot(_ queue: DatabaseQueue, of url: URL) throws -> URL {
        let crashed = try scratchLibrary()
        #expect(throws: CancellationError.self) {
            try queue.write { db in
                try db.execute(sql: "PRAGMA cache_size = 1")
                for i in 0..<2000 {
                    try db.execute(sql: "INSERT INTO papers (id, title, abstract, published, record, first_seen, last_seen) VALUES (?, 't', 'a', 'p', '{}', 'f', 'l')",
                                   arguments: ["big.\(i)"])
                }
                try FileManager.default.copyItem(atPath: url.path, toPath: crashed.path)
                try FileManager.default.copyItem(atPath: url.path + "-journal", toPath: crashed.path + "-journal")
                throw CancellationError()
            }
        }
        return crashed
    }

    @Test("reading a library a killed writer left with a hot journal rolls that journal back and reads the committed state")
    func readAfterCrash() throws {
        let url = try scratchLibrary()
        try PaperLibrary(url: url).recordPapers([paper("1")], at: Date())
        let queue = try DatabaseQueue(path: url.path)
        let crashed = try crashSnapshot(queue, of: url)
        try? queue.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: crashed.path + "-journal")).count > 0)
        let library = try PaperLibrary(url: crashed, access: .read)
        #expect(try library.papers().map(\.paper.id) == ["1"])
        #expect(try library.integrityCheck() == "ok")
    }

    @Test("reading a version-1 library a killed writer left with a hot journal rolls the journal back, and still leaves the file at version 1")
    func readOlderAfterCrash() throws {
        let (url, queue) = try versionOneLibrary()
        let crashed = try crashSnapshot(queue, of: url)
        try? queue.close()
        let library = try PaperLibrary(url: crashed, access: .read)
        #expect(try library.appliedMigrations() == LibrarySchema.migrationNames)
        #expect(try library.papers().map(\.paper.id) == ["old.1"])
        var readOnly = Configuration()
        readOnly.readonly = true
        let file = try DatabaseQueue(path: crashed.path, configuration: readOnly)
        #expect(try file.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") } == ["v1-papers-runs"],
                "a read upgraded the file itself")
        #expect(try file.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM papers") } == 1)
    }

    @Test("a stored record that no longer decodes is named by its paper")
    func damagedRecord() throws {
        let url = try scratchLibrary()
        try PaperLibrary(url: url).recordPapers([paper("1")], at: Date())
        let queue = try DatabaseQueue(path: url.path)
        try queue.write { db in try db.execute(sql: #"UPDATE papers SET record = '{"id": 5}' WHERE id = '1'"#) }
        try queue.close()
        #expect { try PaperLibrary(url: url, access: .read).papers() } throws: { error in
            "\(error)" == "\(url.path): the stored record of paper 1 is damaged (field \"id\": expected string); was the library edited by another program?"
        }
    }

    @Test("a stored value of the wrong type (another program's edit) is an error naming its column, not a crash", arguments: [
        ("UPDATE papers SET record = X'FFFE00'", "papers.record", "papers"),
        ("UPDATE papers SET first_seen = X'FF'", "papers.first_seen", "papers"),
        ("UPDATE run_papers SET abstained = 'yes'", "run_papers.abstained", "runs"),
        ("UPDATE labels SET label = X'FF'", "labels.label", "labels"),
        ("UPDATE labels SET label = X'FF'", "labels.label", "record"),
    ])
    func wrongType(sql: String, column: String, call: String) throws {
        let url = try scratchLibrary()
        let library = try PaperLibrary(url: url)
        try library.recordPapers([paper("1")], at: Date())
        _ = try library.recordRun(time: Date(), profile: "p", modelSHA256: "x", papers: [.init(paperID: "1", section: "hardware", abstained: false)])
        _ = try library.addLabel(paperID: "1", label: "hardware", who: "me", at: Date())
        let queue = try DatabaseQueue(path: url.path)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
        let damaged = try PaperLibrary(url: url, access: call == "record" ? .record : .read)
        #expect {
            switch call {
            case "papers": _ = try damaged.papers()
            case "runs": _ = try damaged.runs()
            case "labels": _ = try damaged.labels()
            default: _ = try damaged.record(papers: [], answers: [.init(paperID: "1", label: "general")], who: "me", at: Date())
            }
        } throws: { error in
            "\(error)" == "\(url.path): its \(column) holds a value of the wrong type; was the library edited by another program?"
        }
    }

    @Test("a run whose pages cannot all be put in place is removed again: its papers are not counted as shown")
    func unpublishedRunIsForgotten() throws {
        let url = try scratchLibrary()
        let library = try PaperLibrary(url: url)
        struct RenameRefused: Error {}
        let run = PaperLibrary.DigestRun(time: Date(), profile: "p", modelSHA256: "m", papers: [paper("1"), paper("2")], predictions: nil,
                                         placements: [.init(paperID: "1", section: "hardware", abstained: false),
                                                      .init(paperID: "2", section: "general", abstained: false)], unshownOnly: true)
        #expect(throws: RenameRefused.self) {
            try library.record(run, around: { "pages" }, publish: { _ in throw RenameRefused() })
        }
        #expect(try library.runs().isEmpty)
        #expect(try library.shownPaperIDs().isEmpty)
        #expect(try library.paperIDs() == ["1", "2"], "the papers stay, as seen")
        // The next run shows them, and this time its pages go in place.
        var published = false
        let id = try library.record(run, around: { "pages" }, publish: { _ in published = true })
        #expect(published)
        #expect(try library.runs().map(\.id) == [id])
        #expect(try library.shownPaperIDs() == ["1", "2"])
    }

    @Test("SQLite's \"attempt to write a readonly database\" is explained when a stopped writer's journal is the cause")
    func readOnlyReasons() throws {
        let url = try scratchLibrary()
        try PaperLibrary(url: url).recordPapers([paper("1")], at: Date())
        #expect(PaperLibrary.readOnlyReason(url) == nil, "a writable folder without a journal has no reason to give")
        #expect(FileManager.default.createFile(atPath: url.path + "-journal", contents: Data("x".utf8)))
        let reason = try #require(PaperLibrary.readOnlyReason(url))
        #expect(reason.contains("left \(url.lastPathComponent)-journal beside it") && reason.contains(url.deletingLastPathComponent().path), "\(reason)")
    }

    @Test("record(_:around:) takes the write lock before publishing: with another connection reading (or writing), nothing is published or recorded",
          arguments: ["read", "write"])
    func recordAroundWaitsForTheLock(holder: String) throws {
        let url = try scratchLibrary()
        let library = try PaperLibrary(url: url)
        try library.recordPapers([paper("2612.00001")], at: Date())
        let run = PaperLibrary.DigestRun(time: Date(), profile: "p", modelSHA256: "m", papers: [paper("2612.00002")], predictions: nil,
                                         placements: [.init(paperID: "2612.00002", section: "hardware", abstained: false)])
        var published = false
        // Another connection inside a transaction that has read (a SHARED lock) or begun to write (RESERVED);
        // the library gives up after its 10-second busy timeout.
        let other = try DatabaseQueue(path: url.path)
        try other.writeWithoutTransaction { db in
            try db.inTransaction(holder == "read" ? .deferred : .immediate) {
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM papers")
                #expect { try library.record(run, around: { published = true }) } throws: { "\($0)".contains("database is locked") }
                return .commit
            }
        }
        #expect(!published)
        #expect(try library.runs().isEmpty && library.papers().map(\.paper.id) == ["2612.00001"])
        // With the lock free the same run is published and recorded.
        try library.record(run, around: { published = true })
        #expect(try published && library.runs().count == 1)
    }

    @Test("record(papers:answers:) is one transaction: an answer naming an unknown paper leaves papers and labels as they were")
    func recordAllOrNothing() throws {
        let library = try PaperLibrary(url: try scratchLibrary())
        try library.recordPapers([paper("1")], at: Date())
        #expect(throws: PaperLibraryError.self) {
            try library.record(papers: [paper("2")], answers: [.init(paperID: "2", label: "hardware"), .init(paperID: "404", label: "general")], who: "t", at: Date())
        }
        #expect(try library.papers().map(\.paper.id) == ["1"] && library.labels().isEmpty)
        try library.record(papers: [paper("2")], answers: [.init(paperID: "1", label: "general", note: "n"), .init(paperID: "2", label: "hardware")], who: "t", at: Date())
        #expect(try library.labels().map { "\($0.paperID)=\($0.label)" } == ["1=general", "2=hardware"])
        #expect(try library.labelledPaperIDs() == ["1", "2"] && library.paperIDs() == ["1", "2"])
    }
}
