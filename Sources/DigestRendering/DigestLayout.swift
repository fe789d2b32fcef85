/// What a digest page says beyond its papers: the title, the intro line, and the sections (label and
/// heading) in page order. It comes from a digest profile; the renderer and the importer read it,
/// so a page renders and imports back the same way for any field.
public struct DigestLayout: Sendable, Equatable {
    /// One section: the topic label it collects and the heading it prints (after `## `).
    public struct Section: Sendable, Equatable {
        /// The topic label, as classifiers and the JSON Lines `label` field spell it.
        public var label: String
        /// The exact heading text, e.g. `👁\u{FE0F} Applications & Sensing`.
        public var heading: String

        public init(label: String, heading: String) {
            self.label = label
            self.heading = heading
        }
    }

    /// The page title, without Markdown's `# `.
    public var title: String
    /// The line under the "Last Run" stamp.
    public var intro: String
    /// The sections in page order; labels and headings are unique.
    public var sections: [Section]
    /// The label of the section for papers nothing else places.
    public var fallback: String

    public init(title: String, intro: String, sections: [Section], fallback: String) {
        self.title = title
        self.intro = intro
        self.sections = sections
        self.fallback = fallback
    }

    /// The section labels in page order.
    public var labels: [String] { sections.map(\.label) }

    /// The section whose label is `label`, or nil.
    public func section(label: String) -> Section? { sections.first { $0.label == label } }

    /// The section whose heading is exactly `heading` (code point for code point), or nil.
    public func section(heading: String) -> Section? {
        sections.first { $0.heading.unicodeScalars.elementsEqual(heading.unicodeScalars) }
    }
}
