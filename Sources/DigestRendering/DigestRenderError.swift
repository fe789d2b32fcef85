/// Why a digest could not be rendered.
public enum DigestRenderError: Error, Equatable, CustomStringConvertible {
    /// The paper at `index` (0-based, input order) has a label that is none of `sections`.
    case unknownLabel(String, paperIndex: Int, paperID: String, sections: [String])
    /// The paper at `index` has no label at all.
    case missingLabel(paperIndex: Int, paperID: String, sections: [String])
    /// `labels` and `papers` differ in length.
    case labelCountMismatch(papers: Int, labels: Int)

    public var description: String {
        switch self {
        case let .unknownLabel(label, index, id, sections):
            return "paper \(index) (\(id)): unknown label \"\(label)\"; expected one of \(sections.joined(separator: ", "))"
        case let .missingLabel(index, id, sections):
            return "paper \(index) (\(id)): no label; expected one of \(sections.joined(separator: ", "))"
        case let .labelCountMismatch(papers, labels):
            return "\(papers) papers but \(labels) labels"
        }
    }
}
