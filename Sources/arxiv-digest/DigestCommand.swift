import ArgumentParser
import ArxivFeed
import Classifiers
import DigestRendering
import Foundation

struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Fetch the newest papers, sort them into topics and write the Markdown digest (the main job).",
        discussion: """
            By default it asks the arXiv API for the 30 newest papers matching the Open Neuromorphic \
            query and classifies them with the shipped model, Models/topics.model.
            Examples:
              arxiv-digest digest --output README.md
              arxiv-digest digest --feed Datasets/samples/sample-feed.xml --run-time "2026-11-25 08:00"
              arxiv-digest digest --papers history.jsonl --classifier keywords
            """
    )

    enum ClassifierChoice: String, ExpressibleByArgument, CaseIterable {
        case model, keywords
    }

    @OptionGroup var source: PaperSourceOptions

    @Option(help: "How papers are sorted into topics: the trained model, or the original keyword rules.")
    var classifier: ClassifierChoice = .model

    @OptionGroup var modelOptions: ModelLocationOptions

    @Option(help: ArgumentHelp("The \"Last Run\" time to print, in UTC, for reproducible output (default: now).", valueName: "YYYY-MM-DD HH:MM"))
    var runTime: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let runTime, !isValidRunTime(runTime) {
            throw ValidationError("--run-time must look like \"2026-02-03 08:36\" (UTC), got \"\(runTime)\".")
        }
    }

    func run() throws {
        try output.check(inputs: source.inputs + (classifier == .model ? .named("--model", [modelOptions.resolvedModelURL().path]) : []))
        // Load the model first: a missing model should fail before any network traffic.
        let labeler: ([Paper]) throws -> [String]
        switch classifier {
        case .keywords:
            let rules = KeywordClassifier()
            labeler = { papers in papers.map { rules.classify(title: $0.title, abstract: $0.abstract) } }
        case .model:
            let model = try modelOptions.loadModel()
            let sections = Set(DigestSection.allCases.map(\.label))
            if let foreign = model.classes.first(where: { !sections.contains($0) }) {
                throw CLIError("\(modelOptions.resolvedModelURL().path): the model's class \"\(foreign)\" is no digest section (\(DigestSection.allCases.map(\.label).joined(separator: ", ")))")
            }
            labeler = { papers in try model.predictLabels(papers) }
        }
        let papers = try source.loadPapers(log: logToStandardError)
        let labels = try labeler(papers)
        let stamp = runTime ?? DigestRenderer.runTime(for: Date())
        try output.emit(DigestRenderer.render(papers: papers, labels: labels, runTime: stamp))
    }
}

/// True for `YYYY-MM-DD HH:MM` with a real date and time of day.
func isValidRunTime(_ text: String) -> Bool {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    guard let date = formatter.date(from: text) else { return false }
    return formatter.string(from: date) == text
}
