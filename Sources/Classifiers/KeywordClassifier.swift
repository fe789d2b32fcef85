/// The original digest's keyword rules, kept as the baseline every trained model must beat.
///
/// Text is `title + " " + abstract`, lower-cased. A topic's score is the number of its keywords
/// that occur in the text as a substring (each keyword counts once). The highest score wins, ties
/// go to the earliest topic in ``topics`` order, and a best score of 0 gives ``fallbackLabel``.
///
/// Matching is done on UTF-8 bytes, which for these ASCII keywords is exactly Python's `in` on
/// code points; Swift's grapheme-aware `String.contains` would miss a keyword followed by a
/// combining mark.
public struct KeywordClassifier: Sendable {
    /// One topic: its label and its keywords.
    public struct Topic: Sendable, Equatable {
        public let label: String
        public let keywords: [String]
    }

    /// The topics in tie-break order.
    public static let topics: [Topic] = [
        Topic(label: "hardware", keywords: [
            "memristor", "rram", "pcm", "device", "material", "circuit", "cmos", "transistor", "fpga",
            "accelerator", "chip", "integrated", "hardware", "synaptic device", "crossbar", "conductance",
        ]),
        Topic(label: "algorithms", keywords: [
            "plasticity", "stdp", "learning rule", "backpropagation", "dynamics", "bifurcation", "chaos",
            "neuron model", "snn", "spiking", "theory", "optimization", "encoding", "decoding",
            "information", "liquid state",
        ]),
        Topic(label: "applications", keywords: [
            "vision", "camera", "dvs", "event-based", "sensor", "tactile", "skin", "robot", "recognition",
            "classification", "detection", "tracking", "audio", "speech", "gesture", "uav", "drone",
        ]),
    ]

    /// The label given when no keyword matches.
    public static let fallbackLabel = "general"

    /// Every label the classifier can return, in section order.
    public static let labels: [String] = topics.map(\.label) + [fallbackLabel]

    private let keywordBytes: [[[UInt8]]]

    public init() {
        keywordBytes = Self.topics.map { $0.keywords.map { Array($0.utf8) } }
    }

    /// The per-topic scores (parallel to ``topics``) for `text` = title + " " + abstract.
    public func scores(text: String) -> [Int] {
        let haystack = Array(text.lowercased().utf8)
        return keywordBytes.map { keywords in
            keywords.reduce(0) { $0 + (Self.occurs($1, in: haystack) ? 1 : 0) }
        }
    }

    /// The per-topic scores keyed by label, e.g. as "votes" features.
    public func votes(text: String) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: zip(Self.topics.map(\.label), scores(text: text)))
    }

    /// The label for `text` = title + " " + abstract.
    public func classify(text: String) -> String {
        Self.label(forScores: scores(text: text))
    }

    /// The label for a paper's title and abstract.
    public func classify(title: String, abstract: String) -> String {
        classify(text: title + " " + abstract)
    }

    /// The winning label for scores parallel to ``topics``: first maximum, or the fallback at 0.
    public static func label(forScores scores: [Int]) -> String {
        var best = 0
        var bestLabel = fallbackLabel
        for (topic, score) in zip(topics, scores) where score > best {
            best = score
            bestLabel = topic.label
        }
        return bestLabel
    }

    private static func occurs(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        let first = needle[0]
        var start = 0
        let lastStart = haystack.count - needle.count
        while start <= lastStart {
            if haystack[start] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[start + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return true }
            }
            start += 1
        }
        return false
    }
}
