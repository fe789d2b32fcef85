/// Why a digest could not be rendered.
public enum DigestRenderError: Error, Equatable, CustomStringConvertible {
    /// The paper at `index` (0-based, input order) has a label that is none of `sections`.
    case unknownLabel(String, paperIndex: Int, paperID: String, sections: [String])
    /// The paper at `index` has no label at all.
    case missingLabel(paperIndex: Int, paperID: String, sections: [String])
    /// `labels` and `papers` differ in length.
    case labelCountMismatch(papers: Int, labels: Int)
    /// The paper at `paperIndex` has an id that is no arXiv identifier, so it cannot be linked.
    case invalidID(String, paperIndex: Int)
    /// The paper at `paperIndex` has a title with nothing visible (``PaperText/hasVisibleTitle(_:)``).
    case invisibleTitle(paperIndex: Int, paperID: String)

    public var description: String {
        switch self {
        case let .unknownLabel(label, index, id, sections):
            return "paper \(index) (\(id)): unknown label \"\(label)\"; expected one of \(sections.joined(separator: ", "))"
        case let .missingLabel(index, id, sections):
            return "paper \(index) (\(id)): no label; expected one of \(sections.joined(separator: ", "))"
        case let .labelCountMismatch(papers, labels):
            return "\(papers) papers but \(labels) labels"
        case let .invalidID(id, index):
            return "paper \(index): id \"\(id)\" is no arXiv identifier (e.g. 2602.01874 or hep-th/0101001); only arXiv abstract pages are linked"
        case let .invisibleTitle(index, id):
            return "paper \(index) (\(id)): the title has nothing visible (only white space, control or invisible characters); its link would print empty"
        }
    }
}
