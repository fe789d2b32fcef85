import CLibXML2
import Foundation

/// The only file in ArxivFeed that calls libxml2: parses a document from memory into an
/// `XMLTreeElement` tree, refusing everything an arXiv feed never contains.
///
/// Safety: parsing is from memory with `XML_PARSE_NONET`, and without `NOENT`, `DTDLOAD`,
/// `DTDATTR` or `HUGE`, so no entity is substituted and nothing is loaded. A `<!DOCTYPE` stops the
/// parser at once (before its internal subset, hence before any entity declaration is read), and an
/// entity reference other than the five predefined ones is a fatal error without a DTD. libxml2's own
/// limits stay on: 256 levels of nesting and 10 MB per text node. Errors go to a per-parse collector
/// through the context's structured error handler, so nothing is printed and no global state changes;
/// each call has its own parser context, so two threads may parse at once.
enum LibXML2Parser {
    /// Why libxml2 could not produce a tree; `detail` names the line and column where known.
    struct Failure: Error {
        let detail: String
    }

    /// Parses `data` (UTF-8 XML) into a tree no deeper than `maxDepth` elements.
    static func parse(_ data: Data, maxDepth: Int) throws -> XMLTreeElement {
        _ = initialized
        guard data.count <= Int(Int32.max) else { throw Failure(detail: "document too large for libxml2") }
        guard let context = xmlNewParserCtxt() else { throw Failure(detail: "libxml2 could not allocate a parser") }
        defer {
            xmlCtxtResetLastError(context)
            xmlFreeParserCtxt(context)
        }
        let collector = ErrorCollector()
        return try withExtendedLifetime(collector) { () throws -> XMLTreeElement in
            context.pointee._private = Unmanaged.passUnretained(collector).toOpaque()
            context.pointee.sax.pointee.serror = collectError
            context.pointee.sax.pointee.internalSubset = refuseDoctype
            context.pointee.sax.pointee.externalSubset = refuseDoctype
            context.pointee.sax.pointee.entityDecl = refuseEntityDeclaration
            context.pointee.sax.pointee.reference = refuseEntityReference

            let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)
            let document = data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> xmlDocPtr? in
                guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
                // Forcing UTF-8 makes a wrong `encoding=` declaration or invalid bytes an error.
                return xmlCtxtReadMemory(context, base, Int32(bytes.count), nil, "UTF-8", options)
            }
            defer { if let document { xmlFreeDoc(document) } }

            if let refusal = collector.refusal { throw Failure(detail: refusal) }
            if let first = collector.firstError { throw Failure(detail: first) }
            guard let document, context.pointee.wellFormed != 0 else {
                throw Failure(detail: "not well-formed XML")
            }
            if document.pointee.intSubset != nil || document.pointee.extSubset != nil {
                throw Failure(detail: "document carries a DTD (<!DOCTYPE>), which an arXiv feed never does")
            }
            guard let root = xmlDocGetRootElement(document) else { throw Failure(detail: "document has no root element") }
            return try convert(root, depth: 1, maxDepth: maxDepth)
        }
    }

    /// `xmlInitParser` must run once before threads parse concurrently; a global `let` runs it once.
    private static let initialized: Void = { xmlInitParser() }()

    /// Copies a libxml2 element (recursively) into Swift values.
    private static func convert(_ node: xmlNodePtr, depth: Int, maxDepth: Int) throws -> XMLTreeElement {
        let line = Int(xmlGetLineNo(node))
        guard depth <= maxDepth else {
            throw Failure(detail: "line \(line): elements nested deeper than \(maxDepth) levels")
        }
        var element = XMLTreeElement(
            namespaceURI: node.pointee.ns.flatMap { $0.pointee.href.map { String(cString: $0) } },
            localName: String(cString: node.pointee.name),
            attributes: [:], text: "", children: [], line: line
        )
        var attribute = node.pointee.properties
        while let current = attribute {
            if current.pointee.ns == nil {
                element.attributes[String(cString: current.pointee.name)] = textOfChildren(current.pointee.children)
            }
            attribute = current.pointee.next
        }
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                element.children.append(try convert(current, depth: depth + 1, maxDepth: maxDepth))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { element.text += String(cString: content) }
            case XML_ENTITY_REF_NODE:
                throw Failure(detail: "line \(Int(xmlGetLineNo(current))): entity reference in the document")
            default:
                break  // comments and processing instructions carry nothing a feed needs
            }
            child = current.pointee.next
        }
        return element
    }

    /// The text of an attribute's value nodes.
    private static func textOfChildren(_ first: xmlNodePtr?) -> String {
        var text = "", node = first
        while let current = node {
            if let content = current.pointee.content { text += String(cString: content) }
            node = current.pointee.next
        }
        return text
    }
}

/// Per-parse record of the first libxml2 error and of any refused construct.
private final class ErrorCollector {
    var firstError: String?
    var refusal: String?

    static func from(_ userData: UnsafeMutableRawPointer?) -> ErrorCollector? {
        // For DOM parsing libxml2 passes the parser context as the callbacks' user data.
        guard let context = userData?.assumingMemoryBound(to: xmlParserCtxt.self),
              let opaque = context.pointee._private else { return nil }
        return Unmanaged<ErrorCollector>.fromOpaque(opaque).takeUnretainedValue()
    }

    /// Records a refusal once (with the current line) and halts the parser.
    static func refuse(_ userData: UnsafeMutableRawPointer?, _ what: String) {
        guard let context = userData?.assumingMemoryBound(to: xmlParserCtxt.self) else { return }
        let collector = from(userData)
        if collector?.refusal == nil {
            let line = context.pointee.input.map { Int($0.pointee.line) } ?? 0
            collector?.refusal = "line \(line): \(what)"
        }
        xmlStopParser(context)
    }
}

private let collectError: xmlStructuredErrorFunc = { userData, error in
    guard let error, let collector = ErrorCollector.from(userData), collector.firstError == nil else { return }
    let level = error.pointee.level
    guard level == XML_ERR_ERROR || level == XML_ERR_FATAL else { return }
    let message = error.pointee.message.map { String(cString: $0) }?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown error"
    let code = error.pointee.code
    let invalidEncoding = code == Int32(XML_ERR_INVALID_CHAR.rawValue) && message.contains("UTF-8")
        || code == Int32(XML_ERR_INVALID_ENCODING.rawValue)
    let prefix = invalidEncoding ? "invalid UTF-8: " : ""
    collector.firstError = "line \(error.pointee.line), column \(error.pointee.int2): \(prefix)\(message)"
        .replacingOccurrences(of: "\n", with: " ")
}

private let refuseDoctype: internalSubsetSAXFunc = { userData, _, _, _ in
    ErrorCollector.refuse(userData, "document carries a DTD (<!DOCTYPE>), which an arXiv feed never does")
}

private let refuseEntityDeclaration: entityDeclSAXFunc = { userData, _, _, _, _, _ in
    ErrorCollector.refuse(userData, "entity declaration refused")
}

private let refuseEntityReference: referenceSAXFunc = { userData, _ in
    ErrorCollector.refuse(userData, "entity reference refused")
}
