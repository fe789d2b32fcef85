import ArgumentParser
import ArxivFeed
import DigestProfile
import DigestRendering
import Foundation

/// `--format` and `--feed-url`: which page `digest` writes, and where its Atom feed will live.
struct DigestFormatOptions: ParsableArguments {
    /// The three pages a digest can be delivered as.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, html, atom
    }

    @Option(help: "The page to write: markdown (the README digest, the default), html (one self-contained page) or atom (a feed). Without --format and --output, a profile's [outputs] table names the files to write.")
    var format: Format?

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

    /// The pages a profile's `[outputs]` table asks for, in a fixed order (Markdown, HTML, Atom).
    static func requested(by outputs: DigestProfile.Outputs) -> [(Format, URL)] {
        [(.markdown, outputs.markdown), (.html, outputs.html), (.atom, outputs.atom)].compactMap { format, url in
            url.map { (format, $0) }
        }
    }
}
