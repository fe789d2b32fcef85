import ArxivFeed
import Foundation
import LinearAlgebra
import TextFeatures

/// One classified paper as `classify` writes it. A new output field is one more property here and
/// one more line in `ClassificationWriter.append(_:to:)`.
public struct ClassifiedPaper {
    public var id: String
    /// Written only when the writer was made with `withTitle`.
    public var title: String
    public var label: String
    /// Every class's probability, in the model's class order.
    public var probabilities: ArraySlice<Double>
    /// The terms that pushed the decision most (`classify --explain`), or nil.
    public var explanation: [TermContribution]?
    /// True when the top probability is below `--min-confidence`: written as `"abstained": true`.
    public var abstained: Bool

    public init(id: String, title: String, label: String, probabilities: ArraySlice<Double>,
                explanation: [TermContribution]? = nil, abstained: Bool = false) {
        self.id = id
        self.title = title
        self.label = label
        self.probabilities = probabilities
        self.explanation = explanation
        self.abstained = abstained
    }
}

/// classify's output format, one JSON object per paper and line:
/// `{"id": …, "title": …, "label": …, "probabilities": {class: p, …}, "abstained": true, "explanation": [{"term": …, "weight": …}, …]}`
/// (`title` only when asked for, `abstained` only below `minConfidence`, `explanation` only with `--explain`;
/// probabilities are the model's calibrated ones). `probabilities` holds, by default, every
/// class in the model's order for up to 10 classes, else the 5 most probable; an explicit `topK`
/// gives the `topK` most probable (all when it is the class count or more), most probable first
/// (ties in class order). Numbers are shortest round-trip (`JSONText`).
///
/// It writes UTF-8 bytes straight into a buffer, a batch's rows on all cores, in row order, so
/// the output is the same bytes however many cores there are.
public struct ClassificationWriter: Sendable {
    public let classes: [String]
    /// How many probabilities each line carries (1 ... class count).
    public let topK: Int
    /// True when a line lists every class in the model's order (the default for up to 10 classes);
    /// false when it lists the `topK` most probable, most probable first.
    public let listsInClassOrder: Bool
    public let withTitle: Bool
    /// A line whose top probability is below this carries `"abstained": true` (nil: never).
    public let minConfidence: Double?
    /// Each class name as ", " then a JSON string literal then ": ", made once and laid end to end (the
    /// first key of a line is written without the ", "); class `c`'s key is
    /// `classKeyBytes[classKeyStarts[c] ..< classKeyStarts[c + 1]]`. One flat buffer read through a
    /// pointer: an array per class would be retained and released for every number written, and those
    /// reference counts, shared by both cores' threads, bounced one cache line between them.
    private let classKeyBytes: [UInt8]
    private let classKeyStarts: [Int]

    /// The default number of probabilities per line: all of them for up to 10 classes, else 5.
    public static func defaultTopK(classCount: Int) -> Int { classCount <= 10 ? classCount : 5 }

    /// `topK` nil means `defaultTopK`; a value above the class count means all classes. A `topK` given
    /// is always most probable first, even when it covers every class (what `--top-k K` promises).
    public init(classes: [String], topK: Int? = nil, withTitle: Bool = false, minConfidence: Double? = nil) {
        precondition(!classes.isEmpty, "a model has at least one class")
        precondition((topK ?? 1) >= 1, "topK must be at least 1")
        self.classes = classes
        self.topK = min(topK ?? Self.defaultTopK(classCount: classes.count), classes.count)
        listsInClassOrder = topK == nil && self.topK == classes.count
        self.withTitle = withTitle
        self.minConfidence = minConfidence
        var keyBytes: [UInt8] = [], keyStarts = [0]
        for name in classes {
            keyBytes.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")])
            JSONText.appendString(name, to: &keyBytes)
            keyBytes.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
            keyStarts.append(keyBytes.count)
        }
        classKeyBytes = keyBytes
        classKeyStarts = keyStarts
    }

    /// The lines of a batch: `probabilities` has one row per paper, columns in `classes` order;
    /// `labels` are class indices, one per paper.
    public func lines(papers: [Paper], probabilities: DenseMatrix, labels: [Int],
                      explanations: [[TermContribution]]? = nil) -> [UInt8] {
        let pieces = lineChunks(papers: papers, probabilities: probabilities, labels: labels, explanations: explanations)
        var out: [UInt8] = []
        out.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
        for piece in pieces { out.append(contentsOf: piece) }
        return out
    }

