/// Why a digest could not be rendered.
public enum DigestRenderError: Error, Equatable, CustomStringConvertible {
    /// The paper at `index` (0-based, input order) has a label that is no digest section.
    case unknownLabel(String, paperIndex: Int, paperID: String)
    /// The paper at `index` has no label at all.
    case missingLabel(paperIndex: Int, paperID: String)
    /// `labels` and `papers` differ in length.
    case labelCountMismatch(papers: Int, labels: Int)

    public var description: String {
        let known = DigestSection.allCases.map(\.label).joined(separator: ", ")
        switch self {
        case let .unknownLabel(label, index, id):
            return "paper \(index) (\(id)): unknown label \"\(label)\"; expected one of \(known)"
        case let .missingLabel(index, id):
            return "paper \(index) (\(id)): no label; expected one of \(known)"
        case let .labelCountMismatch(papers, labels):
            return "\(papers) papers but \(labels) labels"
        }
    }
}
