import CLibXML2
import Foundation

/// The only file in ArxivFeed that calls libxml2: parses a document from memory into an
/// `XMLTreeElement` tree, refusing everything an arXiv feed never contains.
///
/// Safety: the bytes are pushed from memory in 64 KiB chunks with `XML_PARSE_NONET`, and without
/// `NOENT`, `DTDLOAD`, `DTDATTR` or `HUGE`, so no entity is substituted and nothing is loaded. A
/// `<!DOCTYPE` stops the parser at once (before its internal subset, hence before any entity
/// declaration is read), and an entity reference other than the five predefined ones is a fatal
/// error without a DTD. libxml2's own nesting limit (256) stays on; the nodes (elements, attributes,
/// comments, processing instructions), the text of each element and each attribute value are capped
/// while libxml2 builds its tree, and a start tag with too many attributes (whose duplicate check
/// costs libxml2 quadratic time) is refused by `StartTagScan` before libxml2 reads anything. Errors
/// go to a per-parse collector through the context's structured error handler, so nothing is printed
/// and no global state changes; each call has its own parser context, so two threads may parse at once.
enum LibXML2Parser {
    /// Why libxml2 could not produce a tree; `detail` names the line and column where known.
    struct Failure: Error {
        let detail: String
        /// The input ended with elements still open: what a download cut short leaves.
        var endsEarly = false
    }

    /// Parses `data` (UTF-8 XML) into a tree no deeper than `maxDepth` elements, with at most
    /// `maxNodes` elements, attributes, comments and processing instructions, `maxTextBytes` of text
    /// directly inside any one element (however it is interrupted) or in one attribute value, and
    /// `maxAttributes` attributes on one element. They are enforced before or while libxml2 builds its
    /// tree, so a hostile document cannot make it big or slow.
    static func parse(_ data: Data, maxDepth: Int, maxNodes: Int, maxTextBytes: Int, maxAttributes: Int) throws -> XMLTreeElement {
        _ = initialized
        // A UTF-8 byte order mark may open an XML document; with the encoding forced below, libxml2 would
        // read it as text before the prolog ("Document is empty").
        let data = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data
        guard data.count <= Int(Int32.max) else { throw Failure(detail: "document too large for libxml2") }
        if let line = data.withUnsafeBytes({ StartTagScan.firstOverfullTag(in: $0, maxAttributes: maxAttributes) }) {
            throw Failure(detail: "line \(line): an element with more than \(maxAttributes) attributes")
        }
        // A push parser fed in chunks: libxml2 then holds only a chunk of input at a time instead of
        // a private copy of the whole document.
        guard let context = xmlCreatePushParserCtxt(nil, nil, nil, 0, nil) else {
            throw Failure(detail: "libxml2 could not allocate a parser")
        }
        defer {
            // libxml2 also copies each error into its (thread-local) last-error slot: clear both.
            xmlCtxtResetLastError(context)
            xmlResetLastError()
            xmlFreeParserCtxt(context)
        }
        let collector = ErrorCollector(maxNodes: maxNodes, maxTextBytes: maxTextBytes)
        return try withExtendedLifetime(collector) { () throws -> XMLTreeElement in
            context.pointee._private = Unmanaged.passUnretained(collector).toOpaque()
            context.pointee.sax.pointee.serror = collectError
            context.pointee.sax.pointee.internalSubset = refuseDoctype
            context.pointee.sax.pointee.externalSubset = refuseDoctype
            context.pointee.sax.pointee.entityDecl = refuseEntityDeclaration
            context.pointee.sax.pointee.reference = refuseEntityReference
            context.pointee.sax.pointee.startElementNs = countElement
            context.pointee.sax.pointee.endElementNs = endElement
            context.pointee.sax.pointee.comment = countComment
            context.pointee.sax.pointee.processingInstruction = countProcessingInstruction
            context.pointee.sax.pointee.characters = countText
            context.pointee.sax.pointee.ignorableWhitespace = countText

            // Forcing UTF-8 (and ignoring any `encoding=` declaration) makes invalid bytes an error.
            xmlCtxtResetPush(context, nil, 0, nil, "UTF-8")
            // BIG_LINES: line numbers past 65,535 (a 15,000-entry feed) are kept, not clamped.
            let options = XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_IGNORE_ENC.rawValue
                | XML_PARSE_BIG_LINES.rawValue
            xmlCtxtUseOptions(context, Int32(options))
            data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) else { return }
                let chunkSize = 1 << 16
                var offset = 0
                while offset < bytes.count, collector.refusal == nil, collector.firstError == nil {
                    let length = min(chunkSize, bytes.count - offset)
                    let isLast = offset + length == bytes.count
                    xmlParseChunk(context, base + offset, Int32(length), isLast ? 1 : 0)
                    offset += length
                }
            }
            let document = context.pointee.myDoc
            context.pointee.myDoc = nil
            defer { if let document { xmlFreeDoc(document) } }

