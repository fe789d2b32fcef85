import ArgumentParser
import ArxivFeed
import Classifiers
import DigestProfile
import DigestRendering
import Foundation
import TopicModel

struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Fetch the newest papers, sort them into topics and write the digest as Markdown, HTML or Atom (the main job).",
        discussion: """
            The profile (--profile, default the shipped Models/open-neuromorphic.toml) gives the query, \
            the sections and their headings, the page text, the keyword rules and the model. By default \
            it asks the arXiv API for the 30 newest papers matching the Open Neuromorphic query and \
            classifies them with the shipped model, Models/topics.model.
            Examples:
              arxiv-digest digest --output README.md
              arxiv-digest digest --feed Datasets/samples/sample-feed.xml --run-time "2026-11-25 08:00"
              arxiv-digest digest --papers history.jsonl --classifier keywords
              arxiv-digest digest --profile quantum/profile.toml --output quantum/README.md
              arxiv-digest digest --format html --output index.html
              arxiv-digest digest --format atom --feed-url https://example.org/digest/feed.xml --output feed.xml
              arxiv-digest digest --profile site/profile.toml   (writes the files of its [outputs] table)
            """
    )

    enum ClassifierChoice: String, ExpressibleByArgument, CaseIterable {
        case model, keywords
    }

    @OptionGroup var profileOptions: ProfileOptions

    @OptionGroup var source: PaperSourceOptions

    @Option(help: "How papers are sorted into topics: the trained model, or the profile's keyword rules.")
    var classifier: ClassifierChoice = .model

    @OptionGroup var modelOptions: ModelLocationOptions

    @Option(help: ArgumentHelp("The \"Last Run\" time to print, in UTC, for reproducible output (default: now); with --library, also the time the run is recorded at.", valueName: "YYYY-MM-DD HH:MM"))
    var runTime: String?

    @OptionGroup var loop: DigestLoopOptions

    @Flag(help: "Write a digest even when there are no papers to show (none fetched, none new with --new-only, or all off-topic); by default an empty result is an error and the existing digest is kept.")
    var allowEmpty = false

    @OptionGroup var output: OutputOptions

    @OptionGroup var delivery: DigestFormatOptions

    func validate() throws {
        if let runTime, !isValidRunTime(runTime) {
            throw ValidationError("--run-time must look like \"2026-02-03 08:36\" (UTC), got \"\(runTime)\".")
        }
    }

    func run() throws {
        // Load the profile and the model first: a bad one should fail before any network traffic.
        let profile = try profileOptions.load()
        // Every file written (--output, or the profile's [outputs]) is checked before any work, against what
        // this run reads and also against the profile's own library and model when this run leaves them
        // alone (no --new-only, --classifier keywords): a page must never replace them.
        let targets = DigestTargets(output: output, format: delivery.format, profile: profile)
        try delivery.checkFeedURLIsUsed(by: targets.pages.map(\.format))
        try targets.check(inputs: source.inputs + profileOptions.inputs(profile: profile)
            + .library("--library", loop.library)
            + .named("the profile's model", [profile.modelURL.path]) + modelOptions.inputs(profile: profile))
        var model: TopicModel?
        var modelSHA256 = "keywords"
        switch classifier {
        case .keywords:
            guard profile.hasKeywordRules else {
                throw CLIError("\(profile.file.path): no section has keywords, so --classifier keywords would put every paper under \"\(profile.fallback)\"; add keywords = [...] to the sections or use the model")
            }
            if loop.minConfidence != nil { throw CLIError("--min-confidence needs the model's probabilities; the keyword rules have none") }
        case .model:
            let modelURL = modelOptions.resolvedModelURL(profile: profile)
            let loaded = try modelOptions.loadModel(profile: profile)
            try requireModelClassesAreSections(loaded, file: modelURL, profile: profile)
            let abstaining = (loop.minConfidence ?? profile.minConfidence) != nil
            warnOfSectionsWithoutClass(loaded.classes, profile: profile, what: "the model \(modelURL.path) has",
                                       filledOtherwise: abstaining ? loop.fallback ?? profile.fallback : nil)
            model = loaded
            modelSHA256 = try modelFileSHA256(modelURL)
        }
        if let fallback = loop.fallback, !profile.labels.contains(fallback) {
            // A usage error (64) like any other bad option value; it is only checked here because the
            // sections come from the profile.
            throw ValidationError("--fallback \(fallback) is no section of the profile \(profile.file.path) (\(profile.labels.joined(separator: ", ")))")
        }
        // Only arXiv ids can be linked, and only a visible title clicked; a paper with neither is named by its
        // file and line while they are known.
        let papers = try source.loadPapers(profileQuery: { (profile.query.search, profile.query.maxResults) }, log: logToStandardError,
                                           check: checkShowable)
        if papers.isEmpty && !allowEmpty {
            // A valid but empty answer (a quiet day, a query typo, a mirror hiccup) must not silently replace
            // yesterday's digest with "No new papers".
            throw CLIError(source.noPapersFound + "; the existing digest is kept (--allow-empty writes an empty digest)")
        }
        // The run's moment: the page's "Last Run" stamp and, with --library, the run's time and the papers' sightings.
        let now = runTime.flatMap(runDate) ?? Date()
        let sorted = try sortIntoSections(papers, model: model, modelSHA256: modelSHA256, profile: profile, now: now)
        let stamp = runTime ?? DigestRenderer.runTime(for: now)
        // Every page is rendered before any is written (a render error leaves every file as it was), and
        // the run is recorded in the library in one transaction around the writing: begun before the first
        // page is written to its temporary file, committed once all are on disk, before any is put in place.
        let pages = try targets.pages.map { page in
            try delivery.render(page.format, papers: sorted.papers, labels: sorted.labels, layout: profile.layout,
                                runTime: stamp, outputName: page.outputName)
        }
        if let record = sorted.record {
            try record.commit(writing: targets, pages)
        } else {
            try targets.prepare(pages).publish()
        }
    }
}

