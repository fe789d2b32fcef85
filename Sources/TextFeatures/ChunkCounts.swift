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
        var terms: [TermRecord] = []
        // One document at a time: its term ids in order, then its distinct terms and their counts.
        var ids: [Int32] = []
        var entries: [(term: Int32, count: Int32)] = []
        for (d, document) in documents.enumerated() {
            tokenizer.scan(document, into: &tokens)
            ids.removeAll(keepingCapacity: true)
            tokens.forEachTerm(ngramRange: ngramRange) { term in
                ids.append(table.findOrInsert(term, hash: termHash(term)))
            }
            // New terms took the next ids.
            terms.append(contentsOf: repeatElement(TermRecord(), count: table.count - terms.count))
            if entries.count < ids.count {
                entries = Array(repeating: (0, 0), count: max(ids.count, 2 * entries.count))
            }
            // On raw pointers: an array subscript in a loop over captured arrays re-checks
            // uniqueness on every write.
            let stamp = Int32(d + 1)
            var distinct = 0
            ids.withUnsafeBufferPointer { ids in
                terms.withUnsafeMutableBufferPointer { terms in
                    entries.withUnsafeMutableBufferPointer { entries in
                        for id in ids {
                            let t = Int(id)
                            terms[t].termFrequency += 1
                            if terms[t].lastDocument != stamp {
                                terms[t].lastDocument = stamp
                                terms[t].documentFrequency += 1
                                terms[t].entryIndex = Int32(distinct)
                                entries[distinct] = (id, 1)
                                distinct += 1
                            } else {
                                entries[Int(terms[t].entryIndex)].count += 1
                            }
                        }
                    }
                }
            }
            entryTerms.append(contentsOf: entries[..<distinct].lazy.map(\.term))
            entryCounts.append(contentsOf: entries[..<distinct].lazy.map(\.count))
            entryOffsets.append(entryTerms.count)
        }
        documentFrequency = terms.map { Int($0.documentFrequency) }
        termFrequency = terms.map(\.termFrequency)
    }
}

/// What counting keeps per chunk-local term.
private struct TermRecord {
    /// 1 + the index of the last document that contained the term (0: none yet), and where that
    /// document's entry for it is, so repeated terms are counted without sorting.
    var lastDocument: Int32 = 0
    var entryIndex: Int32 = 0
    var documentFrequency: Int32 = 0
    var termFrequency = 0
}
