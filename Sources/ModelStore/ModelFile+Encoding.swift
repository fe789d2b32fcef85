import AtomicFiles
import Foundation

extension ModelFile {
    /// The file's bytes. Deterministic: sections are written sorted by name, so the same header
    /// and sections always give the same bytes, whatever order they were added in.
    public func encoded() -> Data {
        var out = LittleEndianWriter()
        out.append(ModelFileFormat.magic)
        out.append(ModelFileFormat.currentVersion)
        out.append(UInt32(headerJSON.count))  // `init` checked it fits
        out.append(Array(headerJSON))
        let names = sectionNames
        out.append(UInt32(names.count))
        for name in names {
            let payload = section(name)!
            let nameBytes = Array(name.utf8)
            out.append(UInt16(nameBytes.count))  // `add` checked it fits
            out.append(nameBytes)
            out.append(payload.type.rawValue)
            out.append(UInt64(payload.count))
            let lengthOffset = out.bytes.count
            out.append(UInt64(0))  // byte length, patched below once known
            let start = out.bytes.count
            out.appendPayload(payload)
            out.patch(UInt64(out.bytes.count - start), at: lengthOffset)
        }
        out.append(SHA256.hash(out.bytes).bytes)
        return Data(out.bytes)
    }

    /// Writes the model to `url` atomically (temporary file, fsync, rename): a reader or a crash
    /// sees the old file or the new one, never a mix. Throws `AtomicFile.WriteError`.
    public func write(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url)
    }
}

/// Appends integers and arrays in little-endian byte order.
struct LittleEndianWriter {
    var bytes: [UInt8] = []

    mutating func append(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }
    mutating func append(_ value: UInt8) { bytes.append(value) }

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func patch(_ value: UInt64, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (index, byte) in raw.enumerated() { bytes[offset + index] = byte }
        }
    }

    mutating func appendPayload(_ payload: SectionPayload) {
        switch payload {
        case .float64(let values):
            if isLittleEndianHost {
                values.withUnsafeBytes { bytes.append(contentsOf: $0) }
            } else {
                appendArray(values.map(\.bitPattern))
            }
        case .int32(let values): appendArray(values)
        case .int64(let values): appendArray(values)
        case .bytes(let values): bytes.append(contentsOf: values)
        case .strings(let values):
            for string in values {
                let utf8 = Array(string.utf8)
                append(UInt32(utf8.count))  // `add` checked it fits
                bytes.append(contentsOf: utf8)
            }
        }
    }

    private mutating func appendArray<T: FixedWidthInteger>(_ values: [T]) {
        if isLittleEndianHost {
            values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        } else {
            bytes.reserveCapacity(bytes.count + values.count * MemoryLayout<T>.size)
            for value in values { append(value) }
        }
    }
}

let isLittleEndianHost = 1.littleEndian == 1
