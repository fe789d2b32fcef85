import AtomicFiles
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The checks every command makes on its output path before doing any work: the path can be written
/// (`OutputPath`: a regular file or a new name in an existing, writable folder), and it is none of the
/// command's inputs. Inputs are compared by device and inode, so another spelling, a hard link or a symbolic
/// link to an input is caught too.
enum OutputGuard {
    /// An input file and the option that named it, for messages.
    struct Input {
        let option: String
        let path: String
    }

    /// Throws a `CLIError` when `output` (a path; nil or `-` means standard output) cannot be written or is
    /// one of `inputs`.
    static func check(_ output: String?, option: String, inputs: [Input], standardOutputAllowed: Bool = true) throws {
        guard let output, output != "-" else { return }
        guard !output.isEmpty else { throw CLIError("\(option) is empty; give a file name") }
        // A trailing slash names a folder; the write would drop it and make a file of that name.
        guard !output.hasSuffix("/") else { throw CLIError("\(option) \(output) ends in /, which names a folder; give a file name") }
        do {
            _ = try OutputPath(URL(fileURLWithPath: output))
        } catch let error as AtomicFile.WriteError {
            let hint = error.isOpenStream && standardOutputAllowed ? "; to write to standard output, leave \(option) out or give -" : ""
            throw CLIError("\(option) \(error)\(hint)")
        }
        try refuseInputs(Input(option: option, path: output), inputs: inputs)
    }

    /// `check` for an output that must be a file: `-` (standard output elsewhere) is refused rather than
    /// written as a file named `-`.
    static func checkFile(_ output: String?, option: String, inputs: [Input]) throws {
        if output == "-" { throw CLIError("\(option) -: this output is written to a file, not to standard output; give a file name") }
        try check(output, option: option, inputs: inputs, standardOutputAllowed: false)
    }

    /// Throws a `CLIError` when two of one command's `outputs` are the same file (another spelling, a link):
    /// the second write would replace the first. Call after checking each with `check`.
    static func checkDistinct(_ outputs: [Input]) throws {
        if let (later, earlier) = firstSameFile(outputs) {
            throw CLIError("\(later.option) \(later.path) is the same file as \(earlier.option) \(earlier.path): one would replace the other; choose two different files")
        }
    }

    /// The first of `outputs` that lands on the same file as an earlier one, with that earlier one.
    static func firstSameFile(_ outputs: [Input]) -> (later: Input, earlier: Input)? {
        var claimed: [FileLocation.Key: Input] = [:]
        for output in outputs {
            let key = FileLocation.key(output.path)
            if let earlier = claimed[key] { return (output, earlier) }
            claimed[key] = output
        }
        return nil
    }

    /// Throws when `output` is one of `inputs`, also one that does not exist yet (such as a new library).
    static func refuseInputs(_ output: Input, inputs: [Input]) throws {
        guard let location = FileLocation(output.path) else { return }
        for input in inputs where FileLocation(input.path) == location {
            throw CLIError("\(output.option) \(output.path) is the input \(input.option) \(input.path): writing it would destroy that input; choose another output file")
        }
    }

    /// Device and inode of the file at `path` (symbolic links followed), or nil when there is none.
    /// The path is looked up as the commands open it, through `URL(fileURLWithPath:)`, which drops
    /// `missing/..` from a relative path as text: stat() on the raw `missing/../in.xml` fails, but the
    /// write would replace `in.xml`.
    static func identity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(writtenPath(path), &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    /// `path` as the commands open it.
    private static func writtenPath(_ path: String) -> String { URL(fileURLWithPath: path).path }
}

/// Where a path lands, to tell whether two paths name one file: an existing file's device and inode (symbolic
/// links followed), or for a new name its folder's device and inode and the name.
struct FileLocation: Hashable {
    let device: UInt64
    let inode: UInt64
    /// The name in the folder `device`/`inode`, for a file that does not exist yet.
    let newName: String?

    /// Nil when neither the file nor its folder exists.
    init?(_ path: String) {
        if let identity = OutputGuard.identity(path) {
            (device, inode, newName) = (identity[0], identity[1], nil)
            return
        }
        // A dangling symbolic link lands where it points.
        let resolved = (try? OutputPath(URL(fileURLWithPath: path)).resolved) ?? URL(fileURLWithPath: path)
        guard let folder = OutputGuard.identity(resolved.deletingLastPathComponent().path) else { return nil }
        (device, inode, newName) = (folder[0], folder[1], resolved.lastPathComponent)
    }

    /// What two paths share when they name one file: the location, or for a path whose folder does not exist
    /// yet (a plot folder still to be created) the path itself, written out.
    enum Key: Hashable {
        case location(FileLocation)
        case path(String)
    }

    static func key(_ path: String) -> Key {
        FileLocation(path).map(Key.location) ?? .path(URL(fileURLWithPath: path).standardizedFileURL.path)
    }
}

extension Array where Element == OutputGuard.Input {
    /// One input per path, all named by `option`.
    static func named(_ option: String, _ paths: [String?]) -> [OutputGuard.Input] {
        paths.compactMap { $0.map { OutputGuard.Input(option: option, path: $0) } }
    }

    /// A paper library and the files SQLite keeps beside it while it writes (the rollback journal, or the
    /// WAL and its shared memory): an output replacing one of those would vanish or break the library.
    static func library(_ option: String, _ path: String?) -> [OutputGuard.Input] {
        guard let path else { return [] }
        return named(option, ["", "-journal", "-wal", "-shm"].map { path + $0 })
    }
}
