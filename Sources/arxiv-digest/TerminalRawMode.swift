import Foundation

/// Raw terminal mode for the labeller: one key press is read at once, without Enter and without
/// echo. The only file that touches termios; the previous settings come back in `restore()`.
final class TerminalRawMode {
    private var saved = termios()
    private let fd: Int32

    /// Switches `fd` to raw mode, or returns nil when it is not a terminal.
    init?(fd: Int32 = STDIN_FILENO) {
        guard isatty(fd) != 0, tcgetattr(fd, &saved) == 0 else { return nil }
        self.fd = fd
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        // VMIN = 1, VTIME = 0: read returns as soon as one byte is there.
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        tcsetattr(fd, TCSAFLUSH, &raw)
    }

    /// Waits for one key and returns it (nil at end of input).
    func readKey() -> Character? {
        var byte: UInt8 = 0
        guard read(fd, &byte, 1) == 1 else { return nil }
        return Character(Unicode.Scalar(byte))
    }

    func restore() { tcsetattr(fd, TCSAFLUSH, &saved) }

    deinit { restore() }
}