            if let refusal = collector.refusal { throw Failure(detail: refusal) }
            if let first = collector.firstError {
                // libxml2 names what it expected at the end ("Extra content…", "expected '>'"), not that the end
                // came early: say so when the error is at the very end of the input with elements still open
                // (and is not a mismatched end tag, which is wrong wherever it stands).
                let lastLine = data.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                let lastLineLength = data.reversed().prefix { $0 != UInt8(ascii: "\n") }.count
                if collector.firstErrorLine >= lastLine, collector.firstErrorColumn >= lastLineLength,
                   collector.firstErrorCode != Int32(XML_ERR_TAG_NAME_MISMATCH.rawValue),
                   context.pointee.nameNr > 0, let name = context.pointee.name {
                    throw Failure(detail: first + "; the document ends with <\(String(cString: name))> still open: was it cut short (an interrupted download)?",
                                  endsEarly: true)
                }
                throw Failure(detail: first)
            }
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

/// Per-parse record of the first libxml2 error, of any refused construct, and of the size counters.
private final class ErrorCollector {
    var firstError: String?
    /// Where `firstError` was raised, and libxml2's code for it.
    var firstErrorLine = 0
    var firstErrorColumn = 0
    var firstErrorCode: Int32 = 0
    var refusal: String?
    let maxNodes: Int
    let maxTextBytes: Int
    /// Elements, attributes (namespace declarations included), comments and processing instructions so far.
    var nodeCount = 0
    /// Text bytes delivered so far into each open element, innermost last: an element's count survives
    /// its children, so text split by `<b>x</b>` adds up.
    var textBytes: [Int] = []

    init(maxNodes: Int, maxTextBytes: Int) {
        self.maxNodes = maxNodes
        self.maxTextBytes = maxTextBytes
    }

    /// Adds `count` nodes; false (and the parser stopped) past the limit.
    static func count(_ userData: UnsafeMutableRawPointer?, _ collector: ErrorCollector, nodes count: Int) -> Bool {
        collector.nodeCount += count
        guard collector.nodeCount > collector.maxNodes else { return true }
        refuse(userData, "more than \(collector.maxNodes) nodes (elements, attributes, comments, processing instructions)")
        return false
    }

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
    collector.firstErrorLine = Int(error.pointee.line)
    collector.firstErrorColumn = Int(error.pointee.int2)
    collector.firstErrorCode = code
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

/// Counts the element and its attributes and namespace declarations, checks each attribute value's
/// length, then lets libxml2's own SAX2 handler build the node.
private let countElement: startElementNsSAX2Func = {
    userData, localName, prefix, uri, namespaceCount, namespaces, attributeCount, defaultedCount, attributes in
    guard let collector = ErrorCollector.from(userData),
          ErrorCollector.count(userData, collector, nodes: 1 + Int(attributeCount) + Int(namespaceCount)) else { return }
    if let attributes {
        // Five pointers per attribute: local name, prefix, URI, value start, value end.
        for index in 0..<Int(attributeCount) {
            guard let start = attributes[5 * index + 3], let end = attributes[5 * index + 4] else { continue }
            if start.distance(to: end) > collector.maxTextBytes {
                ErrorCollector.refuse(userData, "an attribute value longer than \(collector.maxTextBytes) bytes")
                return
            }
        }
    }
    collector.textBytes.append(0)
    xmlSAX2StartElementNs(userData, localName, prefix, uri, namespaceCount, namespaces,
                          attributeCount, defaultedCount, attributes)
}

private let endElement: endElementNsSAX2Func = { userData, localName, prefix, uri in
    _ = ErrorCollector.from(userData)?.textBytes.popLast()
    xmlSAX2EndElementNs(userData, localName, prefix, uri)
}

/// Counts the text going into the current element, then lets libxml2 append it.
private let countText: charactersSAXFunc = { userData, characters, length in
    guard let collector = ErrorCollector.from(userData), !collector.textBytes.isEmpty else { return }
    collector.textBytes[collector.textBytes.count - 1] += Int(length)
    if collector.textBytes[collector.textBytes.count - 1] > collector.maxTextBytes {
        ErrorCollector.refuse(userData, "text inside one element longer than \(collector.maxTextBytes) bytes")
        return
    }
    xmlSAX2Characters(userData, characters, length)
}

/// Comments and processing instructions carry nothing a feed needs: counted, never built.
private let countComment: commentSAXFunc = { userData, _ in
    guard let collector = ErrorCollector.from(userData) else { return }
    _ = ErrorCollector.count(userData, collector, nodes: 1)
}

private let countProcessingInstruction: processingInstructionSAXFunc = { userData, _, _ in
    guard let collector = ErrorCollector.from(userData) else { return }
    _ = ErrorCollector.count(userData, collector, nodes: 1)
}
