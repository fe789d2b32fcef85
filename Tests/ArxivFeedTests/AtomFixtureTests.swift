import ArxivFeed
import Foundation
import Testing
import TestSupport

/// Every recorded arXiv response in `shared/fixtures/atom/`, and specific values from a few of them.
@Suite("Atom fixtures")
struct AtomFixtureTests {
    static func fixture(_ name: String) throws -> AtomFeed {
        try AtomFeed.parse(SharedData.data("fixtures/atom/" + name), source: name)
    }

    /// The number of `<entry>` start tags, counted on the raw bytes independently of libxml2.
    static func entryTagCount(_ data: Data) -> Int {
        String(decoding: data, as: UTF8.self).components(separatedBy: "<entry>").count - 1
    }

    @Test("every fixture parses (or is the error feed) with one paper per <entry>",
          arguments: try SharedData.atomFixtureNames())
    func everyFixture(name: String) throws {
        let data = try SharedData.data("fixtures/atom/" + name)
        do {
            let feed = try AtomFeed.parse(data, source: name)
            #expect(feed.papers.count == Self.entryTagCount(data))
            #expect(feed.totalResults != nil && feed.startIndex != nil && feed.itemsPerPage != nil)
            for paper in feed.papers {
                #expect(!paper.id.isEmpty && !paper.title.isEmpty && !paper.abstract.isEmpty)
                let url = try #require(paper.url)
                #expect(url.hasPrefix("http://arxiv.org/abs/" + paper.id + "v"))
                #expect(paper.categories?.first == paper.primaryCategory)
                #expect(paper.published.count == 20 && paper.published.hasSuffix("Z"))
                #expect(paper.pdfURL?.contains(paper.id) == true)
                #expect(paper.authors?.isEmpty == false)
                if let affiliations = paper.affiliations { #expect(affiliations.count == paper.authors?.count) }
            }
        } catch AtomFeedError.arxivError(let message) {
            #expect(name.hasPrefix("error-"), "unexpected arXiv error \(message)")
            #expect(Self.entryTagCount(data) == 1)
        }
    }

    @Test("a feed saved with a UTF-8 byte order mark reads as the same feed without it",
          arguments: ["search-testing-start0-max10.xml", "id-1605.08386-multi-category.xml", "empty-result-id-0000.0000.xml"])
    func byteOrderMark(name: String) throws {
        let data = try SharedData.data("fixtures/atom/" + name)
        let marked = try AtomFeed.parse(Data([0xEF, 0xBB, 0xBF]) + data, source: name)
        #expect(marked.papers == (try Self.fixture(name)).papers)
        #expect(marked.totalResults == (try Self.fixture(name)).totalResults)
        // Only at the start: a second mark is text before the prolog, which XML refuses.
        #expect(throws: (any Error).self) { try AtomFeed.parse(Data([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF]) + data, source: name) }
    }

    @Test("opensearch numbers", arguments: [
        ("empty-result-id-0000.0000.xml", 0, 0, 100),
        ("search-testing-100-entries.xml", 214_881, 0, 100),
        ("search-testing-start0-max10.xml", 214_881, 0, 10),
        ("search-testing-start10-max10.xml", 214_881, 10, 10),
        ("legacy-2016-search-au-del_maestro.xml", 31, 0, 10),
    ])
    func openSearch(name: String, total: Int, start: Int, perPage: Int) throws {
        let feed = try Self.fixture(name)
        #expect(feed.totalResults == total)
        #expect(feed.startIndex == start)
        #expect(feed.itemsPerPage == perPage)
    }

    @Test("empty results have no papers", arguments: ["empty-result-id-0000.0000.xml", "empty-result-id-0808.05394.xml"])
    func emptyResult(name: String) throws {
        let feed = try Self.fixture(name)
        #expect(feed.papers.isEmpty)
        #expect(feed.totalResults == 0)
    }

    @Test("the error feed becomes arxivError with arXiv's message")
    func errorFeed() throws {
        #expect(throws: AtomFeedError.arxivError(message: "incorrect id format for abc")) {
            try Self.fixture("error-400-bad-id-abc.xml")
        }
        #expect(AtomFeedError.arxivError(message: "x").description == "arXiv API error: x")
    }

