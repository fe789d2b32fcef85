import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses an SVG document as XML (Foundation's XMLParser, libxml2 underneath) and counts its
/// elements, so plot tests check real structure rather than substrings.
public struct SVGInspection {
    /// Element name → count.
    public private(set) var elements: [String: Int] = [:]
    /// "element.class" → count, for elements with a class attribute.
    public private(set) var classes: [String: Int] = [:]
    /// All text content, in document order.
    public private(set) var texts: [String] = []
    /// The root element's name.
    public private(set) var root: String?

    /// Parses `data`; throws when it is not well-formed XML.
    public init(_ data: Data) throws {
        let delegate = Delegate()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else {
            throw SVGParseError(detail: parser.parserError.map { "\($0)" } ?? "unknown parse error")
        }
        elements = delegate.elements
        classes = delegate.classes
        texts = delegate.texts
        root = delegate.root
    }

    public struct SVGParseError: Error, CustomStringConvertible {
        public let detail: String
        public var description: String { "not well-formed XML: \(detail)" }
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        var classes: [String: Int] = [:]
        var texts: [String] = []
        var root: String?
        private var current = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if root == nil { root = name }
            elements[name, default: 0] += 1
            if let cssClass = attributes["class"] { classes["\(name).\(cssClass)", default: 0] += 1 }
            current = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" || name == "title" { texts.append(current) }
            current = ""
        }
    }
}
