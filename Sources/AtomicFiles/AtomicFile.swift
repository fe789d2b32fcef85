import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers only ever see the old contents or the new, never a mix:
/// the bytes go to a temporary file beside the target, are flushed to disk, and then replace
/// the target with one `rename(2)`. A process killed part-way leaves the target untouched.
public enum AtomicFile {
    /// A write that failed: the target path and why.
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        /// The path leads to a file a process has open, through /proc (`/dev/stdout`): a caller that can write
        /// to standard output may say how.
        public var isOpenStream = false
        public var description: String { "cannot write \(path): \(reason)" }

        public init(path: String, reason: String, isOpenStream: Bool = false) {
            self.path = path
            self.reason = reason
            self.isOpenStream = isOpenStream
        }
    }

    /// The prefix of every temporary file, so that stale ones can be recognised and removed.
    static func temporaryPrefix(for target: URL) -> String { "." + shortened(target.lastPathComponent) + ".partial-" }

    /// `name` cut to at most `maxBytes` UTF-8 bytes at a character boundary, for a temporary name made from
    /// it: a file name may have 255 bytes, and the temporary one adds about 55 to the target's.
    public static func shortened(_ name: String, maxBytes: Int = 180) -> String {
        guard name.utf8.count > maxBytes else { return name }
        var result = ""
        for character in name {
            guard result.utf8.count + character.utf8.count <= maxBytes else { break }
            result.append(character)
        }
        return result
    }

    /// Replaces the file at `url` with `data`, atomically.
    public static func write(_ data: Data, to url: URL) throws {
        let writer = try AtomicFileWriter(replacing: url)
        try writer.write(data)
        try writer.commit()
    }

    /// Replaces several files as far as the system allows all-or-nothing: each is written to its temporary
    /// file and flushed before any is renamed into place, so a failed write or flush (a full disk) leaves every
    /// old file as it was.
    public static func writeAll(_ files: [(url: URL, data: Data)]) throws {
        let writers = try files.map { try AtomicFileWriter(replacing: $0.url) }
        for (writer, file) in zip(writers, files) { try writer.write(file.data) }
        for writer in writers { try writer.flush() }
        for writer in writers { try writer.commit() }
    }

    /// Flushes the directory entry so the rename itself survives a power loss, not only a killed
    /// process. Best effort: some file systems refuse to fsync a directory, and the data is safe anyway.
    static func syncDirectory(_ directory: URL) {
        let fd = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Replaces the file at `url` with `text` encoded as UTF-8, atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Removes temporary files left beside `url` by writers that were killed: those whose
    /// process id is no longer alive. A live writer's file is left alone.
    public static func removeStaleTemporaries(for url: URL) {
        let directory = url.deletingLastPathComponent()
        let prefix = temporaryPrefix(for: url)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let pid = Int32(rest.prefix(while: { $0 != "-" })) else { continue }
            if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
                unlink(directory.appendingPathComponent(name).path)
            }
        }
    }
}

/// Streams a file into place atomically: bytes go to a temporary file beside the target as they
/// come, and `commit()` flushes it and renames it over the target. Until then (and if the process
/// dies, or the writer is dropped without committing) the target keeps its old contents.
///
/// The target is checked first (`OutputPath`): a symbolic link is followed and its target replaced, anything
/// but a regular file or a new name is refused, and an existing file's permission bits are kept.
public final class AtomicFileWriter {
    /// The path as given.
    public let url: URL
    /// The file actually replaced (symbolic links followed).
    private let target: URL
    private let temporary: URL
    private var fd: Int32
    private var finished = false
    private var flushed = false

    /// Opens a temporary file beside `url`'s real target, removing stale ones left by killed writers.
    public init(replacing url: URL) throws {
        self.url = url
        let output = try OutputPath(url)
        target = output.resolved
        AtomicFile.removeStaleTemporaries(for: target)
        temporary = target.deletingLastPathComponent().appendingPathComponent(
            AtomicFile.temporaryPrefix(for: target) + String(getpid()) + "-" + UUID().uuidString)
        let path = temporary.path
        fd = TemporaryFileRegistry.create(path) { open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw AtomicFile.WriteError(path: url.path, reason: String(cString: strerror(errno))) }
        if let mode = output.existingMode { _ = fchmod(fd, mode) }
    }

    deinit { if !finished { abort() } }

    /// Appends `data` to the temporary file.
    public func write(_ data: Data) throws {
        precondition(!finished && !flushed, "write after flush, commit or abort")
        if let code = data.withUnsafeBytes({ DescriptorIO.writeAll(fd, $0) }) {
            abort()
            throw AtomicFile.WriteError(path: url.path, reason: String(cString: strerror(code)))
        }
    }

    /// Flushes the bytes to disk without putting the file in place: the step that fails on a full disk
    /// whose blocks were only reserved, so a caller replacing several files flushes them all before it
    /// renames any (`commit()` then only renames). On failure the temporary file is removed.
    public func flush() throws {
        precondition(!finished && !flushed, "flush after flush, commit or abort")
        if fsync(fd) != 0 {
            let failure = String(cString: strerror(errno))
            abort()
            throw AtomicFile.WriteError(path: url.path, reason: failure)
        }
        flushed = true
    }

    /// Flushes the bytes to disk (unless `flush()` did) and puts the file in place of the target.
    public func commit() throws {
        precondition(!finished, "commit after commit or abort")
        finished = true
        var failure: String?
        if !flushed, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if failure == nil, rename(temporary.path, target.path) != 0 { failure = String(cString: strerror(errno)) }
        TemporaryFileRegistry.remove(temporary.path)
        if let failure {
            unlink(temporary.path)
            throw AtomicFile.WriteError(path: url.path, reason: failure)
        }
        AtomicFile.syncDirectory(target.deletingLastPathComponent())
    }

    /// Drops what was written; the target stays as it was.
    public func abort() {
        guard !finished else { return }
        finished = true
        close(fd)
        unlink(temporary.path)
        TemporaryFileRegistry.remove(temporary.path)
    }
}
