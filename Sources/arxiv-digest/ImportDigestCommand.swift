import ArgumentParser
import ArxivFeed
import DigestRendering
import Foundation

struct ImportDigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-digest",
        abstract: "Turn a digest (Markdown) back into paper records labelled with their section.",
        discussion: """
            Digest history becomes training data, and the round trip is exact: rendering the records \
            again with the same run time gives the same bytes.
            Example:
              arxiv-digest import-digest old-digest.md --output history.jsonl
              arxiv-digest import-digest --profile quantum/profile.toml quantum/README.md --output quantum/history.jsonl
            """
    )

    @OptionGroup var profileOptions: ProfileOptions

    @Argument(help: ArgumentHelp("The digest Markdown file.", valueName: "file.md"))
    var digest: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        let profile = try profileOptions.load()
        try output.check(inputs: .named("the digest", [digest]) + profileOptions.inputs(profile: profile))
        let layout = profile.layout
        // readFile: a directory, a missing file or a pipe (`<(…)`) gets a plain answer.
        let text = try readFile(URL(fileURLWithPath: digest), limit: .textPage)
        let imported = try DigestImporter.parse(data: text, file: URL(fileURLWithPath: digest).path, layout: layout)
        try output.emit(PaperJSONLWriter.encode(imported.papers))
        logToStandardError("\(imported.papers.count) papers imported (digest run \(imported.runTime) UTC)")
    }
}
