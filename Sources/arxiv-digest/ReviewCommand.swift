import ArgumentParser
import ArxivFeed
import DigestProfile
import Foundation
import PaperLibrary
import TopicModel

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "List the unlabelled papers worth labelling next: those the model is least sure about.",
        discussion: """
            Ranks papers by the margin between their two most probable classes (calibrated; smallest \
            first), or by entropy with --by entropy, and skips any paper whose TF-IDF cosine similarity \
            to one already listed exceeds --similarity-cap, so no label is spent twice on the same \
            question. Papers come from --papers, --feed, or the unlabelled papers of the library; with \
            --papers or --feed, the papers the library (--library, else the profile's when it exists) has a \
            label for are left out, as label does. The library is only read.
            Examples:
              arxiv-digest review --library library.sqlite --count 10
              arxiv-digest review --feed Datasets/samples/sample-feed.xml --json
            """
    )

    @OptionGroup var profileOptions: ProfileOptions
    @OptionGroup var modelOptions: ModelLocationOptions
    @OptionGroup var libraryOptions: LibraryLocationOptions

    @Option(help: ArgumentHelp("Papers in JSON Lines to rank instead of the library's; repeat to combine several files.", valueName: "file.jsonl"))
    var papers: [String] = []

    @Option(help: ArgumentHelp("A saved arXiv API response (Atom XML) to rank instead of the library's papers; repeat to combine several.", valueName: "file.xml"))
    var feed: [String] = []

    @Option(parsing: .unconditional, help: "How many papers to list.")
    var count: Int = 20

    @Option(help: "What makes a paper worth labelling: a small margin between the top two classes, or a high entropy.")
    var by: ReviewQueue.Uncertainty = .margin

    @Option(parsing: .unconditional, help: ArgumentHelp("Skip papers more similar than this (TF-IDF cosine, 0…1) to one already listed.", valueName: "s"))
    var similarityCap: Double = ReviewQueue.defaultSimilarityCap

    @Flag(help: "Write JSON Lines (id, title, label, probabilities, margin) instead of a table.")
    var json = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try InputFile.refuseEmpty(papers, option: "--papers")
        try InputFile.refuseEmpty(feed, option: "--feed")
        if !papers.isEmpty && !feed.isEmpty { throw ValidationError("Give either --papers or --feed, not both.") }
        guard count >= 1 else { throw ValidationError("--count must be at least 1.") }
        guard (0...1).contains(similarityCap) else { throw ValidationError("--similarity-cap must be between 0 and 1, got \(similarityCap).") }
    }

    func run() throws {
        let profile = try profileOptions.loadIfPresent()
        let modelURL = modelOptions.resolvedModelURL(profile: profile)
        // The library is read for the queue itself, or with --papers/--feed to leave out labelled papers: the one
        // given, else the profile's when there is one (label records there, and must agree on what is labelled).
        let library = libraryOptions.resolvedURL(profile: profile)
        let readsLibrary = papers.isEmpty && feed.isEmpty || libraryOptions.library != nil || FileManager.default.fileExists(atPath: library.path)
        let libraryURL = readsLibrary ? library : nil
        try output.check(inputs: .library("--library", libraryURL?.path) + .named("--papers", papers) + .named("--feed", feed) + modelOptions.inputs(profile: profile) + profileOptions.inputs(profile: profile))
        let model = try modelOptions.loadModel(profile: profile)
        try requireModelClassesAreSections(model, file: modelURL, profile: profile)
        let candidates = try loadCandidates(papers: papers, feed: feed, library: libraryURL)
        let picks = try ReviewQueue.rank(candidates, model: model, count: count, by: by, similarityCap: similarityCap)
        try output.emit(json ? ReviewLines.jsonLines(picks, classes: model.classes, by: by) : ReviewLines.table(picks, classes: model.classes))
    }
}

extension ReviewQueue.Uncertainty: ExpressibleByArgument {}

/// The papers of the `--papers` or `--feed` files, in order, one per paper (its newest version where the input repeats it, as
/// `digest` and `fetch` read them: a paper listed twice is neither reviewed nor labelled twice), each under
/// its id without version, as the library keeps papers (`digest` records them so, `label --from` matches
/// them so); nil when neither is given.
func loadPapers(papers: [String], feed: [String]) throws -> [Paper]? {
    if papers.isEmpty && feed.isEmpty { return nil }
    return try readPaperFiles(feeds: feed, papers: papers).map { paper in
        var paper = paper
        paper.id = Paper.idWithoutVersion(paper.id)
        return paper
    }
}

/// The papers to rank: those of `--papers` or `--feed` that `library` (when given) has no label for,
/// else the library's unlabelled ones. The library is only read.
func loadCandidates(papers: [String], feed: [String], library: URL?) throws -> [Paper] {
    if let loaded = try loadPapers(papers: papers, feed: feed) {
        guard let library else { return loaded }
        let labelled = try PaperLibrary(url: library, access: .read).labelledPaperIDs()
        return loaded.filter { !labelled.contains($0.id) }
    }
    guard let library, FileManager.default.fileExists(atPath: library.path) else {
        throw CLIError("\(library?.path ?? DigestProfile.defaultLibraryName): no paper library there; give --library FILE, --papers or --feed")
    }
    return try PaperLibrary(url: library, access: .read).unlabelledPapers()
}

/// review's output: a terminal table, or JSON Lines.
enum ReviewLines {
    static func jsonLines(_ picks: [ReviewQueue.Pick], classes: [String], by: ReviewQueue.Uncertainty) -> String {
        picks.map { pick in
            var line = "{\"id\": " + JSONText.string(pick.paper.id)
            line += ", \"title\": " + JSONText.string(pick.paper.title)
            line += ", \"label\": " + JSONText.string(pick.label)
            line += ", \"probabilities\": {" + zip(classes, pick.probabilities).map { JSONText.string($0) + ": " + JSONText.number($1) }.joined(separator: ", ") + "}"
            line += ", \"margin\": " + JSONText.number(pick.margin)
            if by == .entropy { line += ", \"entropy\": " + JSONText.number(pick.entropy) }
            return line + "}\n"
        }.joined()
    }

    static func table(_ picks: [ReviewQueue.Pick], classes: [String]) -> String {
        guard !picks.isEmpty else { return "No unlabelled papers to review.\n" }
        let width = max(40, terminalWidth() - 50)
        let pad = { (text: String, count: Int) in text.count >= count ? text + " " : text + String(repeating: " ", count: count - text.count) }
        var out = pad("#", 4) + pad("id", 18) + pad("guess", 14) + pad("top", 7) + pad("margin", 7) + "title\n"
        for (i, pick) in picks.enumerated() {
            let top = pick.probabilities.max() ?? 0
            let shown = TerminalText.safe(pick.paper.title)
            let title = shown.count > width ? String(shown.prefix(width - 1)) + "…" : shown
            out += pad("\(i + 1)", 4) + pad(TerminalText.safe(pick.paper.id), 18) + pad(TerminalText.safe(pick.label), 14)
                + pad(String(format: "%.3f", top), 7) + pad(String(format: "%.3f", pick.margin), 7) + title + "\n"
        }
        return out
    }
}

/// Columns of the terminal on standard output, 80 when it is not one.
func terminalWidth() -> Int {
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return 80
}
