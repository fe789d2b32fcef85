// libFuzzer target: the tokenizer and the TF-IDF transform on arbitrary bytes decoded as UTF-8
// (invalid sequences become U+FFFD, as when a file is read leniently).
//
// Contract checked:
// - every token is non-empty, has at least two scalars, and all of them are Python word characters;
// - with lower-casing, tokens equal those of the Python-lower-cased text tokenized verbatim (the
//   fused fast path agrees with the reference definition), and lower-casing a token changes nothing;
// - re-tokenizing the tokens joined by spaces gives the same tokens;
// - unigram+bigram terms are the tokens followed by each adjacent pair;
// - a vectorizer fitted on the input's lines transforms them into finite, L2-normalised rows with
//   sorted, in-range columns.
import Foundation
import LinearAlgebra
import TextFeatures

private let lowering = Tokenizer(lowercase: true)
private let verbatim = Tokenizer(lowercase: false)

private func checkTokens(_ tokens: [String], of text: String) {
    for token in tokens {
        let scalars = token.unicodeScalars
        if scalars.count < 2 { fatalError("token \(token.debugDescription) has fewer than 2 scalars") }
        if let bad = scalars.first(where: { !PythonUnicode.isWordCharacter($0) }) {
            fatalError("token \(token.debugDescription) holds non-word scalar U+\(String(bad.value, radix: 16))")
        }
    }
    if verbatim.tokens(in: tokens.joined(separator: " ")) != tokens {
        fatalError("re-tokenizing the tokens of \(text.debugDescription) changed them")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)

    let raw = verbatim.tokens(in: text)
    checkTokens(raw, of: text)
    let lowered = lowering.tokens(in: text)
    checkTokens(lowered, of: text)
    if lowered != verbatim.tokens(in: PythonUnicode.lowercased(text)) {
        fatalError("lower-casing tokenizer disagrees with lowercased(text) tokenized verbatim: \(text.debugDescription)")
    }
    for token in lowered where PythonUnicode.lowercased(token) != token {
        fatalError("lower-casing is not idempotent on token \(token.debugDescription)")
    }
    let terms = lowering.terms(in: text, ngramRange: 1...2)
    let pairs = zip(lowered, lowered.dropFirst()).map { "\($0) \($1)" }
    if terms != lowered + pairs { fatalError("1...2 terms are not the tokens then their bigrams") }

    let documents = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let fitted = try? TfidfVectorizer().fit(documents) else { return 0 }  // e.g. empty vocabulary
    let matrix = fitted.transform(documents)
    if matrix.rowCount != documents.count || matrix.columnCount != fitted.featureCount {
        fatalError("transform has the wrong shape")
    }
    for row in 0..<matrix.rowCount {
        let range = matrix.entryRange(ofRow: row)
        let columns = matrix.columns[range]
        if !zip(columns, columns.dropFirst()).allSatisfy({ $0 < $1 }) { fatalError("row \(row): columns not sorted") }
        if let c = columns.first(where: { $0 < 0 || Int($0) >= matrix.columnCount }) { fatalError("column \(c) out of range") }
        let values = matrix.values[range]
        if !values.allSatisfy({ $0.isFinite && $0 > 0 }) { fatalError("row \(row): a value is not finite and positive") }
        let norm = values.reduce(0) { $0 + $1 * $1 }
        if !values.isEmpty && abs(norm - 1) > 1e-9 { fatalError("row \(row): squared norm \(norm), not 1") }
    }
    return 0
}
