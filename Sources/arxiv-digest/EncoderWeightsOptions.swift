import ArgumentParser
import Foundation
import SentenceEncoder

/// `--encoder-weights FILE`: the converted MiniLM weight file, by default
/// `$ARXIVDIGEST_ENCODER_WEIGHTS` or `~/.cache/arxiv-digest/minilm-l6.weights`.
struct EncoderWeightsOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The sentence-encoder weight file (default: $ARXIVDIGEST_ENCODER_WEIGHTS, else ~/.cache/arxiv-digest/minilm-l6.weights; `arxiv-digest encoder convert` writes it).", valueName: "file"))
    var encoderWeights: String?

    var resolvedURL: URL { EncoderWeightsLocation.resolve(option: encoderWeights) }

    /// The weight file as an input no output may replace.
    var inputs: [OutputGuard.Input] { .named("--encoder-weights", [resolvedURL.path]) }
}
