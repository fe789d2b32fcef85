import Foundation

/// A model file in memory: a JSON header plus named, typed sections.
///
/// Building one:
///
///     var model = try ModelFile(header: myHeader)          // any Encodable; keys are sorted
///     try model.add("vocabulary", .strings(terms))
///     try model.add("weights", .float64(weights))
///     try model.write(to: url)                             // atomic: old or new, never partial
///
/// Reading one back, with the checks the caller relies on:
///
///     let model = try ModelFile.read(from: url)            // validates structure and SHA-256
///     let header = try model.header(as: MyHeader.self)
///     let weights = try model.doubles("weights", count: k * d)
///
/// The container knows nothing about classifiers: what the sections mean is up to the caller.
public struct ModelFile: Sendable, Equatable {
    /// The name used in error messages: the file's last path component, or a label.
    public var fileName: String
    /// The header as stored: UTF-8 JSON text of one object.
    public let headerJSON: Data
    private var payloads: [String: SectionPayload] = [:]

    /// A model whose header is `header` encoded as JSON with sorted keys (deterministic bytes).
    /// Encode no timestamps unless the same bytes on every run are not wanted.
    public init<Header: Encodable>(header: Header, fileName: String = "model") throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json: Data
        do { json = try encoder.encode(header) } catch {
            throw ModelFileError(file: fileName, problem: .invalidHeader(detail: "cannot encode: \(error)"))
        }
        try self.init(headerJSON: json, fileName: fileName)
    }

    /// A model whose header is the given JSON text, stored byte for byte. It must be one JSON object.
    public init(headerJSON: Data, fileName: String = "model") throws {
        self.fileName = fileName
        self.headerJSON = headerJSON
        try Self.validateHeader(headerJSON, fileName: fileName)
        guard headerJSON.count <= UInt32.max else {
            throw ModelFileError(file: fileName, problem: .tooLarge(what: "the header"))
        }
    }

    /// Section names in the order they are written: sorted by their UTF-8 bytes.
    public var sectionNames: [String] {
        payloads.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The payload of section `name`, if present.
    public func section(_ name: String) -> SectionPayload? { payloads[name] }

    /// Adds a section. Names are 1…65,535 bytes of UTF-8 and must be unique.
    public mutating func add(_ name: String, _ payload: SectionPayload) throws {
        let nameBytes = name.utf8.count
        guard nameBytes > 0, nameBytes <= Int(UInt16.max) else {
            throw ModelFileError(file: fileName, problem: .invalidSectionName(
                detail: "\"\(name.prefix(40))\" is \(nameBytes) bytes; names are 1 to 65,535 bytes"))
        }
        guard payloads[name] == nil else {
            throw ModelFileError(file: fileName, problem: .duplicateSection(name: name))
        }
        if case .strings(let strings) = payload, let long = strings.first(where: { $0.utf8.count > UInt32.max }) {
            throw ModelFileError(file: fileName, problem: .tooLarge(what: "a string of \(long.utf8.count) bytes"))
        }
        payloads[name] = payload
    }

    /// Decodes the header as `type` (extra keys in the file are ignored, as usual for `Decodable`).
    public func header<Header: Decodable>(as type: Header.Type) throws -> Header {
        do { return try JSONDecoder().decode(type, from: headerJSON) } catch {
            throw ModelFileError(file: fileName, problem: .invalidHeader(
                detail: "does not decode as \(type): \(error)"))
        }
    }

    // MARK: - Typed accessors (each checks the type and, if given, the element count)

    /// The float64 section `name`; `count` (if given) must match, else `.dimensionMismatch`.
    public func doubles(_ name: String, count: Int? = nil) throws -> [Double] {
        try values(name, .float64, count: count) { if case .float64(let v) = $0 { v } else { nil } }
    }

    /// The int32 section `name`; `count` (if given) must match, else `.dimensionMismatch`.
    public func int32s(_ name: String, count: Int? = nil) throws -> [Int32] {
        try values(name, .int32, count: count) { if case .int32(let v) = $0 { v } else { nil } }
    }

    /// The int64 section `name`; `count` (if given) must match, else `.dimensionMismatch`.
    public func int64s(_ name: String, count: Int? = nil) throws -> [Int64] {
        try values(name, .int64, count: count) { if case .int64(let v) = $0 { v } else { nil } }
    }

    /// The string-list section `name`; `count` (if given) must match, else `.dimensionMismatch`.
    public func strings(_ name: String, count: Int? = nil) throws -> [String] {
        try values(name, .strings, count: count) { if case .strings(let v) = $0 { v } else { nil } }
    }

    /// The raw-bytes section `name`; `count` (if given) must match, else `.dimensionMismatch`.
    public func bytes(_ name: String, count: Int? = nil) throws -> [UInt8] {
        try values(name, .bytes, count: count) { if case .bytes(let v) = $0 { v } else { nil } }
    }

    private func values<Element>(
        _ name: String, _ type: SectionType, count: Int?, _ extract: (SectionPayload) -> [Element]?
    ) throws -> [Element] {
        guard let payload = payloads[name] else {
            throw ModelFileError(file: fileName, problem: .missingSection(name: name))
        }
        guard let values = extract(payload) else {
            throw ModelFileError(file: fileName, problem: .wrongSectionType(name: name, expected: type, found: payload.type))
        }
        if let count, values.count != count {
            throw ModelFileError(file: fileName, problem: .dimensionMismatch(name: name, found: values.count, expected: count))
        }
        return values
    }

    /// Two models are equal when they would be written as the same bytes (the file name aside).
    public static func == (lhs: ModelFile, rhs: ModelFile) -> Bool {
        lhs.headerJSON == rhs.headerJSON && lhs.payloads == rhs.payloads
    }

    static func validateHeader(_ json: Data, fileName: String) throws {
        // JSONSerialization also accepts UTF-16 and UTF-32; the format allows only UTF-8,
        // and JSON text never holds a raw NUL, so NULs would betray another encoding.
        guard String(validating: json, as: UTF8.self) != nil, !json.contains(0) else {
            throw ModelFileError(file: fileName, problem: .invalidHeader(detail: "not valid UTF-8 JSON"))
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed]) } catch {
            throw ModelFileError(file: fileName, problem: .invalidHeader(detail: "not valid UTF-8 JSON"))
        }
        guard object is [String: Any] else {
            throw ModelFileError(file: fileName, problem: .invalidHeader(detail: "not a JSON object"))
        }
    }
}