    @Test("multi-category entry: all fields")
    func multiCategory() throws {
        let paper = try #require(try Self.fixture("id-1605.08386-multi-category.xml").papers.first)
        #expect(paper.id == "1605.08386")
        #expect(paper.url == "http://arxiv.org/abs/1605.08386v1")
        #expect(paper.absURL == "https://arxiv.org/abs/1605.08386v1")
        #expect(paper.pdfURL == "https://arxiv.org/pdf/1605.08386v1")
        #expect(paper.title == "Heat-bath random walks with Markov bases")
        #expect(paper.abstract.hasPrefix("Graphs on lattice points are studied whose edges come from a finite set"))
        #expect(!paper.abstract.contains("\n"))
        #expect(paper.authors == ["Caprice Stanley", "Tobias Windisch"])
        #expect(paper.affiliations == nil)
        #expect(paper.published == "2016-05-26T17:59:46Z")
        #expect(paper.updated == "2016-05-26T17:59:46Z")
        #expect(paper.primaryCategory == "math.CO")
        #expect(paper.categories == ["math.CO", "math.ST"])
        #expect(paper.comment == "20 pages, 3 figures")
        #expect(paper.journalRef == nil && paper.doi == nil && paper.doiURL == nil)
    }

    @Test("old-style ids lose their version but keep the archive")
    func oldStyleIDs() throws {
        let quant = try #require(try Self.fixture("id-quant-ph-0201082v1-old-style-versioned.xml").papers.first)
        #expect(quant.id == "quant-ph/0201082")
        #expect(quant.url == "http://arxiv.org/abs/quant-ph/0201082v1")
        #expect(quant.categories == ["quant-ph", "cs.PL"])
        #expect(quant.comment == "32 pages")

        let astro = try #require(try Self.fixture("id-astro-ph-0601001-journal-ref.xml").papers.first)
        #expect(astro.id == "astro-ph/0601001")
        #expect(astro.journalRef == "ActaAstron.56:1-50,2006")
        #expect(astro.authors == ["Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"])
        #expect(astro.affiliations == [["Ohio State"], ["Ohio State"], ["CfA"], ["Warsaw University Observatory"]])
        #expect(astro.comment?.hasSuffix("ogle_hot_jupiters.ps.gz") == true)
    }

    @Test("a paper titled \"0\" keeps its title")
    func titleZero() throws {
        let paper = try #require(try Self.fixture("id-2104.12255v1-title-zero.xml").papers.first)
        #expect(paper.title == "0")
        #expect(paper.id == "2104.12255")
        #expect(paper.categories == ["cs.CR"])
    }

    @Test("2016 feed: journal_ref, doi and doi link, locally declared prefixes; abstract newlines become spaces")
    func legacyFeed() throws {
        let feed = try Self.fixture("legacy-2016-search-au-del_maestro.xml")
        let paper = try #require(feed.papers.first)
        #expect(paper.id == "1201.4869")
        #expect(paper.doi == "10.1142/S021797921244002X")
        #expect(paper.doiURL == "http://dx.doi.org/10.1142/S021797921244002X")
        #expect(paper.journalRef == "Int. J. Mod. Phys. B, 26, 1244002 (2012)")
        #expect(paper.comment == "26 pages, 10 figures")
        #expect(paper.categories == ["cond-mat.mes-hall", "cond-mat.other"])
        #expect(paper.abstract.hasPrefix("As helium-4 is cooled below 2.17 K it undergoes a phase transition to a fundamentally new"))
        #expect(paper.abstract.hasSuffix("intriguing low dimensional state of matter."))
        #expect(feed.papers.allSatisfy { $0.doi != nil && $0.journalRef != nil })
    }

    @Test("pages: the second page starts where the first ends and both are in the 100-entry page")
    func pagination() throws {
        let first = try Self.fixture("search-testing-start0-max10.xml").papers.map(\.id)
        let second = try Self.fixture("search-testing-start10-max10.xml").papers.map(\.id)
        let hundred = try Self.fixture("search-testing-100-entries.xml").papers
        #expect(Set(first).isDisjoint(with: second))
        #expect(Array(hundred.prefix(10).map(\.id)) == first)
        #expect(hundred.filter { ($0.categories?.count ?? 0) > 1 }.count == 46)
        let gaudel = try #require(hundred.first { $0.authors?.contains("Marie-Claude Gaudel") == true })
        let index = try #require(gaudel.authors?.firstIndex(of: "Marie-Claude Gaudel"))
        #expect(gaudel.affiliations?[index] == ["LRI"])
    }
}
