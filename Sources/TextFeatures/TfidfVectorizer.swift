import Foundation
import LinearAlgebra

/// scikit-learn's `TfidfVectorizer` with its default word analyzer, reproduced exactly (same
/// vocabulary and columns, idf, and matrix up to floating-point rounding).
///
/// ```swift
/// let (vectorizer, matrix) = try TfidfVectorizer(options: .init(ngramRange: 1...2)).fitTransform(texts)
/// let rows = vectorizer.transform(newTexts)
/// ```
/// Work is spread over all cores; results do not depend on the number of threads.
public struct TfidfVectorizer: Sendable {
    public var options: TfidfOptions

    public init(options: TfidfOptions = TfidfOptions()) {
        self.options = options
    }

    /// Learns the vocabulary and idf weights of `documents`.
    public func fit(_ documents: [String]) throws(TfidfError) -> FittedTfidfVectorizer {
        try fitCounting(documents).vectorizer
    }

    /// Fits on `documents` and returns their TF-IDF matrix, the same as `fit` then `transform`
    /// but tokenizing each document once.
    public func fitTransform(_ documents: [String]) throws(TfidfError) -> (vectorizer: FittedTfidfVectorizer, matrix: SparseMatrix) {
        let (vectorizer, chunks, mapping) = try fitCounting(documents)
        let weighting = vectorizer.weighting
        // Jobs of a few thousand rows each, in document order, so the cores stay evenly busy.
        let jobs = chunks.indices.flatMap { c in
            Parallel.chunks(of: chunks[c].documentCount, minimumSize: 1024, maximumChunks: 16).map { (chunk: c, rows: $0) }
        }
        // Each row's length after pruning first, so the rows can then be written straight into place.
        let lengths = Parallel.map(jobs.count) { j -> [Int] in
            let chunk = chunks[jobs[j].chunk], toColumn = mapping[jobs[j].chunk]
            return jobs[j].rows.map { d in
                var kept = 0
                for e in chunk.entryOffsets[d]..<chunk.entryOffsets[d + 1] where toColumn[Int(chunk.entryTerms[e])] >= 0 { kept += 1 }
                return kept
            }
        }
        var rowOffsets = [0], jobFirstRow: [Int] = []
        rowOffsets.reserveCapacity(documents.count + 1)
        for jobLengths in lengths {
            jobFirstRow.append(rowOffsets.count - 1)
            for length in jobLengths { rowOffsets.append(rowOffsets.last! + length) }
        }
        let matrix = ParallelCSR.matrix(
            columnCount: vectorizer.vocabulary.count, rowOffsets: rowOffsets, jobCount: jobs.count
        ) { j, columns, values in
            let chunk = chunks[jobs[j].chunk], toColumn = mapping[jobs[j].chunk]
            var row = jobFirstRow[j]
            var entries: [UInt64] = []
            var sorter = ColumnSorter()
            for d in jobs[j].rows {
                entries.removeAll(keepingCapacity: true)
                for e in chunk.entryOffsets[d]..<chunk.entryOffsets[d + 1] {
                    let column = toColumn[Int(chunk.entryTerms[e])]
                    guard column >= 0 else { continue }
                    entries.append(UInt64(column) << 32 | UInt64(chunk.entryCounts[e]))
                }
                sorter.sort(&entries)
                let at = rowOffsets[row]
                entries.withUnsafeBufferPointer {
                    weighting.writeRow(sortedPackedEntries: $0, columns: columns + at, values: values + at)
                }
                row += 1
            }
        }
        return (vectorizer, matrix)
    }

    /// Counts in parallel, merges, prunes and sorts the vocabulary. Also returns the chunk counts and,
    /// per chunk, each local term's column (-1 if pruned), for `fitTransform`.
    private func fitCounting(_ documents: [String]) throws(TfidfError) -> (vectorizer: FittedTfidfVectorizer, chunks: [ChunkCounts], mapping: [[Int32]]) {
        try options.validate()
        guard !documents.isEmpty else { throw .emptyDocumentList }
        let tokenizer = Tokenizer(lowercase: options.lowercase, stopWords: options.stopWords)
        let ngramRange = options.ngramRange
        let ranges = Parallel.chunks(of: documents.count, minimumSize: 64, maximumChunks: 2 * Parallel.coreCount)
        let chunks = Parallel.map(ranges.count) {
            ChunkCounts(documents: documents[ranges[$0]], tokenizer: tokenizer, ngramRange: ngramRange)
        }

        // Merge in chunk order into one table of every term.
        var all = TermTable(minimumCapacity: chunks.map(\.table.count).max() ?? 0)
        var documentFrequency: [Int] = [], termFrequency: [Int] = []
        let localToAll = chunks.map { chunk -> [Int32] in
            var map = [Int32](repeating: 0, count: chunk.table.count)
            for t in 0..<chunk.table.count {
                let id = chunk.table.withTerm(t) { all.findOrInsert($0, hash: chunk.table.hashes[t]) }
                if Int(id) == documentFrequency.count { documentFrequency.append(0); termFrequency.append(0) }
                documentFrequency[Int(id)] += chunk.documentFrequency[t]
                termFrequency[Int(id)] += chunk.termFrequency[t]
                map[t] = id
            }
            return map
        }
        guard all.count > 0 else { throw .emptyVocabulary(documentCount: documents.count) }

        let n = documents.count
        let highest = options.maxDF.documents(outOf: n), lowest = options.minDF.documents(outOf: n)
        if highest < lowest { throw .minDFExceedsMaxDF(minDF: options.minDF, maxDF: options.maxDF, documentCount: n) }
        var kept = (0..<all.count).filter {
            let df = Double(documentFrequency[$0])
            return df >= lowest && df <= highest
        }
        guard !kept.isEmpty else { throw .noTermsRemain(minDF: options.minDF, maxDF: options.maxDF, documentCount: n) }
        sortByTerm(&kept, in: all)
        if let limit = options.maxFeatures, kept.count > limit {
            // Highest corpus frequency first; ties keep term order (sort is stable).
            let ranked = (0..<kept.count).sorted { termFrequency[kept[$0]] > termFrequency[kept[$1]] }
            kept = ranked.prefix(limit).sorted().map { kept[$0] }
        }

        var allToColumn = [Int32](repeating: -1, count: all.count)
        var vocabularyTable = TermTable(minimumCapacity: kept.count)
        for (column, id) in kept.enumerated() {
            allToColumn[id] = Int32(column)
            _ = all.withTerm(id) { vocabularyTable.findOrInsert($0, hash: all.hashes[id]) }
        }
        var idf: [Double]? = nil
        if options.useIDF {
            let smoothing = options.smoothIDF ? 1.0 : 0.0
            idf = kept.map { log((Double(n) + smoothing) / (Double(documentFrequency[$0]) + smoothing)) + 1 }
        }
        let vectorizer = FittedTfidfVectorizer(
            options: options, vocabulary: Vocabulary(table: vocabularyTable), idf: idf)
        let mapping = localToAll.map { $0.map { allToColumn[Int($0)] } }
        return (vectorizer, chunks, mapping)
    }
}
