import ArgumentParser
import Foundation

/// `--progress`: show progress lines even when standard error is not a terminal.
struct ProgressOptions: ParsableArguments {
    // The step bars (a cross-validation fold, a grid point, an encoded batch: `ProgressBar`) are few lines
    // and always written, so logs show where a long run is; this flag is for the running counters.
    @Flag(help: "Show the running progress of long steps (reading, vectorising, the fit) on standard error even when it is not a terminal (shown on a terminal anyway; the one-line-per-step bars such as each cross-validation fold are always written).")
    var progress = false

    /// A progress line for one step, silent unless standard error is a terminal or `--progress` was given.
    func line(_ title: String) -> ProgressLine {
        ProgressLine(title, enabled: progress || isatty(STDERR_FILENO) != 0, terminal: isatty(STDERR_FILENO) != 0)
    }
}

/// One long step's progress on standard error: on a terminal a single line redrawn in place, else
/// one line per update. Updates come at most once a second (the first and the last always show),
/// so a fast loop costs nothing and a log stays short.
final class ProgressLine {
    private let title: String
    private let enabled: Bool
    private let terminal: Bool
    private let start = Date()
    private var lastShown: Date?

    init(_ title: String, enabled: Bool, terminal: Bool) {
        self.title = title
        self.enabled = enabled
        self.terminal = terminal
    }

    /// Shows `status` unless the last update was under a second ago.
    func update(_ status: String) {
        guard enabled else { return }
        let now = Date()
        if let lastShown, now.timeIntervalSince(lastShown) < 1 { return }
        lastShown = now
        show(status, final: false)
    }

    /// Shows the step's last line (always), with the time it took.
    func finish(_ status: String) {
        guard enabled else { return }
        show(status + String(format: " (%.1f s)", Date().timeIntervalSince(start)), final: true)
    }

    private func show(_ status: String, final: Bool) {
        let text = "\(title): \(status)"
        if terminal {
            StandardStreams.logPart("\r\u{1B}[K" + text + (final ? "\n" : ""))
        } else {
            StandardStreams.log(text)
        }
    }
}
