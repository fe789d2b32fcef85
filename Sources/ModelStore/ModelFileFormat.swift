/// The constants of the model file layout (documented in Models/README.md, "File format").
///
///     magic "ARXDGMDL" (8) | version UInt32 | header length UInt32 | header JSON
///     | section count UInt32 | sections… | SHA-256 of everything before it (32)
///
/// Each section: name length UInt16, UTF-8 name, type tag UInt8, element count UInt64,
/// byte length UInt64, payload. All integers are little-endian.
public enum ModelFileFormat {
    /// The first 8 bytes of every model file.
    public static let magic: [UInt8] = Array("ARXDGMDL".utf8)
    /// The version this build writes, and the newest it reads.
    public static let currentVersion: UInt32 = 1
    /// Bytes of the trailing SHA-256.
    public static let checksumSize = SHA256.byteCount
    /// Magic, version, header length, section count and checksum with an empty header.
    public static let minimumFileSize = 8 + 4 + 4 + 4 + checksumSize
    /// Name length, type tag, element count and byte length before each section's name and payload.
    static let sectionFixedFieldsSize = 2 + 1 + 8 + 8
}
