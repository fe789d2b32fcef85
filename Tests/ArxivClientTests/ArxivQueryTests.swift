import ArxivClient
import Foundation
import Testing

@Suite("ArxivQuery URLs")
struct ArxivQueryTests {
    @Test("the digest query is percent-encoded: spaces, quotes, colons, OR")
    func digestQueryURL() {
        let search = #"all:neuromorphic OR all:"spiking neural network" OR all:memristor OR all:"in-memory computing" OR all:"event-based vision""#
        let url = ArxivQuery.newestSubmissions(matching: search, maxResults: 30).url()
        #expect(url.absoluteString == "https://export.arxiv.org/api/query?search_query="
            + "all%3Aneuromorphic%20OR%20all%3A%22spiking%20neural%20network%22%20OR%20all%3Amemristor"
            + "%20OR%20all%3A%22in-memory%20computing%22%20OR%20all%3A%22event-based%20vision%22"
            + "&sortBy=submittedDate&sortOrder=descending&start=0&max_results=30")
    }

    @Test("encoded values decode back to the original text")
    func roundTrip() throws {
        let query = ArxivQuery(searchQuery: #"ti:"a+b & c=d" ANDNOT au:Müller"#, start: 40, maxResults: 7)
        let items = try #require(URLComponents(url: query.url(), resolvingAgainstBaseURL: false)?.queryItems)
        #expect(items.map(\.name) == ["search_query", "start", "max_results"])
        #expect(items[0].value == query.searchQuery)
        #expect(query.url().absoluteString.contains("a%2Bb%20%26%20c%3Dd"))
    }

    @Test("id_list is comma-joined and encoded; sorts and empty search omitted when unset")
    func idList() {
        let query = ArxivQuery(idList: ["2202.12139v1", "astro-ph/0601001"], maxResults: 2)
        #expect(query.url().query == "id_list=2202.12139v1%2Castro-ph%2F0601001&start=0&max_results=2")
    }

    @Test("a configurable endpoint, including one that already has a query")
    func endpoint() throws {
        let local = try #require(URL(string: "http://127.0.0.1:8080/api/query"))
        let query = ArxivQuery(searchQuery: "all:memristor", sortBy: .lastUpdatedDate, sortOrder: .ascending)
        #expect(query.url(endpoint: local).absoluteString
            == "http://127.0.0.1:8080/api/query?search_query=all%3Amemristor&sortBy=lastUpdatedDate&sortOrder=ascending&start=0&max_results=10")
        let keyed = try #require(URL(string: "http://127.0.0.1/q?key=1"))
        #expect(query.url(endpoint: keyed).absoluteString.hasPrefix("http://127.0.0.1/q?key=1&search_query="))
    }
}
