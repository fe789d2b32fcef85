/// The term counts of one contiguous chunk of training documents, with chunk-local term ids.
/// Chunks are counted in parallel and merged in chunk order.
struct ChunkCounts: Sendable {
    var table = TermTable()
    /// Per local term: the number of the chunk's documents containing it.
    var documentFrequency: [Int] = []
    /// Per local term: its total count over the chunk.
    var termFrequency: [Int] = []
    /// Per document of the chunk (`documentCount + 1` offsets): its distinct terms and counts.
    var entryOffsets: [Int] = [0]
    var entryTerms: [Int32] = []
    var entryCounts: [Int32] = []

    init(documents: ArraySlice<String>, tokenizer: Tokenizer, ngramRange: ClosedRange<Int>) {
        var tokens = TokenBuffer()
        var ids: [Int32] = []
        for document in documents {
            tokenizer.scan(document, into: &tokens)
            ids.removeAll(keepingCapacity: true)
            tokens.forEachTerm(ngramRange: ngramRange) { term in
                ids.append(table.findOrInsert(term, hash: termHash(term)))
            }
            if table.count > documentFrequency.count {
                documentFrequency.append(contentsOf: repeatElement(0, count: table.count - documentFrequency.count))
                termFrequency.append(contentsOf: repeatElement(0, count: table.count - termFrequency.count))
            }
            sortAscending(&ids)
            forEachRun(ids) { id, count in
                entryTerms.append(id)
                entryCounts.append(Int32(count))
                documentFrequency[Int(id)] += 1
                termFrequency[Int(id)] += count
            }
            entryOffsets.append(entryTerms.count)
        }
    }
}

/// Calls `body(value, runLength)` for each run of equal values of sorted `values`.
@inline(__always)
func forEachRun(_ values: [Int32], _ body: (Int32, Int) -> Void) {
    var i = 0
    while i < values.count {
        let value = values[i]
        var j = i + 1
        while j < values.count && values[j] == value { j += 1 }
        body(value, j - i)
        i = j
    }
}
