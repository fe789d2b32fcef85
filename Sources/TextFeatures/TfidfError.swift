/// Why fitting, or rebuilding a fitted vectorizer, failed.
public enum TfidfError: Error, Equatable, CustomStringConvertible {
    case emptyDocumentList
    case invalidNgramRange(ClosedRange<Int>)
    case invalidDocumentFrequency(option: String, DocumentFrequencyBound)
    case invalidMaxFeatures(Int)
    /// `minDF` asks for more documents than `maxDF` allows, for this corpus size.
    case minDFExceedsMaxDF(minDF: DocumentFrequencyBound, maxDF: DocumentFrequencyBound, documentCount: Int)
    /// No document has a single token.
    case emptyVocabulary(documentCount: Int)
    /// Every term was pruned by `minDF` / `maxDF`.
    case noTermsRemain(minDF: DocumentFrequencyBound, maxDF: DocumentFrequencyBound, documentCount: Int)
    /// Restoring: the number of idf weights differs from the number of terms.
    case idfCountMismatch(terms: Int, idf: Int)
    /// Restoring: `idf` was given with `useIDF` false, or missing with it true.
    case idfPresenceMismatch(useIDF: Bool)
    /// Restoring: a term occurs twice (as exact Unicode scalars).
    case duplicateTerm(String, column: Int)
    /// Restoring: a term does not come after the one before it in code point order.
    case unsortedTerms(String, column: Int, previous: String)
    /// Restoring: an idf weight is not finite, or outside ``FittedTfidfVectorizer/idfRange``.
    case invalidIDF(column: Int, value: Double)

    public var description: String {
        switch self {
        case .emptyDocumentList:
            "cannot fit a TF-IDF vectorizer on an empty document list"
        case .invalidNgramRange(let r):
            "ngramRange \(r.lowerBound)...\(r.upperBound) is invalid: n-grams need at least 1 token"
        case .invalidDocumentFrequency(let option, let bound):
            "\(option) \(bound) is invalid: use a count of at least 1 or a proportion in 0...1"
        case .invalidMaxFeatures(let n):
            "maxFeatures \(n) is invalid: keep at least 1 term, or pass nil to keep all"
        case .minDFExceedsMaxDF(let minDF, let maxDF, let n):
            "minDF (\(minDF)) exceeds maxDF (\(maxDF)) for \(n) documents: no term can satisfy both"
        case .emptyVocabulary(let n):
            "none of the \(n) documents has a token of two or more word characters"
        case .noTermsRemain(let minDF, let maxDF, let n):
            "no term of the \(n) documents is within minDF (\(minDF)) and maxDF (\(maxDF)); lower minDF or raise maxDF"
        case .idfCountMismatch(let terms, let idf):
            "the vectorizer has \(terms) terms but \(idf) idf weights"
        case .idfPresenceMismatch(let useIDF):
            useIDF ? "useIDF is true but no idf weights were given" : "useIDF is false but idf weights were given"
        case .duplicateTerm(let term, let column):
            "term \"\(term)\" in column \(column) occurs earlier too"
        case .unsortedTerms(let term, let column, let previous):
            "term \"\(term)\" in column \(column) does not come after \"\(previous)\" in code point order (a fitted vocabulary is sorted)"
        case .invalidIDF(let column, let value):
            "idf weight \(value) of column \(column) is outside \(FittedTfidfVectorizer.idfRange) (a fitted idf is at least 1: the log of a document ratio, plus 1)"
        }
    }
}
