import Dispatch

/// scikit-learn's default word tokenizer: optional Python `str.lower()`, then the tokens of
/// `(?u)\b\w\w+\b`, i.e. maximal runs of two or more Python word characters
/// (see `PythonUnicode.isWordCharacter`).
///
/// Lower-casing happens before tokenizing, as in sklearn, so 'İ' becomes "i" + U+0307 (a
/// combining mark, not a word character) and splits the token.
public struct Tokenizer: Sendable, Equatable {
    public var lowercase: Bool
    /// Tokens dropped before n-grams are formed (sklearn's `stop_words`); nil keeps every token.
    public var stopWords: StopWordList? {
        didSet { stopWordBytes = stopWords?.byteSet }
    }
    private var stopWordBytes: Set<[UInt8]>?

    public init(lowercase: Bool = true, stopWords: StopWordList? = nil) {
        self.lowercase = lowercase
        self.stopWords = stopWords
        self.stopWordBytes = stopWords?.byteSet
    }

    /// Builds the tokenizer's Unicode tables (about 15 ms, once per process) on another thread, so a
    /// caller that will tokenize soon (after loading a model, say) does not wait for them then.
    public static func prepareTablesInBackground() {
        DispatchQueue.global(qos: .userInitiated).async { _ = ScalarTable.shared }
    }

    /// The tokens of `text`, in order (convenience API; the vectorizer uses `scan`).
    public func tokens(in text: String) -> [String] {
        var buffer = TokenBuffer()
        scan(text, into: &buffer)
        return (0..<buffer.tokenCount).map {
            String(decoding: buffer.bytes[buffer.tokenStarts[$0]..<buffer.tokenEnds[$0]], as: UTF8.self)
        }
    }

    /// The terms sklearn's analyzer yields for `text`: the tokens, then the word n-grams of each
    /// further length in `ngramRange`, each joined by single spaces, in sklearn's order.
    public func terms(in text: String, ngramRange: ClosedRange<Int> = 1...1) -> [String] {
        var buffer = TokenBuffer()
        scan(text, into: &buffer)
        var terms: [String] = []
        buffer.forEachTerm(ngramRange: ngramRange) { terms.append(String(decoding: $0, as: UTF8.self)) }
        return terms
    }

    /// Replaces `buffer`'s contents with the tokens of `text`.
    func scan(_ text: String, into buffer: inout TokenBuffer) {
        var text = text
        text.withUTF8 { utf8 in
            // Lower-casing grows a scalar's UTF-8 by at most half ('İ' → "i" + U+0307), and each
            // token of two or more bytes gains one space, so 3 bytes per input byte always suffice.
            let capacity = 3 * utf8.count + 8
            if buffer.bytes.count < capacity {
                buffer.bytes = [UInt8](repeating: 0, count: max(capacity, 2 * buffer.bytes.count))
            }
            // Every token takes at least one input byte, so there are at most `utf8.count` of them.
            // Sized up front, the writer stores their bounds without an append's checks per token.
            if buffer.tokenStarts.count < utf8.count + 1 {
                let tokenCapacity = max(utf8.count + 1, 2 * buffer.tokenStarts.count)
                buffer.tokenStarts = [Int](repeating: 0, count: tokenCapacity)
                buffer.tokenEnds = [Int](repeating: 0, count: tokenCapacity)
            }
            buffer.bytes.withUnsafeMutableBufferPointer { out in
                buffer.tokenStarts.withUnsafeMutableBufferPointer { starts in
                    buffer.tokenEnds.withUnsafeMutableBufferPointer { ends in
                        var run = RunWriter(out: out.baseAddress!, starts: starts.baseAddress!, ends: ends.baseAddress!)
                        if lowercase { scanLowercasing(utf8, &run) } else { scanVerbatim(utf8, &run) }
                        run.endRun()
                        buffer.byteCount = run.count
                        buffer.tokenCount = run.tokens
                    }
                }
            }
        }
        if let stopWordBytes { removeStopWords(stopWordBytes, from: &buffer) }
    }

    /// Drops the stop words and closes the gaps (moving the kept tokens left, one space after each),
    /// so n-grams join the remaining tokens, as sklearn forms them after removing stop words.
    private func removeStopWords(_ stop: Set<[UInt8]>, from buffer: inout TokenBuffer) {
        var kept = 0, write = 0
        let count = buffer.tokenCount
        buffer.bytes.withUnsafeMutableBufferPointer { bytes in
            for t in 0..<count {
                let start = buffer.tokenStarts[t], end = buffer.tokenEnds[t]
                if stop.contains(Array(bytes[start..<end])) { continue }
                // write ≤ start always, so a forward byte copy never overwrites bytes still to be read.
                buffer.tokenStarts[kept] = write
                for b in start..<end { bytes[write] = bytes[b]; write += 1 }
                buffer.tokenEnds[kept] = write
                bytes[write] = 0x20
                write += 1
                kept += 1
            }
        }
        buffer.tokenCount = kept
        buffer.byteCount = write
    }

    private func scanVerbatim(_ utf8: UnsafeBufferPointer<UInt8>, _ run: inout RunWriter) {
        var i = 0
        ScalarTable.shared.asciiWordVerbatim.withUnsafeBufferPointer { wordBytes in
            while i < utf8.count {
                if utf8[i] < 0x80 {
                    i = run.appendASCII(utf8, from: i, wordBytes: wordBytes)
                    continue
                }
                let (scalar, length) = decodeScalar(utf8, at: i)
                run.feed(scalar.value)
                i += length
            }
        }
    }

