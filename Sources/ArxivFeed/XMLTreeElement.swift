/// A parsed XML element in plain Swift, so that only `LibXML2Parser.swift` touches libxml2.
///
/// Names are namespace URI + local name (prefixes are irrelevant). `text` is the concatenation of the
/// element's own text and CDATA children, exactly as the parser delivered them (entities resolved,
/// line ends normalised to "\n"); text inside child elements is not included.
struct XMLTreeElement: Sendable {
    var namespaceURI: String?
    var localName: String
    /// Attributes without a namespace, by local name (Atom and arXiv use no namespaced attributes).
    var attributes: [String: String]
    var text: String
    var children: [XMLTreeElement]
    /// 1-based line of the start tag in the document.
    var line: Int

    /// The child elements named `localName` in `namespaceURI`, in document order.
    func children(_ namespaceURI: String, _ localName: String) -> [XMLTreeElement] {
        children.filter { $0.localName == localName && $0.namespaceURI == namespaceURI }
    }

    /// The first child element named `localName` in `namespaceURI`.
    func firstChild(_ namespaceURI: String, _ localName: String) -> XMLTreeElement? {
        children.first { $0.localName == localName && $0.namespaceURI == namespaceURI }
    }

    /// `{namespace}local` for error messages.
    var qualifiedDescription: String {
        if let namespaceURI { return "<\(localName)> in namespace \(namespaceURI)" }
        return "<\(localName)> (no namespace)"
    }
}
