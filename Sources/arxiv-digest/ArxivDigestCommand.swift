import ArgumentParser

/// The root command is an index: each subcommand lives in its own file and does its work
/// by calling the libraries.
@main
struct ArxivDigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arxiv-digest",
        abstract: "Turn an arXiv feed into a daily digest, sorted into topics by a trained classifier.",
        discussion: """
            The main job is `digest`: fetch the newest papers, classify each into one of the profile's \
            topics with its model, and write the Markdown digest. The profile (--profile, default the \
            shipped Open Neuromorphic one in Models/) says what to fetch, the sections and the page \
            text; `init` starts one for a new field. The other commands fetch and convert papers, and \
            train, evaluate and apply classifiers.
            """,
        version: "0.1.0",
        subcommands: [
            DigestCommand.self, FetchCommand.self, ImportDigestCommand.self,
            TrainCommand.self, EvaluateCommand.self, ClassifyCommand.self, InitCommand.self,
            ReviewCommand.self, LabelCommand.self, LibraryCommand.self,
        ]
    )
}
