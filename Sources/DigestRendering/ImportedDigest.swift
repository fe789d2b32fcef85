import ArxivFeed

/// A digest read back from its Markdown: the run stamp and the papers, each labelled with its section.
public struct ImportedDigest: Equatable, Sendable {
    /// The "Last Run" stamp as printed, e.g. `2026-02-03 08:36`.
    public var runTime: String
    /// Papers in page order; `label` is the section's topic label.
    public var papers: [Paper]

    public init(runTime: String, papers: [Paper]) {
        self.runTime = runTime
        self.papers = papers
    }
}
