import ArgumentParser

/// The root command is an index: each subcommand lives in its own file and does its work
/// by calling the libraries.
@main
struct ArxivDigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arxiv-digest",
        abstract: "Turn an arXiv feed into a daily digest, sorted into topics by a trained classifier.",
        version: "0.1.0",
        subcommands: []
    )
}
