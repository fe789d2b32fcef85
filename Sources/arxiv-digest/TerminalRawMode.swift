import AtomicFiles
import Foundation

/// Raw terminal mode for the labeller: one key press is read at once, without Enter and without
/// echo. The only file that touches termios; the previous settings come back in `restore()`, and
/// also when SIGINT (Ctrl-C), SIGTERM or SIGHUP ends the process (which then dies of the signal, so
/// a shell reports 130 or 143).
final class TerminalRawMode {
    private let saved: termios
    private let fd: Int32
    private let signalToken: Int

    /// Switches `fd` to raw mode, or returns nil when it is not a terminal.
    init?(fd: Int32 = STDIN_FILENO) {
        var saved = termios()
        guard isatty(fd) != 0, tcgetattr(fd, &saved) == 0 else { return nil }
        self.fd = fd
        self.saved = saved
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        // VMIN = 1, VTIME = 0: read returns as soon as one byte is there.
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        // The process's signal handling (AtomicFiles) puts the settings back before the process dies.
        let original = saved
        signalToken = TemporaryFileRegistry.atTerminatingSignal {
            var settings = original
            tcsetattr(fd, TCSAFLUSH, &settings)
            // The prompt of the shell starts on its own line.
            var newline: UInt8 = 10
            _ = write(STDOUT_FILENO, &newline, 1)
        }
        tcsetattr(fd, TCSAFLUSH, &raw)
    }

    /// Waits for one key and returns it (nil at end of input).
    func readKey() -> Character? {
        var byte: UInt8 = 0
        guard DescriptorIO.read(fd, into: &byte, count: 1).count == 1 else { return nil }
        return Character(Unicode.Scalar(byte))
    }

    func restore() {
        var settings = saved
        tcsetattr(fd, TCSAFLUSH, &settings)
        TemporaryFileRegistry.cancelAtTerminatingSignal(signalToken)
    }

    deinit { restore() }
}
