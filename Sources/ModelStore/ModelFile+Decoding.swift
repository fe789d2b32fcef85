import AtomicFiles
import Foundation

extension ModelFile {
    /// Reads and fully validates the model file at `url`: structure, then the SHA-256, then the header.
    /// Throws `ModelFileError` naming the file and what is wrong; never reads outside the file's bytes.
    public static func read(from url: URL) throws -> ModelFile {
        let name = url.lastPathComponent
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            throw ModelFileError(file: name, problem: .unreadable(reason: errno == ENOENT ? "no such file at \(url.path)" : "\(url.path): \(String(cString: strerror(errno)))"))
        }
        // Foundation reports a FIFO or a device as "You don't have permission", which is not the problem.
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            let kind = (info.st_mode & S_IFMT) == S_IFDIR ? "a directory" : (info.st_mode & S_IFMT) == S_IFIFO ? "a FIFO (pipe)" : "a device or socket"
            throw ModelFileError(file: name, problem: .unreadable(reason: "\(url.path) is \(kind), not a regular file"))
        }
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw ModelFileError(file: name, problem: .unreadable(reason: "\(url.path): \(SystemErrorText.reason(error))"))
        }
        return try decode(data, fileName: name)
    }

    /// Decodes and validates a model file's bytes; `fileName` labels the errors.
    /// Safe on any input: every length is checked against the buffer before it is used.
    public static func decode(_ data: Data, fileName: String = "model") throws -> ModelFile {
        try data.withUnsafeBytes { raw in
            var decoder = ModelFileDecoder(bytes: raw, fileName: fileName)
            return try decoder.decode()
        }
    }
}

/// Walks a model file's bytes in the order Models/README.md describes, failing at the first problem.
private struct ModelFileDecoder {
    let bytes: UnsafeRawBufferPointer
    let fileName: String
    /// The next byte to read.
    private var position = 0
    /// Where the data ends and the checksum begins.
    private var limit = 0

    init(bytes: UnsafeRawBufferPointer, fileName: String) {
        self.bytes = bytes
        self.fileName = fileName
    }

    private func failure(_ problem: ModelFileError.Problem) -> ModelFileError {
        ModelFileError(file: fileName, problem: problem)
    }

    mutating func decode() throws -> ModelFile {
        try checkSizeAndMagic()
        limit = bytes.count - ModelFileFormat.checksumSize
        position = ModelFileFormat.magic.count

        let version = try readInteger(UInt32.self, what: "the format version")
        guard version != 0 else { throw failure(.invalidFormatVersion(version)) }
        guard version <= ModelFileFormat.currentVersion else {
            throw failure(.newerFormat(found: version, supported: ModelFileFormat.currentVersion))
        }
        let headerLength = try readInteger(UInt32.self, what: "the header length")
        let header = try take(UInt64(headerLength), what: "the header")

        let sectionCount = try readInteger(UInt32.self, what: "the section count")
        // The checksum is computed on a second core while the sections are decoded (both read all
        // of a large file); a structural error is still reported before a checksum mismatch.
        let checked = UnsafeRawBufferPointer(rebasing: bytes[0..<limit])
        var computed: SHA256.Digest?
        var decoded: Result<(sections: [(name: String, payload: SectionPayload)], end: Int), Error>?
        DispatchQueue.concurrentPerform(iterations: 2) { job in
            if job == 0 {
                var hasher = SHA256()
                hasher.update(checked)
                computed = hasher.finalize()
            } else {
                var walker = self
                decoded = Result { (try walker.readSections(count: Int(sectionCount)), walker.position) }
            }
        }
        let sections: [(name: String, payload: SectionPayload)]
        (sections, position) = try decoded!.get()
        guard position == limit else {
            throw failure(.trailingBytes(count: limit - position, offset: position, declaredSections: Int(sectionCount)))
        }
        try verifyChecksum(computed!)

        let headerJSON = Data(header)
        try ModelFile.validateHeader(headerJSON, fileName: fileName)
        var model = try ModelFile(headerJSON: headerJSON, fileName: fileName)
        for section in sections { try model.add(section.name, section.payload) }
        return model
    }

