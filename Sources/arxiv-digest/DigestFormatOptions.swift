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

    @Option(help: ArgumentHelp("The address where the Atom feed is published, an absolute http(s) URL (its self link and id; default: the output file name and a tag: id).", valueName: "url"))
    var feedURL: String?

    func validate() throws {
        // The feed's id and self link: an empty, relative or non-web address (javascript:, a typo with
        // a space) would give feed readers a feed they cannot follow or tell apart.
        guard let feedURL else { return }
        guard feedURL.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && !$0.properties.isWhitespace }),
              let url = URL(string: feedURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
              url.host?.isEmpty == false
        else {
            throw ValidationError("--feed-url must be an absolute http(s) URL without spaces, e.g. https://example.org/digest/feed.xml; got \"\(feedURL)\".")
        }
    }

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
