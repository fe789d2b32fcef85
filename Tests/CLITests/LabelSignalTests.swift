import Foundation
import Glibc
import Testing
import TestSupport

/// `label` on a terminal switches it to raw mode; a signal that ends it must put the terminal back.
@Suite("label on a terminal")
struct LabelSignalTests {
    /// A pseudo-terminal pair: the master end (what a terminal emulator holds) and the slave end (the
    /// program's terminal).
    struct PseudoTerminal {
        let master: Int32
        let slave: Int32

        init() throws {
            // posix_openpt and friends need _XOPEN_SOURCE, which the Glibc module does not define; they are in
            // libc all the same.
            let libc = dlopen(nil, RTLD_NOW)
            func function<T>(_ name: String, as type: T.Type) throws -> T {
                unsafeBitCast(try #require(dlsym(libc, name), "no \(name) in libc"), to: type)
            }
            typealias OnDescriptor = @convention(c) (Int32) -> Int32
            let openMaster = try function("posix_openpt", as: OnDescriptor.self)
            let grant = try function("grantpt", as: OnDescriptor.self), unlock = try function("unlockpt", as: OnDescriptor.self)
            // ptsname_r, not ptsname: the two cases of the test run at once, and ptsname's static buffer let one
            // open the other's terminal (both labellers then read one terminal, and one took the other's key).
            typealias NameInto = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32
            let slaveName = try function("ptsname_r", as: NameInto.self)
            master = openMaster(O_RDWR | O_NOCTTY | O_CLOEXEC)
            try #require(master >= 0 && grant(master) == 0 && unlock(master) == 0)
            var name = [CChar](repeating: 0, count: 128)
            try #require(slaveName(master, &name, name.count) == 0)
            slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
            try #require(slave >= 0)
        }

        var localModes: tcflag_t {
            var settings = termios()
            tcgetattr(slave, &settings)
            return settings.c_lflag
        }

        func close() { Glibc.close(slave); Glibc.close(master) }
    }

    @Test("SIGINT (Ctrl-C), SIGQUIT (Ctrl-\\), SIGTERM or SIGUSR1 during label puts the terminal back as it was; the answer already given stays",
          arguments: [SIGINT, SIGQUIT, SIGTERM, SIGUSR1])
    func signalRestoresTerminal(signal: Int32) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let terminal = try PseudoTerminal()
        defer { terminal.close() }
        let before = terminal.localModes
        try #require(before & tcflag_t(ICANON) != 0 && before & tcflag_t(ECHO) != 0)

        let library = scratch.path("lib.sqlite")
        let (process, errors) = try Self.startLabel(["--feed", LoopData.sampleFeed.path, "--library", library, "--count", "3"], on: terminal)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        try Self.waitForRawMode(terminal, process)
        var key: UInt8 = Character("1").asciiValue!
        try #require(write(terminal.master, &key, 1) == 1)
        var stderr = ""
        let acknowledged = readText(errors.fileHandleForReading, into: &stderr) { $0.contains("labelled") }
        try #require(acknowledged, "the key press was not acknowledged: \(stderr)")
        try #require(process.isRunning, "label ended early: \(stderr)")

        kill(process.processIdentifier, signal)
        ProcessRunner.waitForExit(process, within: 60)
        // It dies of the signal, as a shell expects (status 128 + signal: 130 or 143).
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
        #expect(terminal.localModes == before, "the terminal was left in raw mode")
        #expect(try ReviewLabelTests.exportedLabels(library).count == 1)
    }

