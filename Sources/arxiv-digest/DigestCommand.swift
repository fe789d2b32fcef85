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
        abstract: "Fetch the newest papers, sort them into topics and write the Markdown digest (the main job).",
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

    @Option(help: ArgumentHelp("The \"Last Run\" time to print, in UTC, for reproducible output (default: now).", valueName: "YYYY-MM-DD HH:MM"))
    var runTime: String?

    @OptionGroup var loop: DigestLoopOptions

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let runTime, !isValidRunTime(runTime) {
            throw ValidationError("--run-time must look like \"2026-02-03 08:36\" (UTC), got \"\(runTime)\".")
        }
    }

    func run() throws {
        // Load the profile and the model first: a bad one should fail before any network traffic.
        let profile = try profileOptions.load()
        var model: TopicModel?
        var modelSHA256 = "keywords"
        switch classifier {
        case .keywords:
            guard profile.hasKeywordRules else {
                throw CLIError("\(profile.file.path): no section has keywords, so --classifier keywords would put every paper under \"\(profile.fallback)\"; add keywords = [...] to the sections or use the model")
            }
            if loop.minConfidence != nil { throw CLIError("--min-confidence needs the model's probabilities; the keyword rules have none") }
        case .model:
            let loaded = try modelOptions.loadModel(profile: profile)
            if let foreign = loaded.classes.first(where: { !profile.labels.contains($0) && $0 != TopicRouting.offTopicLabel }) {
                throw CLIError("\(modelOptions.resolvedModelURL(profile: profile).path): the model's class \"\(foreign)\" is no section of the profile \(profile.file.path); model classes: \(loaded.classes.joined(separator: ", ")); profile labels: \(profile.labels.joined(separator: ", ")) (train the model with --profile)")
            }
            model = loaded
            modelSHA256 = try modelFileSHA256(modelOptions.resolvedModelURL(profile: profile))
        }
        if let fallback = loop.fallback, !profile.labels.contains(fallback) {
            throw CLIError("--fallback \(fallback) is no section of the profile \(profile.file.path) (\(profile.labels.joined(separator: ", ")))")
        }
        let papers = try source.loadPapers(profileQuery: { (profile.query.search, profile.query.maxResults) }, log: logToStandardError)
        let sorted = try sortIntoSections(papers, model: model, modelSHA256: modelSHA256, profile: profile)
        let stamp = runTime ?? DigestRenderer.runTime(for: Date())
        try output.emit(DigestRenderer.render(papers: sorted.papers, labels: sorted.labels, runTime: stamp, layout: profile.layout))
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
