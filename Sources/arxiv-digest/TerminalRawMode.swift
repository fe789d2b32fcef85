import AtomicFiles
import Dispatch
import Foundation

/// Raw terminal mode for the labeller: one key press is read at once, without Enter and without
/// echo. The only file that touches termios; the previous settings come back in `restore()`, and
/// also when a signal ends the process (SIGINT from Ctrl-C, SIGQUIT from Ctrl-\, SIGTERM, SIGHUP, …;
/// it then dies of the signal, so a shell reports 130 or 143). Ctrl-Z gives the shell its settings
/// back before the process stops, and `fg` puts raw mode back.
final class TerminalRawMode {
    /// What `readKey` returns for an escape sequence (an arrow or function key) or a bracketed paste:
    /// one unknown key, never its bytes one by one (`ESC [ 2 ~` would otherwise be the key 2).
    static let escapeSequence = "\u{1B}"

    private let saved: termios
    private let raw: termios
    private let fd: Int32
    private let signalToken: Int
    private var jobControl: [DispatchSourceSignal] = []
    private var restored = false
    /// A byte read while looking for the end of an escape sequence that turned out not to belong to it: the
    /// next key (Enter or Ctrl-D typed after a stray `ESC [`).
    private var pushedBack: UInt8?

    /// Bracketed paste: the terminal marks pasted text (ESC [200~ … ESC [201~), so it is dropped as one
    /// unknown key instead of being taken as a key per character.
    private static let pasteOn = "\u{1B}[?2004h", pasteOff = "\u{1B}[?2004l"

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
        self.raw = raw
        // The process's signal handling (AtomicFiles) puts the settings back before the process dies.
        let original = saved
        signalToken = TemporaryFileRegistry.atTerminatingSignal {
            Self.apply(original, to: fd, paste: Self.pasteOff)
            // The prompt of the shell starts on its own line.
            var newline: UInt8 = 10
            _ = write(STDOUT_FILENO, &newline, 1)
        }
        Self.apply(raw, to: fd, paste: Self.pasteOn)
        watchJobControl()
    }

    private static func apply(_ settings: termios, to fd: Int32, paste: String) {
        var settings = settings
        tcsetattr(fd, TCSAFLUSH, &settings)
        // To the terminal itself (a terminal's descriptor reads and writes), not to standard output, which
        // may be a file.
        _ = paste.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
    }

    /// Ctrl-Z (SIGTSTP): the shell's settings back, then stop; SIGCONT (`fg`): raw mode again.
    private func watchJobControl() {
        let (fd, saved, raw) = (fd, saved, raw)
        signal(SIGTSTP, SIG_IGN)
        let stop = DispatchSource.makeSignalSource(signal: SIGTSTP, queue: .global())
        stop.setEventHandler {
            Self.apply(saved, to: fd, paste: Self.pasteOff)
            kill(getpid(), SIGSTOP)
        }
        // SIGCONT continues the process whatever its disposition; ignored, it only reaches the source.
        signal(SIGCONT, SIG_IGN)
        let resume = DispatchSource.makeSignalSource(signal: SIGCONT, queue: .global())
        resume.setEventHandler { Self.apply(raw, to: fd, paste: Self.pasteOn) }
        for source in [stop, resume] {
            source.resume()
            jobControl.append(source)
        }
    }

    /// Waits for one key and returns it: a character (all bytes of a UTF-8 sequence), or
    /// ``escapeSequence`` for an arrow, function key or paste; nil at end of input or Ctrl-D.
    func readKey() -> String? {
        guard let byte = readByte() else { return nil }
        switch byte {
        case 0x04:
            return nil  // Ctrl-D: end of input, as in a shell
        case 0x1B:
            skipEscapeSequence()
            return Self.escapeSequence
        case 0xC0...0xF7:
            var bytes = [byte]
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            while bytes.count < length, let next = readByte(waiting: true) {
                bytes.append(next)
                guard next & 0xC0 == 0x80 else { break }
            }
            return String(decoding: bytes, as: UTF8.self)
        default:
            return String(Character(Unicode.Scalar(byte)))
        }
    }

    /// One byte; with `waiting` false only if one arrives within ``escapeDelayMilliseconds`` (what tells the
    /// Esc key alone from the start of a sequence).
    private func readByte(waiting: Bool = true) -> UInt8? {
        if let byte = pushedBack {
            pushedBack = nil
            return byte
        }
        if !waiting {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Self.escapeDelayMilliseconds) == 1 else { return nil }
        }
        var byte: UInt8 = 0
        guard DescriptorIO.read(fd, into: &byte, count: 1).count == 1 else { return nil }
        return byte
    }

    /// How long each byte after Esc may take to count as part of one sequence: ncurses' default `ESCDELAY`. A
    /// slow link (ssh) can split a sequence between reads; the Esc key itself labels nothing, so waiting
    /// costs only a late "unknown key", where a short wait (50 ms before) let the rest of a sequence (`[2~`) be
    /// read as keys. Keys typed within that second of Esc are taken into the sequence, never as labels.
    static let escapeDelayMilliseconds: Int32 = 1000

    /// Most parameter and intermediate bytes read for one control sequence before it is taken as broken.
    static let maxSequenceLength = 32

    /// Consumes the rest of an escape sequence: `ESC [ … final`, `ESC O x`, `ESC x`, or a whole bracketed
    /// paste `ESC [200~ … ESC [201~`. Each byte may take up to ``escapeDelayMilliseconds``; a pause longer than
    /// that ends the sequence (a stray `ESC [` typed by hand), and a byte that cannot belong to it (Enter, Ctrl-D)
    /// is left to be read as the next key.
    private func skipEscapeSequence() {
        guard let kind = readByte(waiting: false) else { return }  // the Esc key alone
        switch kind {
        case UInt8(ascii: "["):
            var parameters: [UInt8] = []
            while parameters.count < Self.maxSequenceLength, let next = readByte(waiting: false) {
                if (0x40...0x7E).contains(next) {
                    if next == UInt8(ascii: "~"), parameters == Array("200".utf8) { skipPaste() }
                    return
                }
                // Parameter and intermediate bytes are 0x20–0x3F.
                guard (0x20...0x3F).contains(next) else {
                    pushedBack = next
                    return
                }
                parameters.append(next)
            }
        case UInt8(ascii: "O"):
            _ = readByte(waiting: false)
        default:
            return
        }
    }

    /// Reads and drops pasted bytes up to the end marker ESC [201~.
    private func skipPaste() {
        let end = Array("\u{1B}[201~".utf8)
        var matched = 0
        while let next = readByte(waiting: true) {
            matched = next == end[matched] ? matched + 1 : (next == end[0] ? 1 : 0)
            if matched == end.count { return }
        }
    }

    func restore() {
        guard !restored else { return }
        restored = true
        for source in jobControl { source.cancel() }
        signal(SIGTSTP, SIG_DFL)
        signal(SIGCONT, SIG_DFL)
        Self.apply(saved, to: fd, paste: Self.pasteOff)
        TemporaryFileRegistry.cancelAtTerminatingSignal(signalToken)
    }

    deinit { restore() }
}
