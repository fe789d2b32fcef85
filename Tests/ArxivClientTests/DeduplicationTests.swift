import ArxivClient
import ArxivFeed
import Testing

@Suite("Deduplication by base id")
struct DeduplicationTests {
    private func paper(_ id: String, version: Int?) -> Paper {
        let url = version.map { "http://arxiv.org/abs/\(id)v\($0)" }
        return Paper(id: id, url: url, title: "\(id) v\(version ?? 0)", abstract: "", published: "2026-01-01")
    }

    @Test("keeps the newest version at the first position of its id")
    func newestVersionKept() {
        let papers = [
            paper("2202.12139", version: 1), paper("astro-ph/0601001", version: 2),
            paper("2202.12139", version: 3), paper("1605.08386", version: 1),
            paper("2202.12139", version: 2), paper("astro-ph/0601001", version: 1),
        ]
        #expect(papers.deduplicatedByBaseID() == [papers[2], papers[1], papers[3]])
    }

    @Test("a versioned id and its unversioned twin are one paper")
    func versionedIDs() {
        let versioned = Paper(id: "quant-ph/0201082v1", url: "http://arxiv.org/abs/quant-ph/0201082v1",
                              title: "a", abstract: "", published: "2002")
        let newer = Paper(id: "quant-ph/0201082", url: "http://arxiv.org/abs/quant-ph/0201082v4",
                          title: "b", abstract: "", published: "2002")
        let plain = paper("quant-ph/0201082", version: nil)
        #expect([versioned, plain, newer].deduplicatedByBaseID() == [newer])
        #expect([plain, versioned].deduplicatedByBaseID() == [versioned])
    }

    @Test("a version too large for an integer is still the newest; digits of other scripts are no version")
    func hugeAndForeignVersions() {
        let huge = Paper(id: "2202.12139", url: "http://arxiv.org/abs/2202.12139v99999999999999999999999", title: "huge", abstract: "", published: "2022")
        let two = paper("2202.12139", version: 2)
        #expect([two, huge].deduplicatedByBaseID() == [huge])
        #expect([huge, two].deduplicatedByBaseID() == [huge])
        // "v٣" (an Arabic-Indic three) is no version suffix: that id is another text, not 2202.12139.
        let arabic = Paper(id: "2202.12139v٣", url: nil, title: "arabic", abstract: "", published: "2022")
        #expect([two, arabic].deduplicatedByBaseID().count == 2)
    }
}
