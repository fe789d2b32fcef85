import ArgumentParser
import Foundation
import ModelStore
import PaperLibrary
import TopicModel

/// The learning loop's options of `digest`: abstaining below a confidence, the fallback section,
/// the paper library, and showing only papers no earlier run showed.
struct DigestLoopOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Papers whose top calibrated probability is below P go to the fallback section.", valueName: "P"))
    var minConfidence: Double?

    @Option(help: ArgumentHelp("The section label unsure papers go to.", valueName: "label"))
    var fallback: String = "general"

    @Option(help: ArgumentHelp("The paper library (SQLite) to record this run in.", valueName: "file.sqlite"))
    var library: String?

    @Flag(help: "Show only papers that no earlier run recorded in the library showed (needs --library).")
    var newOnly = false

    func validate() throws {
        try validateMinConfidence(minConfidence)
        if newOnly && library == nil { throw ValidationError("--new-only needs a paper library: give --library FILE.") }
    }
}

/// `--min-confidence` must be a probability.
func validateMinConfidence(_ value: Double?) throws {
    if let value, !(0...1).contains(value) {
        throw ValidationError("--min-confidence must be between 0 and 1, got \(value).")
    }
}

/// `--library FILE`: the paper library a command reads or writes.
struct LibraryLocationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The paper library (SQLite; created when missing).", valueName: "file.sqlite"))
    var library: String?

    /// The library file: `--library`, else `library.sqlite` in the current folder.
    var resolvedURL: URL { URL(fileURLWithPath: library ?? "library.sqlite") }

    func open() throws -> PaperLibrary { try PaperLibrary(url: resolvedURL) }
}

/// The SHA-256 of a model file's bytes, as runs and predictions name the model.
func modelFileSHA256(_ url: URL) throws -> String {
    SHA256.hash(try readFile(url)).description
}

/// The labels a digest's sections take, in page order, plus off-topic: what the labeller offers.
/// (Until digests are described by a profile, the model's classes are the sections.)
func sectionLabels(of model: TopicModel) -> [String] {
    model.classes.filter { $0 != TopicRouting.offTopicLabel }
}

/// The training records of `files` followed by the labelled papers of `library`.
func loadCorpus(files: [URL], library: String?, allowedLabels: [String]?) throws -> LabelledCorpus {
    var corpus: LabelledCorpus?
    if !files.isEmpty { corpus = try LabelledCorpus.load(files: files, allowedLabels: allowedLabels) }
    if let library {
        let url = URL(fileURLWithPath: library)
        guard FileManager.default.fileExists(atPath: url.path) else { throw CLIError("\(library): no paper library there") }
        let fromLibrary = try LabelledCorpus.from(labelledPapers: try PaperLibrary(url: url).labelledPapers(), source: library, allowedLabels: allowedLabels)
        corpus = corpus.map { $0.appending(fromLibrary) } ?? fromLibrary
    }
    guard let corpus, !corpus.papers.isEmpty else { throw TrainingError.noRecords(sources: files.map(\.relativePath) + (library.map { [$0] } ?? [])) }
    return corpus
}
