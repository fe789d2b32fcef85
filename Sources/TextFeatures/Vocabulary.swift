/// The fitted terms of a vectorizer and their columns. Terms are keyed by their exact Unicode
/// scalars (UTF-8 bytes), not by Swift's canonical-equivalence `String ==`, so precomposed "é" and
/// "e" + U+0301 are different terms, as in Python.
public struct Vocabulary: Sendable {
    let table: TermTable

    init(table: TermTable) {
        self.table = table
    }

    /// Builds a vocabulary with `terms[i]` in column `i`. The terms must be in code point (UTF-8 byte) order, as
    /// `fit` leaves them: a stored vocabulary out of order would pair terms with other terms' weights.
    init(terms: [String]) throws(TfidfError) {
        var table = TermTable(minimumCapacity: terms.count)
        for (column, term) in terms.enumerated() {
            var term = term
            let id = term.withUTF8 { table.findOrInsert($0, hash: termHash($0)) }
            if Int(id) != column { throw .duplicateTerm(term, column: column) }
            if column > 0, !terms[column - 1].utf8.lexicographicallyPrecedes(term.utf8) {
                throw .unsortedTerms(term, column: column, previous: terms[column - 1])
            }
        }
        self.table = table
    }

    /// The number of terms (columns).
    public var count: Int { table.count }

    /// The column of `term` (compared scalar by scalar), or nil.
    public func column(of term: String) -> Int? {
        var term = term
        let id = term.withUTF8 { table.find($0, hash: termHash($0)) }
        return id < 0 ? nil : Int(id)
    }

    /// The term in `column`.
    public func term(atColumn column: Int) -> String { table.string(column) }

    /// Every term, in column order (sorted by code point after `fit`).
    public var terms: [String] { (0..<count).map(table.string) }
}
