import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A finished child process and the most memory it ever held resident.
public struct MeasuredProcessResult: Sendable {
    public let result: ProcessResult
    /// The child's peak resident set size (`ru_maxrss` from `wait4`), in bytes.
    public let peakResidentBytes: Int
    public var peakResidentMiB: Double { Double(peakResidentBytes) / Double(1 << 20) }
}

extension ProcessRunner {
    /// Runs `executable` to completion like `run` (standard input empty) and reports its peak resident memory.
    ///
    /// The peak comes from the kernel's accounting of that one child (`wait4`), so it does not depend on when
    /// it is read, nor on other tests running in this process. Foundation's `Process` reaps its children itself,
    /// so this spawns with `posix_spawn` and waits with `wait4`; output goes through temporary files.
    public static func runMeasuringPeakMemory(_ executable: URL, _ arguments: [String]) throws -> MeasuredProcessResult {
        let folder = try SharedData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outPath = folder.appendingPathComponent("stdout").path, errPath = folder.appendingPathComponent("stderr").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { environment.forEach { free($0) } }

        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, environment)
        guard spawned == 0 else { throw SpawnFailed(program: executable.path, code: spawned) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw SpawnFailed(program: executable.path, code: errno) }
        }
        // The status word: low 7 bits the signal (0 when the child exited), the next byte its exit code.
        // Like `Process.terminationStatus`, a killed child reports its signal's number.
        let signal = status & 0x7f
        let exitCode = signal == 0 ? (status >> 8) & 0xff : signal
        let result = ProcessResult(status: exitCode, stdout: try Data(contentsOf: URL(fileURLWithPath: outPath)),
                                   stderr: try Data(contentsOf: URL(fileURLWithPath: errPath)))
        return MeasuredProcessResult(result: result, peakResidentBytes: usage.ru_maxrss * 1024)  // Linux: KiB
    }

    /// `posix_spawn` or `wait4` failed.
    public struct SpawnFailed: Error, CustomStringConvertible {
        public let program: String
        public let code: Int32
        public var description: String { "cannot run \(program): \(String(cString: strerror(code)))" }
    }
}
