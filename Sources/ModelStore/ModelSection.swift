import Foundation

/// The element type of a model file section; the raw value is the type tag stored in the file.
public enum SectionType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// IEEE 754 binary64 values, 8 bytes each, little-endian.
    case float64 = 1
    /// Signed 32-bit integers, 4 bytes each, little-endian.
    case int32 = 2
    /// Signed 64-bit integers, 8 bytes each, little-endian.
    case int64 = 3
    /// UTF-8 strings, each a UInt32 little-endian byte length followed by its bytes.
    case strings = 4
    /// Opaque bytes.
    case bytes = 5

    /// Bytes per element, or nil for string lists (whose elements vary in length).
    public var elementSize: Int? {
        switch self {
        case .float64, .int64: return 8
        case .int32: return 4
        case .bytes: return 1
        case .strings: return nil
        }
    }

    public var description: String {
        switch self {
        case .float64: return "float64 array"
        case .int32: return "int32 array"
        case .int64: return "int64 array"
        case .strings: return "string list"
        case .bytes: return "raw bytes"
        }
    }
}

/// The typed contents of one named section.
///
/// Equality compares doubles by bit pattern, so a NaN equals itself and `-0.0` differs from `0.0`:
/// two payloads are equal exactly when they are stored as the same bytes.
public enum SectionPayload: Sendable, Equatable {
    case float64([Double])
    case int32([Int32])
    case int64([Int64])
    case strings([String])
    case bytes([UInt8])

    /// The type tag this payload is stored with.
    public var type: SectionType {
        switch self {
        case .float64: return .float64
        case .int32: return .int32
        case .int64: return .int64
        case .strings: return .strings
        case .bytes: return .bytes
        }
    }

    /// The number of elements (values, strings or bytes).
    public var count: Int {
        switch self {
        case .float64(let values): return values.count
        case .int32(let values): return values.count
        case .int64(let values): return values.count
        case .strings(let values): return values.count
        case .bytes(let values): return values.count
        }
    }

    public static func == (lhs: SectionPayload, rhs: SectionPayload) -> Bool {
        switch (lhs, rhs) {
        case (.float64(let a), .float64(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
        case (.int32(let a), .int32(let b)): return a == b
        case (.int64(let a), .int64(let b)): return a == b
        case (.strings(let a), .strings(let b)):
            // Compare bytes, not canonical equivalence: "é" precomposed and decomposed are stored differently.
            return a.count == b.count && zip(a, b).allSatisfy { Array($0.utf8) == Array($1.utf8) }
        case (.bytes(let a), .bytes(let b)): return a == b
        default: return false
        }
    }
}
