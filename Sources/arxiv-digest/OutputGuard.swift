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
    static func check(_ output: String?, option: String, inputs: [Input]) throws {
        guard let output, output != "-" else { return }
        do {
            _ = try OutputPath(URL(fileURLWithPath: output))
        } catch let error as AtomicFile.WriteError {
            throw CLIError("\(option) \(error)")
        }
        guard let outputID = identity(output) else { return }
        for input in inputs where identity(input.path) == outputID {
            throw CLIError("\(option) \(output) is the input \(input.option) \(input.path): writing it would destroy that input; choose another output file")
        }
    }

    /// Device and inode of the file at `path` (symbolic links followed), or nil when there is none.
    static func identity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }
}

extension Array where Element == OutputGuard.Input {
    /// One input per path, all named by `option`.
    static func named(_ option: String, _ paths: [String?]) -> [OutputGuard.Input] {
        paths.compactMap { $0.map { OutputGuard.Input(option: option, path: $0) } }
    }
}
