#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
private let systemWrite = Darwin.write
#endif

/// `read(2)` and `write(2)` with the retries every caller owes them: a call interrupted by a signal
/// (EINTR) is made again, and a write goes on after a short count. The one copy of these loops for the
/// project's readers and writers (the CLI's standard streams and input files, the JSON Lines splitter,
/// `AtomicFile`).
///
/// Failures come back as the `errno` value, taken right after the call: Swift code running between a
/// failed call and a later read of `errno` (a deallocation, say) may overwrite it.
public enum DescriptorIO {
    /// Reads at most `count` bytes into `buffer`.
    /// - Returns: the bytes read (0 at the end of the input) and 0, or -1 and the failure's `errno`.
    public static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> (count: Int, error: Int32) {
        while true {
            let result = systemRead(descriptor, buffer, count)
            if result >= 0 { return (result, 0) }
            let code = errno
            if code != EINTR { return (-1, code) }
        }
    }

    /// Writes every byte of `bytes`.
    /// - Returns: nil when all were written, else the failure's `errno` (EIO for a write that made no
    ///   progress, which would otherwise loop for ever).
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard var pointer = bytes.baseAddress else { return nil }
        var remaining = bytes.count
        while remaining > 0 {
            let written = systemWrite(descriptor, pointer, remaining)
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                return code
            }
            if written == 0 { return EIO }
            pointer += written
            remaining -= written
        }
        return nil
    }
}
