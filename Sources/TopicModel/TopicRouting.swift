import LinearAlgebra

/// Where a classified paper goes, given its calibrated probabilities: its predicted section, the
/// fallback section when the model is not sure enough (abstain), or nowhere when it is off-topic.
public struct TopicDecision: Equatable, Sendable {
    /// The most probable class.
    public let predicted: String
    /// Its calibrated probability.
    public let confidence: Double
    /// True when `confidence` is below the minimum: the paper goes to the fallback section.
    public let abstained: Bool
    /// The section the paper is shown in, or nil when it is left out as off-topic.
    public let section: String?

    public init(predicted: String, confidence: Double, abstained: Bool, section: String?) {
        self.predicted = predicted
        self.confidence = confidence
        self.abstained = abstained
        self.section = section
    }

    /// True when the model confidently called the paper off-topic (it is left out).
    public var isOffTopic: Bool { section == nil }
}

/// Turns probabilities into ``TopicDecision``s. The abstain rule comes first: a paper the model is
/// unsure about is shown in the fallback section even when its top guess is off-topic, so an
/// unsure model never hides a paper.
public enum TopicRouting {
    /// One decision per row of `probabilities` (columns in `classes` order).
    /// - Parameters:
    ///   - minConfidence: papers whose top probability is below it abstain; nil never abstains.
    ///   - fallback: the section label abstaining papers go to.
    ///   - offTopicLabel: the class of papers that belong in no section (the profile's,
    ///     `DigestProfile.offTopicLabel`); learned like any other label, and left out when predicted.
    public static func decide(
        probabilities: DenseMatrix, classes: [String], minConfidence: Double?, fallback: String, offTopicLabel: String
    ) -> [TopicDecision] {
        (0..<probabilities.rowCount).map { r in
            var best = 0
            for c in 1..<max(classes.count, 1) where probabilities[r, c] > probabilities[r, best] { best = c }
            let confidence = probabilities[r, best]
            let abstained = minConfidence.map { confidence < $0 } ?? false
            let predicted = classes[best]
            let section: String? = abstained ? fallback : (predicted == offTopicLabel ? nil : predicted)
            return TopicDecision(predicted: predicted, confidence: confidence, abstained: abstained, section: section)
        }
    }
}
