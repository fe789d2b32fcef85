// SwiftPM links every executable's `main` to its top-level code, so libFuzzer's own `main` is not
// used: each target's main.swift hands the command line to libFuzzer's driver through this.
import CLibFuzzer
import Foundation

/// Runs libFuzzer (flags, corpus folders, -runs…) with `body` as the entry point, then exits.
public func runFuzzer(_ body: @escaping @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> Never {
    entry = body
    var arguments = CommandLine.argc
    var argv = CommandLine.unsafeArgv as UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    exit(LLVMFuzzerRunDriver(&arguments, &argv) { data, size in
        // libFuzzer may pass a null pointer for the empty input.
        var empty: UInt8 = 0
        guard let data else { return entry(&empty, 0) }
        return entry(data, size)
    })
}

/// The target's entry point, set once by `runFuzzer` before the driver starts (a C callback cannot capture).
nonisolated(unsafe) private var entry: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt = { _, _ in 0 }
