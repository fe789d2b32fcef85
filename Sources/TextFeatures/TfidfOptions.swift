/// A document-frequency bound with sklearn's two readings: an absolute count (sklearn's int) or a
/// proportion of the training documents (sklearn's float in [0, 1]).
public enum DocumentFrequencyBound: Sendable, Equatable, Codable, CustomStringConvertible {
    case count(Int)
    case proportion(Double)

    /// The bound in documents for a corpus of `documentCount` (a proportion is not rounded).
    public func documents(outOf documentCount: Int) -> Double {
        switch self {
        case .count(let n): Double(n)
        case .proportion(let p): p * Double(documentCount)
        }
    }

    public var description: String {
        switch self {
        case .count(let n): "\(n) documents"
        case .proportion(let p): "proportion \(p)"
        }
    }
}

/// How each TF-IDF row is normalised.
public enum TfidfNorm: String, Sendable, Equatable, Codable {
    case l2, l1, none
}

/// The hyper-parameters of `TfidfVectorizer`, named after scikit-learn's (the defaults are sklearn's).
public struct TfidfOptions: Sendable, Equatable, Codable {
    /// Word n-gram lengths; sklearn's `ngram_range=(min, max)`.
    public var ngramRange: ClosedRange<Int>
    /// Ignore terms in fewer documents than this; sklearn's `min_df`.
    public var minDF: DocumentFrequencyBound
    /// Ignore terms in more documents than this; sklearn's `max_df`.
    public var maxDF: DocumentFrequencyBound
    /// Keep only this many terms with the highest corpus term frequency; ties go to the term that
    /// sorts first (sklearn's argsort is unstable, so it breaks ties arbitrarily).
    public var maxFeatures: Int?
    /// Use `1 + ln(tf)` instead of `tf`.
    public var sublinearTF: Bool
    public var useIDF: Bool
    /// `idf = ln((1 + n) / (1 + df)) + 1` when true, else `ln(n / df) + 1`.
    public var smoothIDF: Bool
    public var norm: TfidfNorm
    /// Apply Python's `str.lower()` before tokenizing.
    public var lowercase: Bool
    /// Words dropped after tokenizing (sklearn's `stop_words`); nil keeps all, and is left out of the
    /// stored options, so models without stop words are written as before.
    public var stopWords: StopWordList? = nil

    public init(
        ngramRange: ClosedRange<Int> = 1...1,
        minDF: DocumentFrequencyBound = .count(1),
        maxDF: DocumentFrequencyBound = .proportion(1.0),
        maxFeatures: Int? = nil,
        sublinearTF: Bool = false,
        useIDF: Bool = true,
        smoothIDF: Bool = true,
        norm: TfidfNorm = .l2,
        lowercase: Bool = true
    ) {
        self.ngramRange = ngramRange
        self.minDF = minDF
        self.maxDF = maxDF
        self.maxFeatures = maxFeatures
        self.sublinearTF = sublinearTF
        self.useIDF = useIDF
        self.smoothIDF = smoothIDF
        self.norm = norm
        self.lowercase = lowercase
    }

    /// Checks the ranges sklearn's parameter constraints allow.
    public func validate() throws(TfidfError) {
        if ngramRange.lowerBound < 1 { throw .invalidNgramRange(ngramRange) }
        for (name, bound) in [("minDF", minDF), ("maxDF", maxDF)] {
            switch bound {
            case .count(let n) where n < 1: throw .invalidDocumentFrequency(option: name, bound)
            case .proportion(let p) where !(p >= 0 && p <= 1): throw .invalidDocumentFrequency(option: name, bound)
            default: break
            }
        }
        if let maxFeatures, maxFeatures < 1 { throw .invalidMaxFeatures(maxFeatures) }
    }
}
