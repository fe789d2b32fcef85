import AtomicFiles
import Foundation

/// One digest described as data: what to fetch, how to sort it into sections, and how the page reads.
///
/// A profile is a TOML file (the shipped one is `Models/open-neuromorphic.toml`):
///
/// ```toml
/// name = "quantum"
/// model = "quantum.model"            # relative to this file
/// fallback = "other"                 # the section for papers no rule or model places
///
/// [page]
/// title = "Quantum Computing - Daily ArXiv"
/// intro = "Papers are automatically categorized by topic and sorted by date."
///
/// [query]
/// search = 'all:qubit OR all:"quantum error correction"'
/// max_results = 30
///
/// [[sections]]                       # one per topic, in page order
/// label = "hardware"
/// heading = "Hardware & Qubits"
/// keywords = ["transmon", "ion trap"]   # optional keyword rules
/// ```
///
/// Optional keys: `min_confidence` (0...1), `library` (a path, default `library.sqlite` beside the
/// profile) and an `[outputs]` table with `markdown`, `html` and `atom` paths. Every path is
/// resolved against the profile's folder, so a profile and its files move together.
/// ``load(from:)`` checks everything before any work starts; see ``DigestProfileError``.
public struct DigestProfile: Sendable, Equatable {
    /// The page text around the sections.
    public struct Page: Sendable, Equatable {
        /// The page title, without Markdown's `# `.
        public var title: String
        /// The line under the "Last Run" stamp.
        public var intro: String

        public init(title: String, intro: String) {
            self.title = title
            self.intro = intro
        }
    }

    /// The arXiv search that feeds the digest.
    public struct Query: Sendable, Equatable {
        /// `search_query` in arXiv's syntax.
        public var search: String
        /// How many of the newest matching papers to fetch.
        public var maxResults: Int

        /// The range ``DigestProfile/load(from:)`` accepts for `max_results` (arXiv's API limit).
        public static let maxResultsRange = 1...30000
        /// `max_results` when the profile leaves it out.
        public static let defaultMaxResults = 30

        public init(search: String, maxResults: Int = Query.defaultMaxResults) {
            self.search = search
            self.maxResults = maxResults
        }
    }

    /// One topic of the digest: the label classifiers give it, the heading it prints under, and its
    /// keyword rules (empty when the profile has none for it).
    public struct Section: Sendable, Equatable {
        public var label: String
        public var heading: String
        /// Lower-case substrings; a paper's score for this section is how many occur in its text.
        public var keywords: [String]

        public init(label: String, heading: String, keywords: [String] = []) {
            self.label = label
            self.heading = heading
            self.keywords = keywords
        }
    }

    /// Where the rendered digest files go (each nil when the profile names none).
    public struct Outputs: Sendable, Equatable {
        public var markdown: URL?
        public var html: URL?
        public var atom: URL?

        public init(markdown: URL? = nil, html: URL? = nil, atom: URL? = nil) {
            self.markdown = markdown
            self.html = html
            self.atom = atom
        }
    }

    /// The profile file this was read from (absolute).
    public var file: URL
    public var name: String
    /// The trained model the digest uses.
    public var modelURL: URL
    public var page: Page
    public var query: Query
    /// The sections in page order; their labels are the classes a model for this profile must have.
    public var sections: [Section]
    /// The label of the section for papers nothing else places.
    public var fallback: String
    /// Papers whose top probability is below this are treated as unsure (nil: no threshold).
    public var minConfidence: Double?
    /// The digest's paper library (default `library.sqlite` beside the profile).
    public var libraryURL: URL
    public var outputs: Outputs

    public init(
        file: URL, name: String, modelURL: URL, page: Page, query: Query, sections: [Section], fallback: String,
        minConfidence: Double? = nil, libraryURL: URL? = nil, outputs: Outputs = Outputs()
    ) {
        self.file = file
        self.name = name
        self.modelURL = modelURL
        self.page = page
        self.query = query
        self.sections = sections
        self.fallback = fallback
        self.minConfidence = minConfidence
        self.libraryURL = libraryURL ?? file.deletingLastPathComponent().appendingPathComponent(Self.defaultLibraryName)
        self.outputs = outputs
    }

    /// The library file name used when the profile gives no `library`.
    public static let defaultLibraryName = "library.sqlite"

    /// The section labels in page order.
    public var labels: [String] { sections.map(\.label) }

    /// The label of papers that belong in no section. Training learns it beside the sections and a digest
    /// leaves such papers out (`TopicRouting.decide` is given it), so no section may take it.
    public static let offTopicLabel = "off-topic"

    /// True when at least one section has keywords, i.e. the profile has keyword rules.
    public var hasKeywordRules: Bool { sections.contains { !$0.keywords.isEmpty } }

    /// The section labelled `label`, or nil.
    public func section(label: String) -> Section? { sections.first { $0.label == label } }

    /// Reads and validates the profile at `url`.
    /// - Throws: ``DigestProfileError`` naming the file, the line (when known) and the key at fault.
    public static func load(from url: URL) throws -> DigestProfile {
        let file = url.absoluteURL.standardizedFileURL
        // Through a file handle, not Data(contentsOf:), which refuses a pipe (`--profile <(…)`) with a
        // false "permission" error; bounded, since a device such as /dev/zero never ends.
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: file)
            defer { try? handle.close() }
            data = try handle.read(upToCount: maxFileBytes + 1) ?? Data()
        } catch {
            throw DigestProfileError(file: url.relativePath, line: nil, key: nil, reason: "cannot read the profile: \(SystemErrorText.reason(error))")
        }
        guard data.count <= maxFileBytes else {
            throw DigestProfileError(file: url.relativePath, line: nil, key: nil,
                                     reason: "more than \(maxFileBytes >> 20) MiB; a profile is a page of text")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DigestProfileError(file: url.relativePath, line: nil, key: nil, reason: "not valid UTF-8")
        }
        // Errors name the file as the caller gave it (a relative path stays relative).
        return try parse(text, file: file, displayName: url.relativePath)
    }

    /// Most bytes a profile file may have.
    static let maxFileBytes = 1 << 20

    /// Parses and validates profile text as if read from `file` (paths resolve against its folder).
    /// - Parameter displayName: how errors name the file (default: its path).
    public static func parse(_ text: String, file: URL, displayName: String? = nil) throws -> DigestProfile {
        try ProfileParser(text: text, file: file.absoluteURL.standardizedFileURL, displayName: displayName ?? file.path).parse()
    }
}
