import ArgumentParser
import ArxivFeed
import Foundation
import PaperLibrary

struct LibraryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "library",
        abstract: "Read the paper library (read-only): export its labelled papers, list its runs.",
        subcommands: [LibraryExportCommand.self, LibraryRunsCommand.self]
    )
}

struct LibraryExportCommand: ParsableCommand {
    @OptionGroup var profileOptions: ProfileOptions
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the library's papers as JSON Lines (with --labels: the labelled ones, each with its latest label), which train reads.",
        discussion: """
            Example:
              arxiv-digest library export --labels --library library.sqlite --output labelled.jsonl
            """
    )

    @OptionGroup var libraryOptions: LibraryLocationOptions

    @Flag(help: "Only the labelled papers, each carrying its latest label.")
    var labels = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        let profile = try profileOptions.loadIfPresent()
        let url = libraryOptions.resolvedURL(profile: profile)
        try output.check(inputs: .library("--library", url.path) + profileOptions.inputs(profile: profile))
        let library = try PaperLibrary(url: url, access: .read)
        let papers = labels ? try library.labelledPapers() : try library.papers().map(\.paper)
        try output.emit(PaperJSONLWriter.encode(papers))
    }
}

struct LibraryRunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the digest runs recorded in the library: time, profile, model, papers per section, off-topic papers."
    )

    @OptionGroup var profileOptions: ProfileOptions
    @OptionGroup var libraryOptions: LibraryLocationOptions

    func run() throws {
        let url = libraryOptions.resolvedURL(profile: try profileOptions.loadIfPresent())
        let library = try PaperLibrary(url: url, access: .read)
        for run in try library.runs() {
            let sections = run.sections.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.count)" }.joined(separator: ", ")
            var line = "run \(run.id) at \(run.time), profile \(run.profile), model \(run.modelSHA256.prefix(12)): \(sections.isEmpty ? "nothing shown" : sections)"
            if !run.offTopic.isEmpty { line += "; off-topic: \(run.offTopic.joined(separator: " "))" }
            try StandardStreams.write(line + "\n")
        }
    }
}
