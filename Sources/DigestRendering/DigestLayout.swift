/// What a digest page says and in which order: its title, introduction, sections and fallback section.
/// The Markdown, HTML and Atom renderers all take one, so a profile can describe any field's digest.
public struct DigestLayout: Sendable, Equatable {
    /// One section: the topic label it collects and the heading it prints.
    public struct Section: Sendable, Equatable {
        public let label: String
        public let heading: String

        public init(label: String, heading: String) {
            self.label = label
            self.heading = heading
        }
    }

    /// The page title, without Markdown's "# ".
    public var title: String
    /// The line under the run time.
    public var intro: String
    /// The sections in page order.
    public var sections: [Section]
    /// The label of the section that takes what no other topic claims.
    public var fallback: String

    public init(title: String, intro: String, sections: [Section], fallback: String) {
        self.title = title
        self.intro = intro
        self.sections = sections
        self.fallback = fallback
    }
}
