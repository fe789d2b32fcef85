// SwiftPM links every executable's `main` to its top-level code, so libFuzzer's own `main` is not
// used: this hands the command line to libFuzzer's driver instead (flags, corpus folders, -runs…).
import CLibFuzzer
import Foundation

var arguments = CommandLine.argc
var argv = CommandLine.unsafeArgv as UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
exit(LLVMFuzzerRunDriver(&arguments, &argv) { data, size in
    // libFuzzer may pass a null pointer for the empty input.
    var empty: UInt8 = 0
    guard let data else { return fuzz(&empty, 0) }
    return fuzz(data, size)
})
