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
            """
    )

    @OptionGroup var source: PaperSourceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try output.check(inputs: source.inputs)
        let papers = try source.loadPapers(log: logToStandardError)
        try output.emit(PaperJSONLWriter.encode(papers))
    }
}
