/// The term counts of one contiguous chunk of training documents, with chunk-local term ids.
/// Chunks are counted in parallel and merged in chunk order.
struct ChunkCounts: Sendable {
    var table = TermTable()
    /// Per local term: the number of the chunk's documents containing it.
    var documentFrequency: [Int] = []
    /// Per local term: its total count over the chunk.
    var termFrequency: [Int] = []
    /// Per document of the chunk (`documentCount + 1` offsets): its distinct terms (in order of
    /// first occurrence) and their counts.
    var entryOffsets: [Int] = [0]
    var entryTerms: [Int32] = []
    var entryCounts: [Int32] = []

    var documentCount: Int { entryOffsets.count - 1 }

    init(documents: ArraySlice<String>, tokenizer: Tokenizer, ngramRange: ClosedRange<Int>) {
        var tokens = TokenBuffer()
        // Room for one entry per 8 bytes of text per n-gram length (arXiv abstracts have one per ~11
        // bytes of unigrams), so the arrays rarely grow; untouched capacity costs no memory.
        let estimate = documents.reduce(0) { $0 + $1.utf8.count } / 8 * ngramRange.count
        entryOffsets.reserveCapacity(documents.count + 1)
        entryTerms.reserveCapacity(estimate)
        entryCounts.reserveCapacity(estimate)
        // Per local term: 1 + the index of the last document that contained it, and where that
        // document's entry for it is, so repeated terms are counted without sorting.
        var lastDocument: [Int32] = []
        var entryIndex: [Int32] = []
        for (d, document) in documents.enumerated() {
            let stamp = Int32(d + 1)
            tokenizer.scan(document, into: &tokens)
            tokens.forEachTerm(ngramRange: ngramRange) { term in
                let id = Int(table.findOrInsert(term, hash: termHash(term)))
                if id == lastDocument.count {
                    lastDocument.append(0)
                    entryIndex.append(0)
                    documentFrequency.append(0)
                    termFrequency.append(0)
                }
                termFrequency[id] += 1
                if lastDocument[id] != stamp {
                    lastDocument[id] = stamp
                    documentFrequency[id] += 1
                    entryIndex[id] = Int32(entryTerms.count)
                    entryTerms.append(Int32(id))
                    entryCounts.append(1)
                } else {
                    entryCounts[Int(entryIndex[id])] += 1
                }
            }
            entryOffsets.append(entryTerms.count)
        }
    }
}
