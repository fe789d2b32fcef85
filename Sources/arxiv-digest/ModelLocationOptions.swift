import ArgumentParser
import DigestProfile
import Foundation
import SentenceEncoder
import TopicModel

/// `--model FILE`: the trained model to use, by default the profile's (`Models/topics.model` for the
/// shipped profile, which needs the sentence encoder's weights; `Models/topics-tfidf.model` does not).
struct ModelLocationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The trained model file (default: the profile's model, Models/topics.model for the shipped profile; Models/topics-tfidf.model needs no encoder weights).", valueName: "file.model"))
    var model: String?

    /// `--model`, else the profile's model, else the shipped `topics.model` wherever it is found.
    func resolvedModelURL(profile: DigestProfile?) -> URL {
        if let model { return URL(fileURLWithPath: model) }
        if let profile { return profile.modelURL }
        // Not found: the first place looked, so the error names a path beside the program (never the working
        // folder's Models/, which would make the model depend on where the command starts).
        return ShippedResources.locate("topics.model")
            ?? (ShippedResources.folders().first ?? URL(fileURLWithPath: "/")).appendingPathComponent("topics.model")
    }

    /// The model file and the encoder weight file it may read, as inputs no output may replace (the
    /// weights are protected whether or not this model uses them: they are 90 MB to rebuild).
    func inputs(profile: DigestProfile?) -> [OutputGuard.Input] {
        .named("--model", [resolvedModelURL(profile: profile).path])
            + .named("--encoder-weights", [EncoderWeightsLocation.resolve(option: encoderWeights).path])
    }

    func validate() throws {
        if model?.isEmpty == true { throw ValidationError("--model is empty; give a model file.") }
    }

    @Option(help: ArgumentHelp("For a model trained with --embedding: its encoder weight file (default: $ARXIVDIGEST_ENCODER_WEIGHTS, else ~/.cache/arxiv-digest/minilm-l6.weights).", valueName: "file"))
    var encoderWeights: String?

    /// Reads the model. The profile's keyword rules stand in for a model trained with keyword votes
    /// by a build that did not store them.
    func loadModel(profile: DigestProfile?) throws -> TopicModel {
        let url = resolvedModelURL(profile: profile)
        do {
            return try TopicModel.read(from: url, keywordRulesForOlderFiles: profile?.keywordRulesIfAny,
                                       encoderWeights: encoderWeights.map { URL(fileURLWithPath: $0) })
        } catch let error as EncoderRequirementError {
            // The shipped default needs the encoder; point at the model beside it that does not.
            let fallback = url.deletingLastPathComponent().appendingPathComponent(Self.encoderFreeModel)
            guard model == nil, url.lastPathComponent != Self.encoderFreeModel,
                  FileManager.default.fileExists(atPath: fallback.path) else { throw error }
            throw CLIError("\(error.description)\n(or classify without the encoder, a little less accurately: --model \(fallback.path))")
        }
    }

    /// The TF-IDF-only model shipped beside the default one.
    static let encoderFreeModel = "topics-tfidf.model"
}
