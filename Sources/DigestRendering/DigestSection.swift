/// The digest's sections: the topic label each one collects and the heading it prints, in page order.
/// This is the one place that maps labels to headings.
public enum DigestSection: String, CaseIterable, Sendable {
    case hardware
    case algorithms
    case applications
    case general

    /// The topic label, as classifiers and the JSON Lines `label` field spell it.
    public var label: String { rawValue }

    /// The exact Markdown heading text (after `## `). The eye carries U+FE0F.
    public var heading: String {
        switch self {
        case .hardware: return "🛠 Hardware & Materials"
        case .algorithms: return "🧠 Algorithms & Theory"
        case .applications: return "👁\u{FE0F} Applications & Sensing"
        case .general: return "📂 General / Uncategorized"
        }
    }

    /// The section whose label is `label`, or nil.
    public init?(label: String) { self.init(rawValue: label) }

    /// The section whose heading is exactly `heading`, or nil.
    public init?(heading: String) {
        guard let section = Self.allCases.first(where: { $0.heading == heading }) else { return nil }
        self = section
    }
}
