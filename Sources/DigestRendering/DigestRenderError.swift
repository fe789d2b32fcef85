/// Why a digest could not be rendered.
public enum DigestRenderError: Error, Equatable, CustomStringConvertible {
    /// The paper at `index` (0-based, input order) has a label that is no digest section.
    case unknownLabel(String, paperIndex: Int, paperID: String)
    /// The paper at `index` has no label at all.
    case missingLabel(paperIndex: Int, paperID: String)
    /// `labels` and `papers` differ in length.
    case labelCountMismatch(papers: Int, labels: Int)
    /// The paper at `paperIndex` has a label that names none of the layout's sections (`known`).
    case labelNotInLayout(String, paperIndex: Int, paperID: String, known: [String])
    /// The paper at `paperIndex` has an id that is no arXiv identifier, so it cannot be linked.
    case invalidID(String, paperIndex: Int)

    public var description: String {
        let known = DigestSection.allCases.map(\.label).joined(separator: ", ")
        switch self {
        case let .unknownLabel(label, index, id):
            return "paper \(index) (\(id)): unknown label \"\(label)\"; expected one of \(known)"
        case let .missingLabel(index, id):
            return "paper \(index) (\(id)): no label; expected one of \(known)"
        case let .labelCountMismatch(papers, labels):
            return "\(papers) papers but \(labels) labels"
        case let .labelNotInLayout(label, index, id, known):
            return "paper \(index) (\(id)): unknown label \"\(label)\"; expected one of \(known.joined(separator: ", "))"
        case let .invalidID(id, index):
            return "paper \(index): id \"\(id)\" is no arXiv identifier (e.g. 2602.01874 or hep-th/0101001); only arXiv abstract pages are linked"
        }
    }
}
