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

    @Test("SIGINT (Ctrl-C) or SIGTERM during label puts the terminal back as it was; the answer already given stays",
          arguments: [SIGINT, SIGTERM])
    func signalRestoresTerminal(signal: Int32) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let terminal = try PseudoTerminal()
        defer { terminal.close() }
        let before = terminal.localModes
        try #require(before & tcflag_t(ICANON) != 0 && before & tcflag_t(ECHO) != 0)

        let library = scratch.path("lib.sqlite")
        let process = Process()
        process.executableURL = try ProcessRunner.arxivDigestBinary()
        process.arguments = ["label", "--feed", LoopData.sampleFeed.path, "--library", library, "--count", "3"]
        process.standardInput = FileHandle(fileDescriptor: terminal.slave, closeOnDealloc: false)
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // Raw mode is on once canonical input is off; only then is a key press read at once.
        let start = Date()
        while terminal.localModes & tcflag_t(ICANON) != 0, process.isRunning, Date().timeIntervalSince(start) < 60 {
            Thread.sleep(forTimeInterval: 0.02)
        }
        try #require(terminal.localModes & tcflag_t(ICANON | ECHO) == 0, "label never switched the terminal to raw mode")
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
}
