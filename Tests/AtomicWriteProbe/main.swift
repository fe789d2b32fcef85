// atomic-write-probe PATH BYTES VALUE [ROUNDS]
//
// Rewrites PATH with BYTES copies of the byte VALUE (0-255) using AtomicFile.write, ROUNDS times
// (0 or absent: until killed), printing "round N" after each completed write. The SIGKILL tests
// kill it mid-write and check that PATH holds either the old or the new content, never a mix.
import AtomicFiles
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 4 || arguments.count == 5,
      let size = Int(arguments[2]), size >= 0,
      let value = UInt8(arguments[3]),
      let rounds = arguments.count == 5 ? Int(arguments[4]) : 0, rounds >= 0
else {
    FileHandle.standardError.write(Data("usage: atomic-write-probe PATH BYTES VALUE [ROUNDS]\n".utf8))
    exit(2)
}
let target = URL(fileURLWithPath: arguments[1])
let content = Data(repeating: value, count: size)
var round = 0
while rounds == 0 || round < rounds {
    do {
        try AtomicFile.write(content, to: target)
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exit(1)
    }
    round += 1
    print("round \(round)")
    fflush(stdout)
}
