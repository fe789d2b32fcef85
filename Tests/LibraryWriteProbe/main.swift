// Commits to a paper library in a loop, forever, for the SIGKILL test: each iteration records a
// fresh paper and labels it in two separate transactions, then prints how many labels are
// committed, so the parent knows what must survive the kill.
import ArxivFeed
import Foundation
import PaperLibrary

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: library-write-probe LIBRARY\n".utf8))
    exit(2)
}
do {
    let library = try PaperLibrary(url: URL(fileURLWithPath: CommandLine.arguments[1]))
    var count = try library.labels().count
    while true {
        let paper = Paper(id: "probe.\(count)", title: "Probe paper \(count)", abstract: String(repeating: "word ", count: 200), published: "2026-12-03")
        try library.recordPapers([paper], at: Date())
        try library.addLabel(paperID: paper.id, label: count % 2 == 0 ? "hardware" : "general", who: "probe", at: Date())
        count += 1
        FileHandle.standardOutput.write(Data("\(count)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("library-write-probe: \(error)\n".utf8))
    exit(1)
}
