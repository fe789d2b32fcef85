/// The one-pass limit of the vectoriser, for the benchmarks: what fitting costs at the very least.
extension TfidfVectorizer {
    /// Tokenises every document and counts its terms in per-chunk hash tables on all cores, exactly
    /// as `fitTransform` does first, and does nothing else: no vocabulary merge, no pruning, no sort,
    /// no matrix. `fitTransform` and `transform` cannot be faster than this scan of the same text.
    /// Returns the number of (chunk, term) pairs counted, so the work cannot be optimised away.
    public func scanTermCounts(_ documents: [String]) -> Int {
        let tokenizer = Tokenizer(lowercase: options.lowercase)
        let ngramRange = options.ngramRange
        let ranges = Parallel.chunks(of: documents.count, minimumSize: 64, maximumChunks: 2 * Parallel.coreCount)
        return Parallel.map(ranges.count) {
            ChunkCounts(documents: documents[ranges[$0]], tokenizer: tokenizer, ngramRange: ngramRange).table.count
        }.reduce(0, +)
    }
}
