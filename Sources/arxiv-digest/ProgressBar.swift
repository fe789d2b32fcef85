import Foundation

/// A progress bar on standard error: redrawn in place on a terminal, one line per step otherwise
/// (so logs stay readable). Standard output is left alone for data.
struct ProgressBar {
    let title: String
    private let isTerminal = isatty(STDERR_FILENO) != 0

    init(_ title: String) { self.title = title }

    func update(_ done: Int, of total: Int) {
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = "\(title) [\(bar)] \(done)/\(total)"
        if isTerminal {
            StandardStreams.logPart("\r" + line + (done == total ? "\n" : ""))
        } else {
            StandardStreams.log(line)
        }
    }
}