    private func scanLowercasing(_ utf8: UnsafeBufferPointer<UInt8>, _ run: inout RunWriter) {
        var i = 0
        // Whether the nearest scalar so far that is not case-ignorable is cased (for Final_Sigma).
        var previousCased = false
        let table = ScalarTable.shared
        table.asciiWordLowercased.withUnsafeBufferPointer { wordBytes in
            while i < utf8.count {
                if utf8[i] < 0x80 {
                    let start = i
                    i = run.appendASCII(utf8, from: start, wordBytes: wordBytes)
                    // Only the stretch's last byte that is not case-ignorable matters.
                    var k = i
                    while k > start {
                        k -= 1
                        let f = table.flags[Int(utf8[k])]
                        if f & ScalarTable.caseIgnorable == 0 { previousCased = f & ScalarTable.cased != 0; break }
                    }
                    continue
                }
                let (scalar, length) = decodeScalar(utf8, at: i)
                i += length
                if scalar.value == 0x3A3 {
                    let final = PythonUnicode.isFinalSigma(
                        previousCased: previousCased, following: ScalarSequence(utf8: utf8, start: i))
                    run.feed(final ? 0x3C2 : 0x3C3)
                } else {
                    PythonUnicode.forEachLowercaseScalar(of: scalar) { run.feed($0) }
                }
                let f = PythonUnicode.flags(scalar)
                if f & ScalarTable.caseIgnorable == 0 { previousCased = f & ScalarTable.cased != 0 }
            }
        }
    }
}

/// Appends word scalars to the current run and closes runs into tokens (two scalars or more).
/// Writes through a raw pointer: the caller sized the output for the worst case.
private struct RunWriter {
    let out: UnsafeMutablePointer<UInt8>
    var count = 0
    /// Token bounds, sized by the caller for every token the input can hold.
    let starts: UnsafeMutablePointer<Int>
    let ends: UnsafeMutablePointer<Int>
    var tokens = 0
    var runStart = 0
    var runScalars = 0

    init(out: UnsafeMutablePointer<UInt8>, starts: UnsafeMutablePointer<Int>, ends: UnsafeMutablePointer<Int>) {
        self.out = out
        self.starts = starts
        self.ends = ends
    }

    /// Takes the ASCII bytes from `start` to the next non-ASCII byte (or the end) and returns where it
    /// stopped. Most text is ASCII, so this is the hot loop: one table look-up per byte (`wordBytes`: the
    /// byte a token gets, or 0 for a separator) and the writer's state in locals, since each byte stored
    /// through `out` could otherwise alias that state and force reloads.
    @inline(__always)
    mutating func appendASCII(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int, wordBytes: UnsafeBufferPointer<UInt8>) -> Int {
        let out = self.out, end = utf8.count
        var count = self.count, runStart = self.runStart, runScalars = self.runScalars, tokens = self.tokens
        var i = start
        while i < end {
            let b = utf8[i]
            if b >= 0x80 { break }
            let word = wordBytes[Int(b)]
            if word != 0 {
                out[count] = word
                count &+= 1
                runScalars &+= 1
            } else if runScalars != 0 {
                // endRun(), on the locals. (With no scalars in the run, runStart == count already.)
                if runScalars >= 2 {
                    starts[tokens] = runStart
                    ends[tokens] = count
                    tokens &+= 1
                    out[count] = 0x20
                    count &+= 1
                } else {
                    count = runStart
                }
                runStart = count
                runScalars = 0
            }
            i &+= 1
        }
        self.count = count
        self.runStart = runStart
        self.runScalars = runScalars
        self.tokens = tokens
        return i
    }

    @inline(__always)
    mutating func feed(_ value: UInt32) {
        let scalar = Unicode.Scalar(value)!
        guard PythonUnicode.isWordCharacter(scalar) else { endRun(); return }
        for b in UTF8.encode(scalar)! {
            out[count] = b
            count += 1
        }
        runScalars += 1
    }

    @inline(__always)
    mutating func endRun() {
        if runScalars >= 2 {
            starts[tokens] = runStart
            ends[tokens] = count
            tokens += 1
            out[count] = 0x20
            count += 1
        } else if runScalars == 1 {
            count = runStart
        }
        runStart = count
        runScalars = 0
    }
}

/// Decodes the (valid, since it comes from a Swift String) UTF-8 scalar starting at `i`.
@inline(__always)
private func decodeScalar(_ utf8: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
    let b0 = UInt32(utf8[i])
    let value: UInt32, length: Int
    if b0 < 0xE0 {
        value = (b0 & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F); length = 2
    } else if b0 < 0xF0 {
        value = (b0 & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F); length = 3
    } else {
        value = (b0 & 0x07) << 18 | UInt32(utf8[i + 1] & 0x3F) << 12 | UInt32(utf8[i + 2] & 0x3F) << 6
            | UInt32(utf8[i + 3] & 0x3F)
        length = 4
    }
    return (Unicode.Scalar(value)!, length)
}

/// The scalars of a UTF-8 buffer from `start`, for the Final_Sigma look-ahead.
private struct ScalarSequence: Sequence, IteratorProtocol {
    let utf8: UnsafeBufferPointer<UInt8>
    var start: Int

    mutating func next() -> Unicode.Scalar? {
        guard start < utf8.count else { return nil }
        if utf8[start] < 0x80 { defer { start += 1 }; return Unicode.Scalar(utf8[start]) }
        let (scalar, length) = decodeScalar(utf8, at: start)
        start += length
        return scalar
    }
}
