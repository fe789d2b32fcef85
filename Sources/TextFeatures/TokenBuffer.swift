/// The tokens of one document, stored back to back as UTF-8 with one space after each, so the
/// word n-gram of tokens `i ..< i + n` is the contiguous byte range
/// `tokenStarts[i] ..< tokenEnds[i + n - 1]`, already joined by single spaces as sklearn joins them.
/// Reused across documents so tokenizing allocates nothing once the buffers have grown.
struct TokenBuffer {
    /// Scratch storage: only `bytes[0 ..< byteCount]` belongs to the current document.
    var bytes: [UInt8] = []
    var byteCount = 0
    /// Scratch storage too: token `t < tokenCount` is `bytes[tokenStarts[t] ..< tokenEnds[t]]`.
    var tokenStarts: [Int] = []
    var tokenEnds: [Int] = []
    var tokenCount = 0

    /// Calls `body` with the bytes of every word n-gram with `ngramRange.lowerBound ... upperBound`
    /// tokens (the terms sklearn's `_word_ngrams` produces; order differs, which counting ignores).
    func forEachTerm(ngramRange: ClosedRange<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let count = tokenCount
        guard count > 0 else { return }
        bytes.withUnsafeBufferPointer { all in
            tokenStarts.withUnsafeBufferPointer { starts in
                tokenEnds.withUnsafeBufferPointer { ends in
                    for n in ngramRange where n <= count {
                        for i in 0...(count - n) {
                            let start = starts[i], end = ends[i + n - 1]
                            body(UnsafeBufferPointer(rebasing: all[start..<end]))
                        }
                    }
                }
            }
        }
    }
}
