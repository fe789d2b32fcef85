import ArgumentParser
import ArxivFeed
import AtomicFiles
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Checks on an input path before it is opened, so that a typo or a folder gives one clear line instead of a
/// system error dump.
enum InputFile {
    /// The first two bytes of gzip data.
    static let gzipMagic: [UInt8] = [0x1F, 0x8B]

    /// Most bytes read from a pipe or a device, whose size is not known before reading (`/dev/zero`
    /// would otherwise fill the memory); far above any feed or digest.
    static let maxStreamBytes = 256 << 20

    /// Throws a usage error naming `option` when one of `paths` is empty: as a path, "" would read the
    /// working folder ("it is a directory") or nothing ("cannot read : …").
    static func refuseEmpty(_ paths: [String], option: String) throws {
        if paths.contains(where: \.isEmpty) { throw ValidationError("\(option) is empty; give a file name.") }
    }

    /// Throws a `CLIError` when `path` does not exist, is a directory, or cannot be read.
    static func check(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw CLIError("cannot read \(path): it is a directory, not a file") }
        guard access(path, R_OK) == 0 else { throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))") }
    }

    /// A bound on what one input may hold, and what the input is, for the message.
    struct SizeLimit {
        let bytes: Int
        let what: String

        /// An Atom feed file: no larger than the parser accepts, refused before it is read.
        static let atomFeed = SizeLimit(bytes: AtomFeedLimits().maxBytes, what: "an Atom feed")
        /// A digest page or an answers file: a few hundred KB for a 30-paper digest; 64 MiB holds thousands
        /// of papers, where a larger file is another file given by mistake (it would be read whole, and copied).
        static let textPage = SizeLimit(bytes: 64 << 20, what: "a digest or answers file")
    }

    /// The whole content of `path`: a regular file, or a pipe, FIFO or character device
    /// (`<(…)`, `/dev/stdin`, `/dev/null`) read once to its end, which Foundation's
    /// `Data(contentsOf:)` refuses with a false "permission" error. With a `limit`, a larger regular file
    /// is refused by its size before any byte is read, and a stream once it passes it.
    static func contents(of path: String, limit: SizeLimit? = nil) throws -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))") }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            throw CLIError("cannot read \(path): it is a directory, not a file")
        case S_IFREG:
            if let limit, Int(info.st_size) > limit.bytes {
                throw CLIError("cannot read \(path): it is \(info.st_size) bytes, over the \(limit.bytes >> 20) MiB limit for \(limit.what)")
            }
            // Files of /proc report size 0 and are read to their end like a stream.
            return try readToEnd(fd, path: path, expected: Int(info.st_size), limit: limit)
        case S_IFIFO, S_IFCHR:
            return try readToEnd(fd, path: path, expected: 0, limit: limit ?? SizeLimit(bytes: maxStreamBytes, what: "a pipe or device (save it to a file first)"))
        default:
            throw CLIError("cannot read \(path): it is not a file, a pipe or a character device")
        }
    }

    /// Reads `fd` to its end, at most `limit`'s bytes.
    private static func readToEnd(_ fd: Int32, path: String, expected: Int, limit: SizeLimit?) throws -> Data {
        var data = Data(capacity: expected)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let (count, error) = buffer.withUnsafeMutableBytes { DescriptorIO.read(fd, into: $0.baseAddress!, count: $0.count) }
            if count == 0 { return data }
            if count < 0 { throw CLIError("cannot read \(path): \(String(cString: strerror(error)))") }
            data.append(contentsOf: buffer[0..<count])
            if let limit, data.count > limit.bytes {
                throw CLIError("cannot read \(path): more than \(limit.bytes >> 20) MiB, the limit for \(limit.what)")
            }
        }
    }
}

/// Reads a whole input file, with an error that names it (a missing file, a directory, gzip-compressed
/// data); pipes and devices are read too (``InputFile/contents(of:)``).
func readFile(_ url: URL, limit: InputFile.SizeLimit? = nil) throws -> Data {
    try InputFile.check(url.path)
    let data = try InputFile.contents(of: url.path, limit: limit)
    if data.starts(with: InputFile.gzipMagic) {
        throw CLIError("\(url.path) is gzip-compressed; decompress it first (gunzip -k \(url.path))")
    }
    return data
}