    private func checkSizeAndMagic() throws {
        let magic = ModelFileFormat.magic
        let size = bytes.count
        let compared = min(size, magic.count)
        let magicMatches = size > 0 && bytes.prefix(compared).elementsEqual(magic.prefix(compared))
        if size < ModelFileFormat.minimumFileSize {
            if magicMatches {
                throw failure(.truncated(what: "the fixed fields of a model file",
                                         needs: UInt64(ModelFileFormat.minimumFileSize), offset: 0,
                                         limit: size, fileSize: size))
            }
            throw failure(.notAModelFile(detail: size == 0
                ? "the file is empty"
                : "\(grouped(size)) bytes, fewer than the \(ModelFileFormat.minimumFileSize) of the smallest model file"))
        }
        guard magicMatches else {
            throw failure(.notAModelFile(detail: "it does not start with \"ARXDGMDL\""))
        }
    }

    private mutating func readSections(count: Int) throws -> [(name: String, payload: SectionPayload)] {
        var sections: [(name: String, payload: SectionPayload)] = []
        var seen = Set<String>()
        for index in 0..<count {
            let section = try readSection(number: index + 1, of: count)
            guard seen.insert(section.name).inserted else { throw failure(.duplicateSection(name: section.name)) }
            sections.append(section)
        }
        return sections
    }

    private mutating func readSection(number: Int, of total: Int) throws -> (name: String, payload: SectionPayload) {
        let entry = "section \(number) of \(total)"
        let nameLength = try readInteger(UInt16.self, what: "the name length of \(entry)")
        let nameBytes = try take(UInt64(nameLength), what: "the name of \(entry)")
        guard nameLength > 0 else { throw failure(.invalidSectionName(detail: "\(entry) has an empty name")) }
        guard let name = String(validating: nameBytes, as: UTF8.self) else {
            throw failure(.invalidSectionName(detail: "the name of \(entry) is not valid UTF-8"))
        }
        let tag = try readInteger(UInt8.self, what: "the type tag of section \"\(name)\"")
        guard let type = SectionType(rawValue: tag) else {
            throw failure(.inconsistentSection(name: name, detail: "unknown type tag \(tag)"))
        }
        let count = try readInteger(UInt64.self, what: "the element count of section \"\(name)\"")
        let length = try readInteger(UInt64.self, what: "the byte length of section \"\(name)\"")
        let payload = try take(length, what: "section \"\(name)\"")
        return (name, try decodePayload(payload, type: type, count: count, name: name))
    }

    private func decodePayload(
        _ payload: UnsafeRawBufferPointer, type: SectionType, count: UInt64, name: String
    ) throws -> SectionPayload {
        // String lists check their count as they are walked; fixed-size types check it here.
        guard let size = type.elementSize else {
            return .strings(try decodeStrings(payload, count: count, name: name))
        }
        let (expected, overflow) = count.multipliedReportingOverflow(by: UInt64(size))
        guard !overflow, expected == UInt64(payload.count) else {
            throw failure(.inconsistentSection(name: name, detail:
                "\(grouped(count)) \(type) elements need \(overflow ? "more than 2^64" : grouped(expected))"
                + " bytes, but its byte length is \(grouped(payload.count))"))
        }
        let count = Int(count)  // fits: count × size equals the payload's length
        switch type {
        case .float64: return .float64(loadDoubles(from: payload, count: count))
        case .int32: return .int32(loadArray(Int32.self, from: payload, count: count))
        case .int64: return .int64(loadArray(Int64.self, from: payload, count: count))
        case .bytes, .strings: return .bytes(Array(payload))
        }
    }

