import ArxivFeed
import AtomicFiles
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// The paper library: an SQLite file that remembers every paper fetched, every digest run (which
/// papers it showed in which section), the model's predictions and the labels people gave.
///
/// Every write is one transaction: a crash or SIGKILL loses at most the write in progress, never
/// one already returned from, and never leaves a corrupt file (SQLite's rollback journal).
public final class PaperLibrary: @unchecked Sendable {
    /// The file, for messages.
    public let url: URL
    private let queue: DatabaseQueue

    /// How a command uses the library.
    public enum Access: Sendable {
        /// Reading only: the file must exist and be a paper library; it is opened read-only and never
        /// written (an older library is upgraded in a copy in memory, so it also reads from read-only media).
        case read
        /// Recording papers, runs and labels: a missing file is created as a new library, but an
        /// existing file that is not one (another program's SQLite database, an empty file) is refused,
        /// never adopted.
        case record
    }

    /// Opens the library at `url` for `access`.
    /// - Throws: ``PaperLibraryError`` naming the file when it is missing (for reading), not a library,
    ///   or newer than this build.
    public init(url: URL, access: Access = .record) throws {
        self.url = url
        var exists = FileManager.default.fileExists(atPath: url.path)
        if !exists && access == .read { throw PaperLibraryError(file: url.path, detail: "no paper library there") }
        if exists, let kind = Self.nonRegularKind(url.path) {
            // SQLite would call a directory "disk I/O error" and a device "an empty file".
            throw PaperLibraryError(file: url.path, detail: "is \(kind), not a paper library file")
        }
        if !exists, let problem = Self.creationProblem(url) {
            // SQLite would only say "unable to open database file".
            throw PaperLibraryError(file: url.path, detail: problem)
        }
        do {
            if !exists {
                try Self.createLibrary(at: url)
                exists = true
            }
            // A writer killed mid-transaction leaves a hot journal, which only a connection that may
            // write can roll back (SQLite does so on the first read); that is recovery, not adoption.
            let needsRecovery = (Self.fileSize(url.path + "-journal") ?? 0) > 0
            let isCurrent = exists ? try Self.requireLibrary(at: url, readonly: !needsRecovery) : false
            var configuration = Self.configuration
            // A library read is opened without any chance of writing to it. The probe above rolled back a
            // hot journal (recovery), so a read never migrates the file itself.
            configuration.readonly = access == .read
            let file = try DatabaseQueue(path: url.path, configuration: configuration)
            if !configuration.readonly {
                try LibrarySchema.migrator.migrate(file)
                queue = file
            } else if isCurrent {
                queue = file
            } else {
                // An older library: upgraded in a copy in memory, the file left as the older build wrote it.
                let memory = try DatabaseQueue(configuration: Self.configuration)
                try file.backup(to: memory)
                try file.close()
                try LibrarySchema.migrator.migrate(memory)
                queue = memory
            }
        } catch let error as PaperLibraryError {
            throw error
        } catch {
            throw PaperLibraryError(file: url.path, detail: Self.describe(error, library: url))
        }
    }

    /// "a directory", "a character device", … (as output paths name them) for a path (symbolic links
    /// followed) that is no regular file; nil for a regular file or one that cannot be looked at (SQLite then
    /// says why).
    private static func nonRegularKind(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG else { return nil }
        return OutputPath.kind(of: info.st_mode)
    }

