import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an atomic write really lands, checked before any work is done: symbolic links are followed (the link
/// stays and its target is replaced), only a regular file or a new name is accepted (never a FIFO, device,
/// directory or socket), the folder must exist and be writable, and an existing file's permission bits are
/// kept for the replacement.
public struct OutputPath: Equatable, Sendable {
    /// The path as given.
    public let requested: URL
    /// The file that is replaced: `requested` with every symbolic link followed.
    public let resolved: URL
    /// The existing file's permission bits, or nil for a new file (created 0644 minus the umask).
    public let existingMode: mode_t?

    /// Resolves and checks `url`.
    /// - Throws: `AtomicFile.WriteError` naming the path and why it cannot be written.
    public init(_ url: URL) throws {
        requested = url
        var path = url.path
        var hops = 0
        var info = stat()
        // What the path finally names, links followed by the kernel: /dev/stdout is a link to
        // /proc/self/fd/1, whose target ("pipe:[…]") is no path the loop below could follow.
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            throw AtomicFile.WriteError(
                path: url.path, reason: "it is \(Self.kind(of: info.st_mode)), not a regular file; only regular files are written")
        }
        while true {
            guard lstat(path, &info) == 0 else {
                guard errno == ENOENT else { throw AtomicFile.WriteError(path: url.path, reason: String(cString: strerror(errno))) }
                existingMode = nil
                break
            }
            if (info.st_mode & S_IFMT) == S_IFLNK {
                // /dev/stdout of a command run as `… -o /dev/stdout >> run.log` leads through /proc/self/fd/1 to
                // run.log, and replacing that file would wipe the log the shell appends to. Such links to a
                // process's open files live only in /proc (reached by any spelling: /dev/fd, a link to the fd
                // folder), so a link whose real folder is in /proc is never followed to a file to replace.
                if Self.isInProc(folderOf: path) {
                    throw AtomicFile.WriteError(
                        path: url.path, reason: "it leads through \(path) to a file a process has open (such as standard output), not a file to replace",
                        isOpenStream: true)
                }
                hops += 1
                guard hops <= 40 else { throw AtomicFile.WriteError(path: url.path, reason: "too many levels of symbolic links") }
                path = try Self.readLink(path, reportedAs: url.path)
                continue
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw AtomicFile.WriteError(
                    path: url.path, reason: "it is \(Self.kind(of: info.st_mode)), not a regular file; only regular files are written")
            }
            existingMode = info.st_mode & 0o7777
            break
        }
        resolved = URL(fileURLWithPath: path)
        let folder = resolved.deletingLastPathComponent().path
        var folderInfo = stat()
        guard stat(folder, &folderInfo) == 0 else {
            throw AtomicFile.WriteError(path: url.path, reason: "the folder \(folder) does not exist")
        }
        guard (folderInfo.st_mode & S_IFMT) == S_IFDIR else {
            throw AtomicFile.WriteError(path: url.path, reason: "\(folder) is not a folder")
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw AtomicFile.WriteError(path: url.path, reason: "the folder \(folder) is not writable")
        }
    }

    /// True when the folder holding `path`, every link resolved, is in /proc.
    private static func isInProc(folderOf path: String) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        guard let real = realpath(folder.isEmpty ? "." : folder, nil) else { return false }
        defer { free(real) }
        return String(cString: real).hasPrefix("/proc/")
    }

    /// The target of the symbolic link at `path`, made absolute against the link's folder.
    private static func readLink(_ path: String, reportedAs shown: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw AtomicFile.WriteError(path: shown, reason: String(cString: strerror(errno))) }
        let target = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if target.hasPrefix("/") { return target }
        return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(target).path
    }

    /// Why a folder could not be created, naming the part of the path at fault.
    public struct FolderError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot create the folder \(path): \(reason)" }
    }

    /// Creates the folder `path` and its missing parents, as `mkdir -p` does, for an output whose folder the
    /// program makes itself (a new profile's folder, the encoder's cache, a plot folder).
    /// - Throws: `FolderError` naming what is in the way ("…/x is a file, not a folder") or the system's
    ///   reason for the part at fault, where Foundation says "A file with the same name already exists."
    public static func createFolder(_ path: String) throws(FolderError) {
        try walkFolders(path, creating: true)
    }

    /// Checks, before any work, that `createFolder(path)` can succeed: every existing part of the path is a
    /// folder, and the last existing one is writable when something is still to be made in it.
    public static func checkFolderCanBeCreated(_ path: String) throws(FolderError) {
        try walkFolders(path, creating: false)
    }

    private static func walkFolders(_ path: String, creating: Bool) throws(FolderError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        var parent = path.hasPrefix("/") ? "/" : "."
        for part in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            var info = stat()
            if stat(prefix, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else {
                    let what = (info.st_mode & S_IFMT) == S_IFREG ? "a file" : kind(of: info.st_mode)
                    throw FolderError(path: path, reason: "\(prefix) is \(what), not a folder")
                }
                parent = prefix
                continue
            }
            guard creating else {
                guard access(parent, W_OK | X_OK) == 0 else { throw FolderError(path: path, reason: "the folder \(parent) is not writable") }
                return
            }
            if mkdir(prefix, 0o777) != 0 && errno != EEXIST {
                throw FolderError(path: path, reason: "\(prefix): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// "a FIFO", "a directory", … for messages.
    public static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFDIR: "a directory"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }
}
