import ArgumentParser
import DigestProfile
import Foundation
import TopicModel

/// `--model FILE`: the trained model to use, by default the profile's (`Models/topics.model` for the
/// shipped profile).
struct ModelLocationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The trained model file (default: the profile's model, Models/topics.model for the shipped profile).", valueName: "file.model"))
    var model: String?

    /// `--model`, else the profile's model, else the shipped `topics.model` wherever it is found.
    func resolvedModelURL(profile: DigestProfile?) -> URL {
        if let model { return URL(fileURLWithPath: model) }
        if let profile { return profile.modelURL }
        return ShippedResources.locate("topics.model") ?? URL(fileURLWithPath: "Models/topics.model")
    }

    /// Reads the model. The profile's keyword rules stand in for a model trained with keyword votes
    /// by a build that did not store them.
    func loadModel(profile: DigestProfile?) throws -> TopicModel {
        try TopicModel.read(from: resolvedModelURL(profile: profile), keywordRulesForOlderFiles: profile?.keywordRulesIfAny)
    }
}
