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
        guard feedURL.unicodeScalars.allSatisfy(Self.mayAppearInAddress), Self.isWellFormed(feedURL),
              let url = URL(string: feedURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
              url.host?.isEmpty == false, (url.port ?? 1) <= 65_535
        else {
            throw ValidationError("--feed-url must be an absolute http(s) URL without spaces or any of \"<>\\^`{|}, e.g. https://example.org/digest/feed.xml; got \"\(feedURL)\".")
        }
    }

    /// True for a character an address (an IRI, RFC 3987) may hold as it is: no space, control or
    /// white space, no format character (the bidi controls and marks RFC 3987 forbids, zero-width
    /// characters), and none of the ASCII characters RFC 3986 leaves out (double quote, angle brackets,
    /// backslash, caret, backtick, braces, bar), which would have to be percent-encoded.
    private static func mayAppearInAddress(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value > 0x20 && scalar.value != 0x7F && !(0x80...0x9F).contains(scalar.value)
            && !scalar.properties.isWhitespace && scalar.properties.generalCategory != .format
            && !"\"<>\\^`{|}".unicodeScalars.contains(scalar)
    }

    /// The structure checks `URL(string:)` leaves out: every `%` starts an escape of two hexadecimal digits,
    /// there is at most one `#`, and square brackets appear only around the host (an IPv6 address).
    private static func isWellFormed(_ address: String) -> Bool {
        let scalars = Array(address.unicodeScalars)
        for (i, scalar) in scalars.enumerated() where scalar == "%" {
            guard i + 2 < scalars.count, scalars[(i + 1)...(i + 2)].allSatisfy(\.properties.isASCIIHexDigit) else { return false }
        }
        guard scalars.filter({ $0 == "#" }).count <= 1 else { return false }
        // After "scheme://host[:port]" no bracket may follow.
        guard let start = address.range(of: "://")?.upperBound else { return false }
        let rest = address[start...]
        let authorityEnd = rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex
        return !rest[authorityEnd...].contains { $0 == "[" || $0 == "]" }
    }

    /// Throws when `--feed-url` is given but none of `formats` is an Atom page, which is the only page it
    /// names: a silently ignored option would leave the user believing the feed address was set.
    func checkFeedURLIsUsed(by formats: [Format]) throws {
        guard feedURL != nil, !formats.contains(.atom) else { return }
        throw ValidationError("--feed-url is the address of an Atom feed, but this run writes no Atom page (\(formats.map(\.rawValue).joined(separator: ", "))); add --format atom or leave --feed-url out.")
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
                selfURL: feedURL ?? outputName.map(DigestAtomRenderer.FeedAddress.relativeReference) ?? "feed.xml", layout: layout)
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