    /// Creates a complete library at `url`, or leaves the one another process just created. Two processes
    /// that start at once (a first daily run and a `label` session) must never see each other's half-made
    /// file (an empty file, a schema half migrated, a migration run twice): the library is built and
    /// migrated under a temporary name in the same folder, then hard-linked into place, which fails when
    /// the other's got there first. The temporary name is removed in every case, and on SIGINT/SIGTERM.
    private static func createLibrary(at url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(AtomicFile.shortened(url.lastPathComponent)).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).new").path
        let removeTemporary: @Sendable () -> Void = { unlink(temporary); unlink(temporary + "-journal") }
        let token = TemporaryFileRegistry.atTerminatingSignal(removeTemporary)
        defer {
            removeTemporary()
            TemporaryFileRegistry.cancelAtTerminatingSignal(token)
        }
        let queue = try DatabaseQueue(path: temporary, configuration: configuration)
        try LibrarySchema.migrator.migrate(queue)
        try queue.close()
        guard link(temporary, url.path) != 0 else { return }
        switch errno {
        case EEXIST:
            return // another process created it first: that one is used
        case EPERM, EOPNOTSUPP, ENOSYS:
            // A file system without hard links: rename, unless the library appeared meanwhile.
            if !FileManager.default.fileExists(atPath: url.path), rename(temporary, url.path) != 0 {
                throw PaperLibraryError(file: url.path, detail: "cannot create the library: \(String(cString: strerror(errno)))")
            }
        default:
            throw PaperLibraryError(file: url.path, detail: "cannot create the library: \(String(cString: strerror(errno)))")
        }
    }

    /// Why a new library cannot be created at `url`, or nil: a symbolic link whose target is missing, or a
    /// folder that does not exist.
    private static func creationProblem(_ url: URL) -> String? {
        // SQLite keeps its journal beside the library as NAME-journal, which must fit in a file name too.
        if url.lastPathComponent.utf8.count > 255 - "-journal".utf8.count {
            return "the file name is \(url.lastPathComponent.utf8.count) bytes long; a library's may have at most \(255 - "-journal".utf8.count), since SQLite writes NAME-journal beside it"
        }
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: url.path) {
            return "is a symbolic link to \(target), which does not exist; a library is not created through it"
        }
        var isFolder: ObjCBool = false
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            return "the folder \(folder) does not exist; create it first or give another path"
        }
        return nil
    }

    /// The size in bytes of the file at `path`, nil when it cannot be read.
    private static func fileSize(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Another process (a digest while labelling) waits for the lock instead of failing at once.
        configuration.busyMode = .timeout(10)
        return configuration
    }

    /// Throws unless the existing file at `url` is a paper library this build can read: an empty
    /// file, another program's database or a newer library is refused. Only reads it (`readonly`
    /// false lets SQLite roll back a hot journal).
    /// - Returns: whether it has every migration of this build (false: an older library).
    private static func requireLibrary(at url: URL, readonly: Bool) throws -> Bool {
        if fileSize(url.path) == 0 {
            throw PaperLibraryError(file: url.path, detail: "is an empty file, not a paper library (give a new path to start a library)")
        }
        // Shorter than SQLite's 100-byte header: SQLite itself would read it as an empty database.
        if let size = fileSize(url.path), size < 100 {
            throw PaperLibraryError(file: url.path, detail: "is not a paper library: \(size) byte(s), too short for an SQLite database")
        }
        var configuration = Self.configuration
        configuration.readonly = readonly
        let probe = try DatabaseQueue(path: url.path, configuration: configuration)
        defer { try? probe.close() }
        return try probe.read { db in
            let migrator = LibrarySchema.migrator
            guard try migrator.appliedIdentifiers(db).contains(LibrarySchema.migrationNames[0]) else {
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                let holding = tables.isEmpty ? "no tables" : "the tables " + tables.joined(separator: ", ")
                throw PaperLibraryError(file: url.path, detail: "is an SQLite database but not a paper library (it holds \(holding)); give a new path to start a library")
            }
            if try migrator.hasBeenSuperseded(db) {
                throw PaperLibraryError(file: url.path, detail: "was written by a newer ArxivDigest (its schema has migrations this build does not know)")
            }
            return try migrator.hasCompletedMigrations(db)
        }
    }

    /// The migrations applied to the file, oldest first.
    public func appliedMigrations() throws -> [String] {
        try wrap { try queue.read { try LibrarySchema.migrator.appliedMigrations($0) } }
    }

    // MARK: - Papers

    /// Records `papers` as seen at `time`: new ones are added, known ones get their fields
    /// refreshed and `last_seen` moved on (`first_seen` stays). The label field is not stored.
    public func recordPapers(_ papers: [Paper], at time: Date) throws {
        try wrap { try queue.write { db in try Self.insertPapers(papers, at: time, in: db) } }
    }

    private static func insertPapers(_ papers: [Paper], at time: Date, in db: Database) throws {
        let stamp = timestamp(time)
        let encoder = recordEncoder
        for var paper in papers {
            paper.label = nil
            let record = String(decoding: try encoder.encode(paper), as: UTF8.self)
            try db.execute(sql: """
                INSERT INTO papers (id, title, abstract, published, record, first_seen, last_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET title = excluded.title, abstract = excluded.abstract,
                    published = excluded.published, record = excluded.record, last_seen = excluded.last_seen
                """, arguments: [paper.id, paper.title, paper.abstract, paper.published, record, stamp, stamp])
        }
    }

    /// A stored paper with its first and last sighting.
    public struct StoredPaper: Equatable, Sendable {
        public var paper: Paper
        public var firstSeen: String
        public var lastSeen: String
    }

    /// Every paper, oldest sighting first (ties by id), with its latest label when it has one.
    public func papers() throws -> [StoredPaper] {
        try wrap {
            try queue.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT p.id, p.record, p.first_seen, p.last_seen,
                        (SELECT label FROM labels l WHERE l.paper_id = p.id ORDER BY l.id DESC LIMIT 1) AS label
                    FROM papers p ORDER BY p.first_seen, p.id
                    """)
                return try rows.map { row in
                    let id: String = try Self.value(row, "id", of: "papers")
                    var paper = try Self.decodePaper(Self.value(row, "record", of: "papers"), id: id)
                    paper.label = try Self.value(row, "label", of: "labels")
                    return StoredPaper(paper: paper, firstSeen: try Self.value(row, "first_seen", of: "papers"),
                                       lastSeen: try Self.value(row, "last_seen", of: "papers"))
                }
            }
        }
    }

    /// The stored paper with this id, or nil.
    public func paper(id: String) throws -> Paper? {
        try wrap {
            try queue.read { db in
                try String.fetchOne(db, sql: "SELECT record FROM papers WHERE id = ?", arguments: [id]).map { try Self.decodePaper($0, id: id) }
            }
        }
    }

    /// Papers that have no label yet, in library order.
    public func unlabelledPapers() throws -> [Paper] {
        try papers().map(\.paper).filter { $0.label == nil }
    }

    /// Papers with a label (their latest), in library order: what `train --library` learns from.
    public func labelledPapers() throws -> [Paper] {
        try papers().map(\.paper).filter { $0.label != nil }
    }

    // MARK: - Runs

    /// Where one digest run put one paper.
    public struct RunPaper: Equatable, Sendable {
        public var paperID: String
        /// The section label it was shown under; nil when left out as off-topic.
        public var section: String?
        public var abstained: Bool

        public init(paperID: String, section: String?, abstained: Bool) {
            self.paperID = paperID
            self.section = section
            self.abstained = abstained
        }
    }

    /// One digest run as stored.
    public struct Run: Equatable, Sendable {
        public var id: Int64
        public var time: String
        public var profile: String
        public var modelSHA256: String
        public var papers: [RunPaper]

        /// The papers left out as off-topic.
        public var offTopic: [String] { papers.filter { $0.section == nil }.map(\.paperID) }
        /// Paper ids per section label, in the order they were shown.
        public var sections: [String: [String]] {
            var result: [String: [String]] = [:]
            for paper in papers { if let section = paper.section { result[section, default: []].append(paper.paperID) } }
            return result
        }
    }

    /// Records a digest run and where each paper went, in one transaction. The papers must have
    /// been recorded (``recordPapers(_:at:)``).
    @discardableResult
    public func recordRun(time: Date, profile: String, modelSHA256: String, papers: [RunPaper]) throws -> Int64 {
        try wrap { try queue.write { db in try Self.insertRun(time: time, profile: profile, modelSHA256: modelSHA256, papers: papers, in: db) } }
    }

    private static func insertRun(time: Date, profile: String, modelSHA256: String, papers: [RunPaper], in db: Database) throws -> Int64 {
        try db.execute(sql: "INSERT INTO runs (time, profile, model_sha256) VALUES (?, ?, ?)",
                       arguments: [timestamp(time), profile, modelSHA256])
        let runID = db.lastInsertedRowID
        for (position, paper) in papers.enumerated() {
            try db.execute(sql: "INSERT INTO run_papers (run_id, paper_id, section, abstained, position) VALUES (?, ?, ?, ?, ?)",
                           arguments: [runID, paper.paperID, paper.section, paper.abstained, position])
        }
        return runID
    }

    /// Everything one digest run records: the papers seen, the model's predictions (nil for the keyword
    /// rules) and where each paper went.
    public struct DigestRun: Sendable {
        public var time: Date
        public var profile: String
        public var modelSHA256: String
        public var papers: [Paper]
        public var predictions: [Prediction]?
        public var placements: [RunPaper]
        /// The run shows only papers no earlier run showed (`--new-only`): checked again under the lock.
        public var unshownOnly: Bool

        public init(time: Date, profile: String, modelSHA256: String, papers: [Paper], predictions: [Prediction]?, placements: [RunPaper],
                    unshownOnly: Bool = false) {
            (self.time, self.profile, self.modelSHA256) = (time, profile, modelSHA256)
            (self.papers, self.predictions, self.placements) = (papers, predictions, placements)
            self.unshownOnly = unshownOnly
        }
    }

    /// Records `run` in one write transaction wrapped around `prepare`, which writes the digest's pages to
    /// temporary files without replacing any; the caller puts them in place after this returns, so that the
    /// pages and the library agree:
    /// - the transaction is begun, and the records written, before `prepare` runs: a library that cannot be
    ///   written (a read-only file) or stays locked is reported while every page is as it was. It is begun
    ///   EXCLUSIVE: an IMMEDIATE one would let another connection go on reading, and the commit, which must
    ///   wait for every reader, could then time out;
    /// - with `run.unshownOnly` (`--new-only`), a paper another run showed after this one read the library
    ///   fails the run here, under the lock, instead of being shown twice by two runs at once;
    /// - an error from `prepare` rolls the records back and is rethrown as it is (a page that was not
    ///   written must not count as shown);
    /// - the records are committed once `prepare` returns, before any page is replaced: SQLite writes the
    ///   database file at commit, so a full disk fails the commit while the old pages still stand.
    /// - Returns: the run's id and what `prepare` returned.
    @discardableResult
    public func record<Prepared>(_ run: DigestRun, around prepare: () throws -> Prepared) throws -> (runID: Int64, prepared: Prepared) {
        var prepareError: Error?
        var prepared: Prepared?
        let runID: Int64 = try wrap {
            try queue.writeWithoutTransaction { db in
                var runID: Int64 = 0
                try db.inTransaction(.exclusive) {
                    if run.unshownOnly {
                        let shownMeanwhile = try Self.shownPaperIDs(db).intersection(run.placements.filter { $0.section != nil }.map(\.paperID))
                        if let first = shownMeanwhile.sorted().first {
                            throw PaperLibraryError(file: url.path, detail: "another digest run showed \(shownMeanwhile.count) of these papers (\(first) first) while this one ran; nothing was written, run again for what is new")
                        }
                    }
                    try Self.insertPapers(run.papers, at: run.time, in: db)
                    if let predictions = run.predictions {
                        try Self.insertPredictions(predictions, modelSHA256: run.modelSHA256, at: run.time, in: db)
                    }
                    runID = try Self.insertRun(time: run.time, profile: run.profile, modelSHA256: run.modelSHA256, papers: run.placements, in: db)
                    do { prepared = try prepare() } catch {
                        prepareError = error
                        return .rollback
                    }
                    return .commit
                }
                return runID
            }
        }
        if let prepareError { throw prepareError }
        return (runID, prepared!)
    }

    /// `record(_:around:)`, then `publish` (which puts the pages in place). When `publish` fails, the run is
    /// removed again: its papers would otherwise count as shown while a page that should show them kept
    /// yesterday's (a file another user owns in a shared, sticky folder refuses the rename), and `--new-only`
    /// would never show them. A page that did go in place before the failure may then show them a second time;
    /// showing a paper twice beats never showing it.
    /// - Returns: the run's id.
    @discardableResult
    public func record<Prepared>(_ run: DigestRun, around prepare: () throws -> Prepared, publish: (Prepared) throws -> Void) throws -> Int64 {
        let (runID, prepared) = try record(run, around: prepare)
        do { try publish(prepared) } catch {
            do { try removeRun(id: runID) } catch let undo {
                throw PaperLibraryError(file: url.path, detail: "the pages could not all be put in place (\(error)), and run \(runID) could not be removed again (\(undo)): its papers count as shown although a page may not show them")
            }
            throw error
        }
        return runID
    }

    /// Removes run `id` and where it put its papers (the papers stay, as seen).
    public func removeRun(id: Int64) throws {
        try wrap {
            try queue.write { db in
                try db.execute(sql: "DELETE FROM run_papers WHERE run_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id])
            }
        }
    }

    /// Every run, oldest first.
    public func runs() throws -> [Run] {
        try wrap {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT id, time, profile, model_sha256 FROM runs ORDER BY id").map { row in
                    let id: Int64 = try Self.value(row, "id", of: "runs")
                    let papers = try Row.fetchAll(db, sql: "SELECT paper_id, section, abstained FROM run_papers WHERE run_id = ? ORDER BY position", arguments: [id])
                        .map { RunPaper(paperID: try Self.value($0, "paper_id", of: "run_papers"), section: try Self.value($0, "section", of: "run_papers"),
                                        abstained: try Self.value($0, "abstained", of: "run_papers")) }
                    return Run(id: id, time: try Self.value(row, "time", of: "runs"), profile: try Self.value(row, "profile", of: "runs"),
                               modelSHA256: try Self.value(row, "model_sha256", of: "runs"), papers: papers)
                }
            }
        }
    }

    /// Ids of the papers an earlier run showed in a section (off-topic ones were not shown).
    public func shownPaperIDs() throws -> Set<String> {
        try wrap { try queue.read { db in try Self.shownPaperIDs(db) } }
    }

    private static func shownPaperIDs(_ db: Database) throws -> Set<String> {
        // Joined with the runs: a run deleted by hand (without foreign keys) no longer counts as shown.
        Set(try String.fetchAll(db, sql: """
            SELECT DISTINCT p.paper_id FROM run_papers p JOIN runs r ON r.id = p.run_id WHERE p.section IS NOT NULL
            """))
    }

    // MARK: - Predictions

    /// A model's calibrated guess for one paper.
    public struct Prediction: Equatable, Sendable {
        public var paperID: String
        public var label: String
        public var confidence: Double
        /// Class → probability.
        public var probabilities: [String: Double]

        public init(paperID: String, label: String, confidence: Double, probabilities: [String: Double]) {
            self.paperID = paperID
            self.label = label
            self.confidence = confidence
            self.probabilities = probabilities
        }
    }

    /// Stores predictions of the model with hash `modelSHA256`, replacing that model's earlier ones.
    public func recordPredictions(_ predictions: [Prediction], modelSHA256: String, at time: Date) throws {
        try wrap { try queue.write { db in try Self.insertPredictions(predictions, modelSHA256: modelSHA256, at: time, in: db) } }
    }

    private static func insertPredictions(_ predictions: [Prediction], modelSHA256: String, at time: Date, in db: Database) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for p in predictions {
            let probabilities = String(decoding: try encoder.encode(p.probabilities), as: UTF8.self)
            try db.execute(sql: "INSERT INTO predictions (paper_id, model_sha256, label, confidence, probabilities, time) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [p.paperID, modelSHA256, p.label, p.confidence, probabilities, timestamp(time)])
        }
    }

    /// The stored predictions of one model, by paper id.
    public func predictions(modelSHA256: String) throws -> [String: Prediction] {
        try wrap {
            try queue.read { db in
                var result: [String: Prediction] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT paper_id, label, confidence, probabilities FROM predictions WHERE model_sha256 = ?", arguments: [modelSHA256]) {
                    let probabilities = try JSONDecoder().decode([String: Double].self, from: Data((try Self.value(row, "probabilities", of: "predictions") as String).utf8))
                    let paperID: String = try Self.value(row, "paper_id", of: "predictions")
                    result[paperID] = Prediction(paperID: paperID, label: try Self.value(row, "label", of: "predictions"),
                                                 confidence: try Self.value(row, "confidence", of: "predictions"), probabilities: probabilities)
                }
                return result
            }
        }
    }

    // MARK: - Labels

    /// One human answer.
    public struct Label: Equatable, Sendable {
        public var id: Int64
        public var paperID: String
        public var label: String
        public var who: String
        public var time: String
        public var note: String?
    }

    /// Records a label for a stored paper (committed before it returns); returns its id for undo.
    @discardableResult
    public func addLabel(paperID: String, label: String, who: String, note: String? = nil, at time: Date) throws -> Int64 {
        try wrap { try queue.write { db in try insertLabel(Answer(paperID: paperID, label: label, note: note), who: who, at: time, in: db) } }
    }

    /// One answer to record: a paper, its label, an optional note.
    public struct Answer: Equatable, Sendable {
        public var paperID: String
        public var label: String
        public var note: String?

        public init(paperID: String, label: String, note: String? = nil) {
            self.paperID = paperID
            self.label = label
            self.note = note
        }
    }

    /// Records `papers` (as ``recordPapers(_:at:)`` does) and then `answers`, all in one transaction:
    /// either everything is committed or, when one answer names a paper the library does not hold,
    /// nothing is.
    /// An answer that repeats the paper's latest label (the same label and note, as when an answers file is
    /// recorded twice) is not stored again.
    /// - Returns: how many answers were stored.
    @discardableResult
    public func record(papers: [Paper], answers: [Answer], who: String, at time: Date) throws -> Int {
        try wrap {
            try queue.write { db in
                try Self.insertPapers(papers, at: time, in: db)
                var stored = 0
                for answer in answers {
                    let latest = try Row.fetchOne(db, sql: "SELECT label, note FROM labels WHERE paper_id = ? ORDER BY id DESC LIMIT 1",
                                                  arguments: [answer.paperID])
                    if let latest, try Self.value(latest, "label", of: "labels") as String? == answer.label,
                       try Self.value(latest, "note", of: "labels") as String? == answer.note { continue }
                    _ = try insertLabel(answer, who: who, at: time, in: db)
                    stored += 1
                }
                return stored
            }
        }
    }

    private func insertLabel(_ answer: Answer, who: String, at time: Date, in db: Database) throws -> Int64 {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM papers WHERE id = ?)", arguments: [answer.paperID]) == true else {
            throw PaperLibraryError(file: url.path, detail: "no paper \(answer.paperID) in the library; record it before labelling it")
        }
        try db.execute(sql: "INSERT INTO labels (paper_id, label, who, time, note) VALUES (?, ?, ?, ?, ?)",
                       arguments: [answer.paperID, answer.label, who, Self.timestamp(time), answer.note])
        return db.lastInsertedRowID
    }

    /// The ids of the stored papers that have a label.
    public func labelledPaperIDs() throws -> Set<String> {
        try wrap { try queue.read { db in Set(try String.fetchAll(db, sql: "SELECT DISTINCT paper_id FROM labels")) } }
    }

    /// The ids of every stored paper.
    public func paperIDs() throws -> Set<String> {
        try wrap { try queue.read { db in Set(try String.fetchAll(db, sql: "SELECT id FROM papers")) } }
    }

    /// Removes one label (undo); the paper falls back to its previous label, if any.
    public func removeLabel(id: Int64) throws {
        try wrap { try queue.write { db in try db.execute(sql: "DELETE FROM labels WHERE id = ?", arguments: [id]) } }
    }

    /// Every label row, oldest first (the history).
    public func labels() throws -> [Label] {
        try wrap {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT id, paper_id, label, who, time, note FROM labels ORDER BY id").map {
                    Label(id: try Self.value($0, "id", of: "labels"), paperID: try Self.value($0, "paper_id", of: "labels"),
                          label: try Self.value($0, "label", of: "labels"), who: try Self.value($0, "who", of: "labels"),
                          time: try Self.value($0, "time", of: "labels"), note: try Self.value($0, "note", of: "labels"))
                }
            }
        }
    }

    /// SQLite's own check of the file (`PRAGMA integrity_check`): "ok" when sound.
    public func integrityCheck() throws -> String {
        try wrap { try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") } }
    }

    // MARK: - Helpers

    /// `2026-12-03T14:05:09Z`: sortable, UTC.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static var recordEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The paper stored as `record` in the row of paper `id`; a damaged record is named by its paper.
    static func decodePaper(_ record: String, id: String) throws -> Paper {
        do {
            return try JSONDecoder().decode(Paper.self, from: Data(record.utf8))
        } catch let error as DecodingError {
            throw DamagedRecord(paperID: id, reason: PaperJSONLReader.reason(error))
        }
    }

    /// A column's value, or `DamagedValue` naming it: GRDB's subscript would stop the program on a value of
    /// another type, which only a program other than ArxivDigest can have stored.
    private static func value<Value: DatabaseValueConvertible>(_ row: Row, _ column: String, of table: String) throws -> Value {
        do { return try row.decode(forColumn: column) } catch is RowDecodingError {
            throw DamagedValue(table: table, column: column)
        }
    }

    /// Why SQLite found the library read-only where its own words ("attempt to write a readonly database") do
    /// not say: a journal left by a stopped writer, which only a writable folder lets it roll back, or a folder
    /// where the journal of a write cannot be created.
    static func readOnlyReason(_ library: URL) -> String? {
        let folder = library.deletingLastPathComponent().path
        if FileManager.default.fileExists(atPath: library.path + "-journal") {
            return "a write that was stopped (a killed process) left \(library.lastPathComponent)-journal beside it, and it can only be rolled back where the library and its folder can be written; run the command once with write access to \(folder)"
        }
        if access(folder, W_OK) != 0 {
            return "its folder \(folder) cannot be written, and SQLite keeps the journal of every write beside the library; move the library or make the folder writable"
        }
        return nil
    }

    /// A stored value of the wrong type (a blob for a text, text for a flag).
    struct DamagedValue: Error, CustomStringConvertible {
        let table: String
        let column: String
        var description: String { "its \(table).\(column) holds a value of the wrong type; was the library edited by another program?" }
    }

    /// A stored paper whose JSON no longer decodes: the file was changed outside ArxivDigest.
    struct DamagedRecord: Error, CustomStringConvertible {
        let paperID: String
        let reason: String
        var description: String { "the stored record of paper \(paperID) is damaged (\(reason)); was the library edited by another program?" }
    }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PaperLibraryError { throw error } catch {
            throw PaperLibraryError(file: url.path, detail: Self.describe(error, library: url))
        }
    }

    private static func describe(_ error: Error, library: URL) -> String {
        if let error = error as? DatabaseError {
            if error.resultCode == .SQLITE_NOTADB { return "is not a paper library (not an SQLite database)" }
            if error.resultCode == .SQLITE_READONLY, let reason = readOnlyReason(library) { return reason }
            if error.extendedResultCode == .SQLITE_READONLY_DBMOVED {
                return "the library file was moved or deleted while this command had it open; nothing more was recorded (start the command again)"
            }
            if error.resultCode == .SQLITE_IOERR {
                return (error.message ?? "disk I/O error") + " (a full disk, a file size limit or a failing device?); nothing was recorded"
            }
            return error.message ?? "\(error)"
        }
        return "\(error)"
    }
}

/// A library file that cannot be opened, read or written; names the file.
public struct PaperLibraryError: Error, CustomStringConvertible {
    public let file: String
    public let detail: String
    public var description: String { "\(file): \(detail)" }
}