    /// Starts `label ARGUMENTS` with the terminal's slave end as its standard input.
    static func startLabel(_ arguments: [String], on terminal: PseudoTerminal, output: Any = FileHandle.nullDevice) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = try ProcessRunner.arxivDigestBinary()
        process.arguments = ["label"] + arguments
        process.standardInput = FileHandle(fileDescriptor: terminal.slave, closeOnDealloc: false)
        process.standardOutput = output
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        return (process, errors)
    }

    /// Raw mode is on once canonical input is off; only then is a key press read at once.
    static func waitForRawMode(_ terminal: PseudoTerminal, _ process: Process, on: Bool = true) throws {
        let start = Date()
        while (terminal.localModes & tcflag_t(ICANON) == 0) != on, process.isRunning, Date().timeIntervalSince(start) < 60 {
            Thread.sleep(forTimeInterval: 0.02)
        }
        try #require((terminal.localModes & tcflag_t(ICANON | ECHO) == 0) == on, on ? "label never switched the terminal to raw mode" : "raw mode was never left")
    }

    /// Runs `label ARGUMENTS` on a new terminal, types `keys` in one write once raw mode is on, and returns
    /// how it ended, what it showed (standard output) and its log (standard error).
    static func session(_ arguments: [String], typing keys: String) throws -> (status: Int32, screen: String, log: String) {
        try session(arguments, typing: [keys], pause: 0)
    }

    /// As `session(_:typing:)`, writing each of `pieces` `pause` seconds after the one before (a slow link).
    static func session(_ arguments: [String], typing pieces: [String], pause: TimeInterval) throws -> (status: Int32, screen: String, log: String) {
        let terminal = try PseudoTerminal()
        defer { terminal.close() }
        let screen = Pipe()
        let (process, errors) = try startLabel(arguments, on: terminal, output: screen)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        try waitForRawMode(terminal, process)
        for (index, piece) in pieces.enumerated() {
            if index > 0 { Thread.sleep(forTimeInterval: pause) }
            let bytes = Array(piece.utf8)
            try #require(write(terminal.master, bytes, bytes.count) == bytes.count)
        }
        ProcessRunner.waitForExit(process, within: 60)
        var log = ""
        _ = readText(errors.fileHandleForReading, into: &log) { _ in false }
        let shown = String(decoding: screen.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, shown, log)
    }

    @Test("arrows, function keys and a bracketed paste are one unknown key each, never labels; UTF-8 is one key; Ctrl-D ends")
    func escapeSequencesAreNoLabels() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let library = scratch.path("lib.sqlite")
        // F1 (SS3), Home and Delete (CSI: "2", "3" and "H" would be keys), a paste of "1 2 3", an "é", then Ctrl-D.
        let keys = "\u{1B}OP" + "\u{1B}[H" + "\u{1B}[3~" + "\u{1B}[200~1 2 3\u{1B}[201~" + "é" + "\u{04}"
        let run = try Self.session(["--feed", LoopData.sampleFeed.path, "--library", library, "--count", "3"], typing: keys)
        #expect(run.status == 0, "\(run.log)")
        #expect(!run.log.contains("labelled"), "a key of an escape sequence was taken as a label: \(run.log)")
        #expect(try ReviewLabelTests.exportedLabels(library).isEmpty)
        #expect(run.screen.components(separatedBy: "Unknown key (an arrow, function key or pasted text)").count - 1 == 4, "\(run.screen)")
        #expect(run.screen.contains("Unknown key \"é\""), "\(run.screen)")
        #expect(run.screen.contains("0 label(s) recorded"), "\(run.screen)")
    }

    @Test("a sequence split between reads after its introducer (a slow link): the rest is waited for, and never labels")
    func splitSequencesAreNoLabels() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let library = scratch.path("lib.sqlite")
        // Insert ("2" would label) split after "ESC [", and a paste of "1 2 3" split inside its start marker: each
        // byte of a sequence may take up to a second (ncurses' ESCDELAY), and the pieces come 0.1 s apart, twice the
        // 50 ms after which the labeller used to read "2" as a key. Last, a stray "ESC [" and Ctrl-D: the Ctrl-D
        // cannot belong to the sequence, so it is still read as the key that ends the session.
        let pieces = ["\u{1B}[", "2~", "\u{1B}[200", "~1 2 3\u{1B}[201~", "\u{1B}[\u{04}"]
        let run = try Self.session(["--feed", LoopData.sampleFeed.path, "--library", library, "--count", "3"], typing: pieces, pause: 0.1)
        #expect(run.status == 0, "\(run.log)")
        #expect(!run.log.contains("labelled"), "a key of a split escape sequence was taken as a label: \(run.log)")
        #expect(try ReviewLabelTests.exportedLabels(library).isEmpty)
        #expect(run.screen.components(separatedBy: "Unknown key (an arrow, function key or pasted text)").count - 1 == 3, "\(run.screen)")
    }

    @Test("the abstract wraps to the terminal's columns: a CJK character takes two, a combining mark none")
    func wrapsByColumns() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // 60 ideographs (120 columns) in words of 10, and 30 Latin words with combining accents (5 columns each).
        let cjk = (0..<6).map { _ in String(repeating: "\u{4E2D}", count: 10) }.joined(separator: " ")
        let accented = (0..<30).map { _ in "e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}" }.joined(separator: " ")
        let record = #"{"id":"9999.00002","title":"T","abstract":"\#(cjk) \#(accented)","published":"2026-01-01"}"#
        let papers = try scratch.write("papers.jsonl", record + "\n")
        let run = try Self.session(["--papers", papers.path, "--library", scratch.path("lib.sqlite")], typing: "q")
        #expect(run.status == 0, "\(run.log)")
        // Standard output is a pipe here, so the width is 80 columns: three CJK words (62 columns) to a line, where
        // counting characters put four (43 characters, 86 columns); and thirteen accented words (77 columns: a
        // combining mark takes none).
        let lines = run.screen.split(separator: "\n").map(String.init)
        let cjkWord = String(repeating: "\u{4E2D}", count: 10)
        #expect(lines.contains([cjkWord, cjkWord, cjkWord].joined(separator: " ")), "\(lines)")
        #expect(!lines.contains { $0.hasPrefix([cjkWord, cjkWord, cjkWord, cjkWord].joined(separator: " ")) }, "\(lines)")
        #expect(lines.contains { $0.unicodeScalars.filter { $0 == "e" }.count == 13 * 5 }, "\(lines)")
    }

    @Test("a paper's control characters are shown, not obeyed: no escape sequence of its text reaches the terminal")
    func paperTextIsNotObeyed() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let hostile = #"{"id":"9999.00001","title":"T \u001b]0;PWNED\u0007 \u009b2J","abstract":"A \u001b[2J \u001b]52;c;ZWNobw==\u0007 \u202eevil","published":"2026-01-01","authors":["Eve \u001b[31mRed"],"categories":["cs.NE\u001b[5m"]}"#
        let papers = try scratch.write("papers.jsonl", hostile + "\n")
        let run = try Self.session(["--papers", papers.path, "--library", scratch.path("lib.sqlite")], typing: "q")
        #expect(run.status == 0, "\(run.log)")
        #expect(!run.screen.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" },
                "\(run.screen.debugDescription)")
        #expect(run.screen.contains("T ␛]0;PWNED␇ \u{FFFD}2J") && run.screen.contains("Eve ␛[31mRed") && run.screen.contains("cs.NE␛[5m"), "\(run.screen)")
    }

    @Test("Ctrl-Z gives the shell its terminal settings back before label stops; fg (SIGCONT) puts raw mode back")
    func suspendAndResume() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let terminal = try PseudoTerminal()
        defer { terminal.close() }
        let before = terminal.localModes
        let library = scratch.path("lib.sqlite")
        let (process, _) = try Self.startLabel(["--feed", LoopData.sampleFeed.path, "--library", library, "--count", "3"], on: terminal)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        try Self.waitForRawMode(terminal, process)
        kill(process.processIdentifier, SIGTSTP)
        try Self.waitForRawMode(terminal, process, on: false)
        #expect(terminal.localModes == before)
        kill(process.processIdentifier, SIGCONT)
        try Self.waitForRawMode(terminal, process)
        var quit: UInt8 = Character("q").asciiValue!
        try #require(write(terminal.master, &quit, 1) == 1)
        ProcessRunner.waitForExit(process, within: 60)
        #expect(process.terminationStatus == 0)
        #expect(terminal.localModes == before)
    }
}
