import ArgumentParser
import DigestProfile
import Foundation
import ModelStore
import PaperLibrary
import TopicModel

/// The learning loop's options of `digest`: abstaining below a confidence, the fallback section,
/// the paper library, and showing only papers no earlier run showed.
struct DigestLoopOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Papers whose top calibrated probability is below P go to the fallback section (default: the profile's min_confidence, else none).", valueName: "P"))
    var minConfidence: Double?

    @Option(help: ArgumentHelp("The section unsure papers go to (default: the profile's fallback).", valueName: "label"))
    var fallback: String?

    @Option(help: ArgumentHelp("Record the fetched papers, the model's predictions and this run in this paper library (SQLite).", valueName: "file.sqlite"))
    var library: String?

    @Flag(help: "Show only papers that no earlier run recorded in the library showed (the library: --library, else the profile's).")
    var newOnly = false

    func validate() throws {
        try validateMinConfidence(minConfidence)
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

    /// The library file: `--library`, else the profile's (`library.sqlite` beside it by default),
    /// else `library.sqlite` in the current folder.
    func resolvedURL(profile: DigestProfile?) -> URL {
        if let library { return URL(fileURLWithPath: library) }
        return profile?.libraryURL ?? URL(fileURLWithPath: DigestProfile.defaultLibraryName)
    }

    func open(profile: DigestProfile?) throws -> PaperLibrary { try PaperLibrary(url: resolvedURL(profile: profile)) }
}

/// The SHA-256 of a model file's bytes, as runs and predictions name the model.
func modelFileSHA256(_ url: URL) throws -> String {
    SHA256.hash(try readFile(url)).description
}

/// The labels a person can give, in page order (off-topic comes on its own key): the profile's
/// sections, or without a profile the model's classes.
func sectionLabels(profile: DigestProfile?, model: TopicModel) -> [String] {
    profile?.labels ?? model.classes.filter { $0 != TopicRouting.offTopicLabel }
}

/// The training records of `files` followed by the labelled papers of `library`.
func loadCorpus(files: [URL], library: String?, allowedLabels: [String]?, classOrder: [String]?) throws -> LabelledCorpus {
    var corpus: LabelledCorpus?
    if !files.isEmpty { corpus = try LabelledCorpus.load(files: files, allowedLabels: allowedLabels, classOrder: classOrder) }
    if let library {
        let url = URL(fileURLWithPath: library)
        guard FileManager.default.fileExists(atPath: url.path) else { throw CLIError("\(library): no paper library there") }
        let fromLibrary = try LabelledCorpus.from(labelledPapers: try PaperLibrary(url: url).labelledPapers(), source: library, allowedLabels: allowedLabels, classOrder: classOrder)
        corpus = corpus.map { $0.appending(fromLibrary) } ?? fromLibrary
    }
    guard let corpus, !corpus.papers.isEmpty else { throw TrainingError.noRecords(sources: files.map(\.relativePath) + (library.map { [$0] } ?? [])) }
    return corpus
}
