import ArgumentParser
import ArxivFeed
import DigestRendering

/// `--format` and `--feed-url`: which page `digest` writes, and where its Atom feed will live.
struct DigestFormatOptions: ParsableArguments {
    /// The three pages a digest can be delivered as.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, html, atom
    }

    @Option(help: "The page to write: markdown (the README digest), html (one self-contained page) or atom (a feed).")
    var format: Format = .markdown

    @Option(help: ArgumentHelp("The address where the Atom feed is published (its self link and id; default: the output file name and a tag: id).", valueName: "url"))
    var feedURL: String?

    /// The page for `format`, from one set of labelled papers.
    /// - Parameter outputName: the file name the page goes to, the Atom self link when `--feed-url` is absent.
    func render(_ format: Format, papers: [Paper], labels: [String], layout: DigestLayout, runTime: String,
                outputName: String?) throws -> String {
        switch format {
        case .markdown:
            return try DigestRenderer.render(papers: papers, labels: labels, runTime: runTime, layout: layout)
        case .html:
            return try DigestHTMLRenderer.render(papers: papers, labels: labels, layout: layout, runTime: runTime)
        case .atom:
            let address = DigestAtomRenderer.FeedAddress.defaultAddress(
                selfURL: feedURL ?? outputName ?? "feed.xml", layout: layout)
            return try DigestAtomRenderer.render(papers: papers, labels: labels, layout: layout, runTime: runTime,
                                                 address: address)
        }
    }
}