    /// The same lines as consecutive pieces, each a run of whole lines, for a caller that writes them
    /// one after another without joining them first.
    public func lineChunks(papers: [Paper], probabilities: DenseMatrix, labels: [Int],
                           explanations: [[TermContribution]]? = nil) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        lineChunks(papers: papers, probabilities: probabilities, labels: labels, explanations: explanations, into: &pieces)
        return pieces
    }

    /// The same into `pieces`, whose arrays are emptied and refilled, keeping their storage: a caller
    /// that renders batch after batch reuses the same memory instead of fresh pages each time.
    public func lineChunks(papers: [Paper], probabilities: DenseMatrix, labels: [Int],
                           explanations: [[TermContribution]]? = nil, into pieces: inout [[UInt8]]) {
        precondition(probabilities.rowCount == papers.count && probabilities.columnCount == classes.count)
        precondition(labels.count == papers.count)
        let k = classes.count
        let rowChunks = Parallel.chunks(of: papers.count, minimumSize: 64, maximumChunks: 4 * Parallel.coreCount)
        if pieces.count > rowChunks.count { pieces.removeLast(pieces.count - rowChunks.count) }
        while pieces.count < rowChunks.count { pieces.append([]) }
        pieces.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            Parallel.forEach(rowChunks.count) { chunk in
                // Each chunk touches only its own slot.
                slots[chunk].removeAll(keepingCapacity: true)
                slots[chunk].reserveCapacity(rowChunks[chunk].count * (96 + 28 * topK))
                var shown: [Int] = []
                withClassKeys { keys in
                    probabilities.values.withUnsafeBufferPointer { values in
                        for row in rowChunks[chunk] {
                            let scores = UnsafeBufferPointer(rebasing: values[row * k ..< (row + 1) * k])
                            appendLine(id: papers[row].id, title: withTitle ? papers[row].title : "",
                                       label: classes[labels[row]], probabilities: scores, explanation: explanations?[row],
                                       abstained: minConfidence.map { scores.max()! < $0 } ?? false,
                                       keys: keys, shown: &shown, to: &slots[chunk])
                        }
                    }
                }
            }
        }
    }

    /// The class keys as raw pointers for one run of lines.
    private func withClassKeys<Result>(_ body: (ClassKeys) -> Result) -> Result {
        classKeyBytes.withUnsafeBufferPointer { bytes in
            classKeyStarts.withUnsafeBufferPointer { starts in body(ClassKeys(bytes: bytes, starts: starts)) }
        }
    }

    /// `classKeyBytes` and `classKeyStarts` borrowed for the length of `withClassKeys`.
    private struct ClassKeys {
        let bytes: UnsafeBufferPointer<UInt8>
        let starts: UnsafeBufferPointer<Int>

        /// Class `c`'s key, without its leading ", " when it opens the object.
        func key(_ c: Int, first: Bool) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[starts[c] + (first ? 2 : 0) ..< starts[c + 1]])
        }
    }

    /// Appends one paper's line, "\n" included.
    public func append(_ paper: ClassifiedPaper, to bytes: inout [UInt8]) {
        var shown: [Int] = []
        withClassKeys { keys in
            paper.probabilities.withUnsafeBufferPointer { scores in
                appendLine(id: paper.id, title: paper.title, label: paper.label, probabilities: scores,
                           explanation: paper.explanation, abstained: paper.abstained, keys: keys, shown: &shown, to: &bytes)
            }
        }
    }

    /// `append(_:to:)` on the fields themselves, with `shown` as scratch space (a batch reuses it, and
    /// makes no `ClassifiedPaper` per line).
    private func appendLine(id: String, title: String, label: String, probabilities: UnsafeBufferPointer<Double>,
                            explanation: [TermContribution]?, abstained: Bool, keys: ClassKeys,
                            shown: inout [Int], to bytes: inout [UInt8]) {
        bytes.append(contentsOf: "{\"id\": ".utf8)
        JSONText.appendString(id, to: &bytes)
        if withTitle {
            bytes.append(contentsOf: ", \"title\": ".utf8)
            JSONText.appendString(title, to: &bytes)
        }
        bytes.append(contentsOf: ", \"label\": ".utf8)
        JSONText.appendString(label, to: &bytes)
        bytes.append(contentsOf: ", \"probabilities\": {".utf8)
        shownClasses(probabilities, into: &shown)
        for (index, c) in shown.enumerated() {
            bytes.append(contentsOf: keys.key(c, first: index == 0))
            JSONText.appendNumber(probabilities[c], to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        if abstained { bytes.append(contentsOf: ", \"abstained\": true".utf8) }
        if let explanation {
            bytes.append(contentsOf: ", \"explanation\": [".utf8)
            for (index, term) in explanation.enumerated() {
                if index > 0 { bytes.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
                bytes.append(contentsOf: "{\"term\": ".utf8)
                JSONText.appendString(term.term, to: &bytes)
                bytes.append(contentsOf: ", \"weight\": ".utf8)
                JSONText.appendNumber(term.weight, to: &bytes)
                bytes.append(UInt8(ascii: "}"))
            }
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(contentsOf: [UInt8(ascii: "}"), UInt8(ascii: "\n")])
    }

    /// The classes a line lists: all in class order (``listsInClassOrder``), or the `topK` most probable, most probable first.
    func shownClasses(_ scores: ArraySlice<Double>) -> [Int] {
        var top: [Int] = []
        scores.withUnsafeBufferPointer { shownClasses($0, into: &top) }
        return top
    }

    /// The same, into `top` (emptied first; its storage is reused, so a batch allocates nothing per line).
    private func shownClasses(_ scores: UnsafeBufferPointer<Double>, into top: inout [Int]) {
        top.removeAll(keepingCapacity: true)
        if listsInClassOrder {
            top.append(contentsOf: 0..<classes.count)
            return
        }
        top.append(contentsOf: repeatElement(0, count: topK))
        let topK = topK
        // An insertion sort that keeps the best `topK` (the row is short: tens of classes), finding each
        // place by bisection and moving the tail in one `memmove`: all 70 of a wide model's classes
        // took ~1,200 single moves per line one by one.
        top.withUnsafeMutableBufferPointer { top in
            let base = top.baseAddress!
            var count = 0
            for c in 0..<scores.count {
                let value = scores[c]
                // Full: c enters only above the last kept class, which then drops out.
                if count == topK, !(scores[base[count - 1]] < value) { continue }
                // After every class at least as probable, so equal ones stay in class order (the kept
                // list is non-increasing, so "less than value" holds on a suffix of it).
                var low = 0, high = count
                while low < high {
                    let middle = (low + high) / 2
                    if scores[base[middle]] < value { high = middle } else { low = middle + 1 }
                }
                let moved = Swift.min(count, topK - 1) - low
                if moved > 0 { (base + low + 1).moveInitialize(from: base + low, count: moved) }
                base[low] = c
                count = Swift.min(count + 1, topK)
            }
        }
    }
}