    private func decodeStrings(_ payload: UnsafeRawBufferPointer, count: UInt64, name: String) throws -> [String] {
        // Each string takes at least its 4-byte length, which bounds the count before any allocation.
        guard count <= UInt64(payload.count / 4) else {
            throw failure(.inconsistentSection(name: name, detail:
                "declares \(grouped(count)) strings, but its \(grouped(payload.count)) bytes hold at most"
                + " \(grouped(payload.count / 4))"))
        }
        var strings: [String] = []
        strings.reserveCapacity(Int(count))
        var offset = 0
        for index in 0..<Int(count) {
            guard payload.count - offset >= 4 else {
                throw failure(.inconsistentSection(name: name, detail:
                    "declares \(grouped(count)) strings, but its bytes end after \(grouped(index))"))
            }
            let length = UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            offset += 4
            guard UInt64(length) <= UInt64(payload.count - offset) else {
                throw failure(.inconsistentSection(name: name, detail:
                    "string \(grouped(index)) needs \(grouped(length)) bytes, but only \(grouped(payload.count - offset))"
                    + " remain in the section"))
            }
            let text = UnsafeRawBufferPointer(rebasing: payload[offset..<offset + Int(length)])
            guard let string = String(validating: text, as: UTF8.self) else {
                throw failure(.inconsistentSection(name: name, detail: "string \(grouped(index)) is not valid UTF-8"))
            }
            strings.append(string)
            offset += Int(length)
        }
        guard offset == payload.count else {
            throw failure(.inconsistentSection(name: name, detail:
                "\(grouped(payload.count - offset)) bytes left over after its \(grouped(count)) strings"))
        }
        return strings
    }

    private func verifyChecksum(_ computed: SHA256.Digest) throws {
        let stored = SHA256.Digest(bytes: Array(bytes[limit...]))
        guard computed == stored else {
            throw failure(.checksumMismatch(stored: stored.hexString, computed: computed.hexString))
        }
    }

    // MARK: - Bounded reads

    /// The next `count` bytes, or a truncation error if they run past the data.
    private mutating func take(_ count: UInt64, what: String) throws -> UnsafeRawBufferPointer {
        guard count <= UInt64(limit - position) else {
            throw failure(.truncated(what: what, needs: count, offset: position, limit: fittingLimit(count),
                                     fileSize: bytes.count))
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<position + Int(count)])
        position += Int(count)
        return slice
    }

    /// Reports the file size as the limit when the read would run past the file itself, so the
    /// message says "file ends at"; otherwise the read only runs into the checksum.
    private func fittingLimit(_ count: UInt64) -> Int {
        count > UInt64(bytes.count - position) ? bytes.count : limit
    }

    private mutating func readInteger<T: FixedWidthInteger>(_ type: T.Type, what: String) throws -> T {
        let raw = try take(UInt64(MemoryLayout<T>.size), what: what)
        return T(littleEndian: raw.loadUnaligned(as: T.self))
    }

    private func loadArray<T: FixedWidthInteger & BitwiseCopyable>(_ type: T.Type, from raw: UnsafeRawBufferPointer, count: Int) -> [T] {
        var values = copyElements(T.self, from: raw, count: count)
        if !isLittleEndianHost {
            for index in values.indices { values[index] = T(littleEndian: values[index]) }
        }
        return values
    }

    private func loadDoubles(from raw: UnsafeRawBufferPointer, count: Int) -> [Double] {
        var values = copyElements(Double.self, from: raw, count: count)
        if !isLittleEndianHost {
            for index in values.indices {
                values[index] = Double(bitPattern: UInt64(littleEndian: values[index].bitPattern))
            }
        }
        return values
    }

    /// One memcpy into a new array; the caller checked that `raw` holds exactly `count` elements.
    private func copyElements<T: BitwiseCopyable>(_ type: T.Type, from raw: UnsafeRawBufferPointer, count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
            initialized = count
        }
    }
}
