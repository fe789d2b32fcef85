import ArgumentParser
import DigestProfile
import Foundation
import ModelStore
import PaperLibrary
import TopicModel

/// The learning loop's options of `digest`: abstaining below a confidence, the fallback section,
/// the paper library, and showing only papers no earlier run showed.
struct DigestLoopOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Papers whose top calibrated probability is below P go to the fallback section (default: the profile's min_confidence, else none).", valueName: "P"))
    var minConfidence: Double?

    @Option(help: ArgumentHelp("The section unsure papers go to (default: the profile's fallback).", valueName: "label"))
    var fallback: String?

    @Option(help: ArgumentHelp("Record the fetched papers, the model's predictions and this run in this paper library (SQLite; created at a new path, but an existing file that is not a paper library is refused).", valueName: "file.sqlite"))
    var library: String?

    @Flag(help: "Show only papers that no earlier run recorded in the library showed (the library: --library, else the profile's).")
    var newOnly = false

    func validate() throws {
        try validateMinConfidence(minConfidence)
        try validateLibraryPath(library)
    }
}

/// A `--library` that may be created must name a file: a trailing `/` names a folder, and SQLite would make
/// a file of that name.
func validateLibraryPath(_ path: String?) throws {
    if let path, path.hasSuffix("/") {
        throw ValidationError("--library \(path) ends in /, which names a folder; give the library file's path, e.g. \(path)library.sqlite.")
    }
}

/// `--min-confidence` must be a probability.
func validateMinConfidence(_ value: Double?) throws {
    if let value, !(0...1).contains(value) {
        throw ValidationError("--min-confidence must be between 0 and 1, got \(value).")
    }
}

/// `--library FILE` of the commands that only read the paper library (review, library export/runs).
struct LibraryLocationOptions: ParsableArguments, LibraryLocation {
    @Option(help: ArgumentHelp("The paper library to read (SQLite; it must exist, and it is opened read-only; default: the profile's library, else library.sqlite).", valueName: "file.sqlite"))
    var library: String?
}

/// `--library FILE` of `label`, which records papers and answers in it.
struct RecordingLibraryOptions: ParsableArguments, LibraryLocation {
    @Option(help: ArgumentHelp("The paper library to record in (SQLite; created at a new path, but an existing file that is not a paper library is refused; default: the profile's library, else library.sqlite).", valueName: "file.sqlite"))
    var library: String?

    func validate() throws { try validateLibraryPath(library) }
}

/// Where `--library` points.
protocol LibraryLocation {
    var library: String? { get }
}

extension LibraryLocation {
    /// The library file: `--library`, else the profile's (`library.sqlite` beside it by default),
    /// else `library.sqlite` in the current folder.
    func resolvedURL(profile: DigestProfile?) -> URL {
        if let library { return URL(fileURLWithPath: library) }
        return profile?.libraryURL ?? URL(fileURLWithPath: DigestProfile.defaultLibraryName)
    }
}

/// Refuses a model whose classes are not the profile's sections (off-topic aside): its guesses
/// could not be answered with the profile's keys, nor shown under its headings.
func requireModelClassesAreSections(_ model: TopicModel, file: URL, profile: DigestProfile?) throws {
    guard let profile else { return }
    if let foreign = model.classes.first(where: { !profile.labels.contains($0) && $0 != DigestProfile.offTopicLabel }) {
        throw CLIError("\(file.path): the model's class \"\(foreign)\" is no section of the profile \(profile.file.path); model classes: \(model.classes.joined(separator: ", ")); profile labels: \(profile.labels.joined(separator: ", ")) (train the model with --profile)")
    }
}

/// Warns, naming them, of the profile's sections that `classes` (a model's, or the labels of its training
/// papers) lack: the model can never place a paper there, so they stay empty, and nothing else would say why.
/// `filledOtherwise` is a section that fills anyway: the fallback, when a minimum confidence sends it the
/// papers the model is unsure of.
func warnOfSectionsWithoutClass(_ classes: [String], profile: DigestProfile?, what: String, filledOtherwise: String? = nil) {
    guard let profile else { return }
    let missing = profile.labels.filter { !classes.contains($0) && $0 != filledOtherwise }
    guard !missing.isEmpty else { return }
    logToStandardError("warning: \(what) no class for the section(s) \(missing.joined(separator: ", ")) of \(profile.file.path), so the model never places a paper there; label papers for them and train again")
}

/// The SHA-256 of a model file's bytes, as runs and predictions name the model.
func modelFileSHA256(_ url: URL) throws -> String {
    SHA256.hash(try readFile(url)).description
}

/// The labels a person can give, in page order (off-topic comes on its own key): the profile's
/// sections, or without a profile the model's classes.
func sectionLabels(profile: DigestProfile?, model: TopicModel) -> [String] {
    profile?.labels ?? model.classes.filter { $0 != DigestProfile.offTopicLabel }
}

/// Warns, naming the first, when records were dropped as duplicates (same id, or same text and label).
func logDroppedDuplicates(_ report: LabelledCorpus.DuplicateReport) {
    guard let first = report.dropped.first else { return }
    logToStandardError("warning: dropped \(report.dropped.count) duplicate record(s) (same id, or same title, abstract and label); the first: \(first.origin) repeats \(first.keptOrigin)")
    // A later file does not correct an earlier one: say so where the labels differ.
    if let first = report.relabelled.first {
        logToStandardError("warning: \(report.relabelled.count) of them label their paper differently from the record kept, whose label is used (the first given wins; put corrections in a file given earlier, or in the library); the first: \(first.origin) says \(first.label), \(first.keptOrigin) says \(first.keptLabel)")
    }
}

/// The training records of `files` followed by the labelled papers of `library`; for a paper in both, the
/// library's label is used (``LabelledCorpus/overlaid(with:)``).
func loadCorpus(files: [URL], library: String?, allowedLabels: [String]?, classOrder: [String]?) throws -> LabelledCorpus {
    var corpus: LabelledCorpus?
    if !files.isEmpty { corpus = try LabelledCorpus.load(files: files, allowedLabels: allowedLabels, classOrder: classOrder) }
    if let library {
        let url = URL(fileURLWithPath: library)
        let fromLibrary = try LabelledCorpus.from(labelledPapers: try PaperLibrary(url: url, access: .read).labelledPapers(), source: library, allowedLabels: allowedLabels, classOrder: classOrder)
        if let fromFiles = corpus {
            let (overlaid, relabelled) = fromFiles.overlaid(with: fromLibrary)
            if let first = relabelled.first {
                logToStandardError("the library's label replaces --data's for \(relabelled.count) record(s), as the newer one; the first: \(first.origin) \(first.from) → \(first.to)")
            }
            corpus = overlaid
        } else {
            corpus = fromLibrary
        }
    }
    guard let corpus, !corpus.papers.isEmpty else { throw TrainingError.noRecords(sources: files.map(\.relativePath) + (library.map { [$0] } ?? [])) }
    return corpus
}