/// Throws a `CLIError` naming `place` (`file:line`, `file: entry N`) when the pages could not show `paper`: its
/// id is no arXiv identifier, which they could not link, or its title has nothing visible to click.
func checkShowable(_ paper: Paper, place: String) throws {
    guard PaperText.hasVisibleTitle(paper) else {
        // Spelled as code points: printed as they are, they would show nothing here either.
        let scalars = paper.title.unicodeScalars
        let shown = scalars.prefix(8).map { "U+" + String(format: "%04X", $0.value) }.joined(separator: " ")
        throw CLIError("\(place): the title (\(shown)\(scalars.count > 8 ? " …" : "")) has nothing visible, only white space, control or invisible characters; the pages would print an empty link")
    }
    guard !ArxivLink.isArxivID(paper.id) else { return }
    let base = Paper.idWithoutVersion(paper.id)
    let hint = base != paper.id && ArxivLink.isArxivID(base)
        ? "; give the id without its version \(paper.id.dropFirst(base.count)) (the url may keep it)" : ""
    throw CLIError("\(place): id \"\(paper.id)\" is no arXiv identifier (e.g. 2602.01874 or hep-th/0101001); only arXiv abstract pages are linked\(hint)")
}

/// True for `YYYY-MM-DD HH:MM` with a real date and time of day (a four-digit year: the pages print it in
/// RFC 3339 stamps, which have no room for a fifth digit).
func isValidRunTime(_ text: String) -> Bool { runDate(text) != nil }

/// The moment a `--run-time` stamp (`YYYY-MM-DD HH:MM`, UTC) names, or nil when it is no such stamp.
func runDate(_ text: String) -> Date? {
    guard text.utf8.count == 16 else { return nil }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    guard let date = formatter.date(from: text), formatter.string(from: date) == text else { return nil }
    return date
}
