import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Checks on an input path before it is opened, so that a typo or a folder gives one clear line instead of a
/// system error dump.
enum InputFile {
    /// The first two bytes of gzip data.
    static let gzipMagic: [UInt8] = [0x1F, 0x8B]

    /// Throws a `CLIError` when `path` does not exist, is a directory, or cannot be read.
    static func check(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw CLIError("cannot read \(path): it is a directory, not a file") }
        guard access(path, R_OK) == 0 else { throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))") }
    }

    /// The system's reason for a failed read, without Foundation's error dump.
    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
