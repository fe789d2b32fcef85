import Crypto
import Foundation

/// SHA-256 (FIPS 180-4), computed by swift-crypto (BoringSSL's implementation, which uses the
/// processor's SHA instructions where present). The model file ends with the SHA-256 of everything
/// before it, so any flipped bit is caught; training code also uses it to fingerprint its data set.
/// This small type keeps the digest's bytes and hex form in one place for the model format.
///
///     var hasher = SHA256()
///     hasher.update(Data("abc".utf8))
///     hasher.finalize().hexString   // "ba7816bf…15ad"
public struct SHA256 {
    /// The digest length in bytes.
    public static let byteCount = Crypto.SHA256.byteCount

    private var hasher = Crypto.SHA256()

    public init() {}

    /// The digest of `bytes` in one call.
    public static func hash<Bytes: Collection>(_ bytes: Bytes) -> Digest where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Feeds more bytes into the digest.
    public mutating func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        if handled == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { update($0) }
        }
    }

    /// Feeds more bytes into the digest.
    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// Feeds more bytes into the digest.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard buffer.count > 0 else { return }
        hasher.update(bufferPointer: buffer)
    }

    /// The digest of everything fed in. The hasher should not be used afterwards.
    public mutating func finalize() -> Digest {
        Digest(bytes: Array(hasher.finalize()))
    }

    /// A 32-byte SHA-256 digest.
    public struct Digest: Equatable, Hashable, Sendable, CustomStringConvertible {
        public let bytes: [UInt8]
        /// Lower-case hexadecimal, 64 characters.
        public var hexString: String {
            let digits = Array("0123456789abcdef".utf8)
            var out: [UInt8] = []
            out.reserveCapacity(2 * bytes.count)
            for byte in bytes {
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0xf)])
            }
            return String(decoding: out, as: UTF8.self)
        }
        public var description: String { hexString }
    }
}
