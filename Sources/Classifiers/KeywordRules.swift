/// Keyword rules: the simplest classifier, kept as the baseline every trained model must beat and
/// as optional vote features. The rules are data (a digest profile's sections), not code.
///
/// Text is `title + " " + abstract`, lower-cased. A topic's score is the number of its keywords
/// that occur in the text as a substring (each keyword counts once). The highest score wins, ties
/// go to the earliest topic in ``topics`` order, and a best score of 0 gives ``fallbackLabel``.
/// These are the rules of the original digest script.
///
/// Matching is done on UTF-8 bytes, which is exactly Python's `in` on code points; Swift's
/// grapheme-aware `String.contains` would miss a keyword followed by a combining mark.
public struct KeywordRules: Sendable, Equatable, Codable {
    /// One topic: its label and its keywords.
    public struct Topic: Sendable, Equatable, Codable {
        public let label: String
        public let keywords: [String]

        public init(label: String, keywords: [String]) {
            self.label = label
            self.keywords = keywords
        }
    }

    /// The topics in tie-break order. Only these score; the fallback needs no keywords.
    public let topics: [Topic]
    /// The label given when no keyword matches.
    public let fallbackLabel: String

    private let keywordBytes: [[[UInt8]]]

    /// Rules from `(label, keywords)` pairs in tie-break order. Topics without keywords are dropped
    /// (they could never win), so a profile's keyword-less sections add no always-zero votes.
    public init(topics: [(label: String, keywords: [String])], fallback: String) {
        self.topics = topics.filter { !$0.keywords.isEmpty }.map { Topic(label: $0.label, keywords: $0.keywords) }
        self.fallbackLabel = fallback
        self.keywordBytes = self.topics.map { $0.keywords.map { Array($0.utf8) } }
    }

    /// True when no topic has keywords: every paper gets the fallback, so the rules say nothing.
    public var isEmpty: Bool { topics.isEmpty }

    /// Every label the rules can return: the topics in order, then the fallback unless it is a topic.
    public var labels: [String] {
        let topicLabels = topics.map(\.label)
        return topicLabels.contains(fallbackLabel) ? topicLabels : topicLabels + [fallbackLabel]
    }

    /// True when every label the rules can return is one of `classes`, so their predictions can be
    /// scored beside a model's without rows for labels the data does not use.
    public func onlyPredicts(among classes: [String]) -> Bool {
        !isEmpty && Set(labels).isSubset(of: classes)
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
        Dictionary(uniqueKeysWithValues: zip(topics.map(\.label), scores(text: text)))
    }

    /// The label for `text` = title + " " + abstract.
    public func classify(text: String) -> String {
        label(forScores: scores(text: text))
    }

    /// The label for a paper's title and abstract.
    public func classify(title: String, abstract: String) -> String {
        classify(text: title + " " + abstract)
    }

    /// The winning label for scores parallel to ``topics``: first maximum, or the fallback at 0.
    public func label(forScores scores: [Int]) -> String {
        var best = 0
        var bestLabel = fallbackLabel
        for (topic, score) in zip(topics, scores) where score > best {
            best = score
            bestLabel = topic.label
        }
        return bestLabel
    }

    // MARK: - Codable: the topics and the fallback; the byte form is rebuilt.

    enum CodingKeys: String, CodingKey {
        case topics
        case fallbackLabel = "fallback"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let topics = try container.decode([Topic].self, forKey: .topics)
        self.init(topics: topics.map { ($0.label, $0.keywords) }, fallback: try container.decode(String.self, forKey: .fallbackLabel))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(topics, forKey: .topics)
        try container.encode(fallbackLabel, forKey: .fallbackLabel)
    }

    public static func == (lhs: KeywordRules, rhs: KeywordRules) -> Bool {
        lhs.topics == rhs.topics && lhs.fallbackLabel == rhs.fallbackLabel
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
