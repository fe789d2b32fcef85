import GRDB

/// The library's tables, built by numbered migrations. GRDB records which ones a file has had
/// (table `grdb_migrations`), so opening an older library upgrades it in place, and a library
/// written by a newer ArxivDigest (one with migrations this build does not know) is refused.
enum LibrarySchema {
    /// The migration names, oldest first; the last is the current schema.
    static let migrationNames = ["v1-papers-runs", "v2-predictions-labels"]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-papers-runs") { db in
            // `record` holds the whole Paper as JSON (every field, lossless); the columns beside it
            // are the ones queries and people look at.
            try db.create(table: "papers") { t in
                t.primaryKey("id", .text)
                t.column("title", .text).notNull()
                t.column("abstract", .text).notNull()
                t.column("published", .text).notNull()
                t.column("record", .text).notNull()
                t.column("first_seen", .text).notNull()
                t.column("last_seen", .text).notNull()
            }
            try db.create(table: "runs") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("time", .text).notNull()
                t.column("profile", .text).notNull()
                t.column("model_sha256", .text).notNull()
            }
            // One row per paper a run classified: the section it was shown in, or NULL when it was
            // left out as off-topic.
            try db.create(table: "run_papers") { t in
                t.column("run_id", .integer).notNull().references("runs", onDelete: .cascade)
                t.column("paper_id", .text).notNull().references("papers")
                t.column("section", .text)
                t.column("abstained", .boolean).notNull().defaults(to: false)
                t.column("position", .integer).notNull()
                t.primaryKey(["run_id", "paper_id"])
            }
        }
        migrator.registerMigration("v2-predictions-labels") { db in
            try db.create(table: "predictions") { t in
                t.column("paper_id", .text).notNull().references("papers")
                t.column("model_sha256", .text).notNull()
                t.column("label", .text).notNull()
                t.column("confidence", .double).notNull()
                t.column("probabilities", .text).notNull()
                t.column("time", .text).notNull()
                t.primaryKey(["paper_id", "model_sha256"], onConflict: .replace)
            }
            // Every answer is kept (history); a paper's label is its latest row.
            try db.create(table: "labels") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("paper_id", .text).notNull().references("papers")
                t.column("label", .text).notNull()
                t.column("who", .text).notNull()
                t.column("time", .text).notNull()
                t.column("note", .text)
            }
            try db.create(index: "labels_by_paper", on: "labels", columns: ["paper_id", "id"])
        }
        return migrator
    }
}
