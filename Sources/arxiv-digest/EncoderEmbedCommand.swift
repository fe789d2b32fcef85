import ArgumentParser
import ArxivFeed
import Foundation
import SentenceEncoder

struct EncoderEmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed papers (title + abstract): one JSON line per paper with id and the unit-length vector.",
        discussion: """
            Example:
              arxiv-digest encoder embed --papers Datasets/samples/labelled-papers.jsonl --output vectors.jsonl
            """
    )

    @Option(help: ArgumentHelp("Papers in JSON Lines.", valueName: "file.jsonl"))
    var papers: String

    @Option(parsing: .unconditional, help: "Texts encoded at once (default: the number of cores); the vectors do not depend on it.")
    var threads: Int?

    @OptionGroup var weights: EncoderWeightsOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try InputFile.refuseEmpty([papers], option: "--papers")
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() throws {
        try output.check(inputs: .named("--papers", [papers]) + weights.inputs)
        let encoder = try SentenceEncoder.load(from: weights.resolvedURL)
        let reader = try PaperJSONLReader(contentsOf: URL(fileURLWithPath: papers), options: .keepingEveryRecord)
        var list: [Paper] = []
        while let paper = try reader.next() { list.append(paper) }
        if list.isEmpty, let file = output.file {
            throw CLIError("\(papers) holds no papers; nothing is written and \(file) is kept as it was")
        }
        let bar = ProgressBar("encoding")
        let vectors = encoder.encode(list.map(\.classifierText), threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
                                     progress: { done, total in if done == total || done % 50 == 0 { bar.update(done, of: total) } })
        var out = ""
        for (paper, vector) in zip(list, vectors) {
            out += "{\"id\": " + JSONText.string(paper.id) + ", \"embedding\": ["
            out += vector.map { "\($0)" }.joined(separator: ", ") + "]}\n"
        }
        try output.emit(out)
    }
}
