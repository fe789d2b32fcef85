import Foundation
import TestSupport
import Testing

/// Runs one of this target's Python scripts and decodes the JSON it prints.
func runPythonScript<T: Decodable>(_ name: String, _ arguments: [String], input: Data? = nil, as type: T.Type) throws -> T {
    let result = try ProcessRunner.python("Tests/TextFeaturesTests/Scripts/\(name)", arguments, input: input)
    try #require(result.status == 0, "\(name) failed: \(result.stderrText)")
    return try JSONDecoder().decode(T.self, from: result.stdout)
}

/// Reads a little-endian binary array written by numpy's `tofile` (this host is little-endian too).
func readArray<T: FixedWidthInteger>(_ url: URL, as: T.Type) throws -> [T] {
    let data = try Data(contentsOf: url)
    let count = data.count / MemoryLayout<T>.size
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        data.withUnsafeBytes { raw in _ = raw.copyBytes(to: UnsafeMutableRawBufferPointer(buffer)) }
        initialized = count
    }
}

func readDoubles(_ url: URL) throws -> [Double] {
    try readArray(url, as: UInt64.self).map(Double.init(bitPattern:))
}
