import ArgumentParser
import ArxivFeed
import Foundation

struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch papers from arXiv (or read a saved feed) and write them as JSON Lines.",
        discussion: """
            Examples:
              arxiv-digest fetch --max-results 200 --output papers.jsonl
              arxiv-digest fetch --feed Datasets/samples/sample-feed.xml
              arxiv-digest fetch --profile quantum/profile.toml --max-results 500 --output quantum/papers.jsonl
            """
    )

    @OptionGroup var profileOptions: ProfileOptions
    @OptionGroup var source: PaperSourceOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Write an empty result when no paper was fetched or read; by default that is an error and an existing output file is kept.")
    var allowEmpty = false

    func run() throws {
        // The profile (an explicit --profile is checked even when the papers come from a file), whose library
        // no output may replace.
        let profile = try profileOptions.loadIfPresent()
        try output.check(inputs: source.inputs + profileOptions.inputs(profile: profile))
        let papers = try source.loadPapers(profileQuery: {
            let query = try (profile ?? profileOptions.load()).query
            return (query.search, query.maxResults)
        }, log: logToStandardError)
        if papers.isEmpty && !allowEmpty {
            // As in `digest`: a quiet day or a query typo must not silently empty yesterday's file.
            throw CLIError(source.noPapersFound + "; nothing is written and an existing output is kept (--allow-empty writes an empty result)")
        }
        try output.emit(PaperJSONLWriter.encode(papers))
    }
}
