import Foundation
import Testing
import TestSupport

/// The runner every CLI test goes through: a program that hangs must fail its test, not hold up the run.
@Suite("ProcessRunner")
struct ProcessRunnerTests {
    @Test("a program still running at its deadline is killed and reported")
    func deadline() throws {
        let shell = URL(fileURLWithPath: "/bin/sh")
        #expect {
            try ProcessRunner.run(shell, ["-c", "exec sleep 600"], timeout: 0.5)
        } throws: { error in
            // Killed, not waited for: it died of SIGKILL.
            let timedOut = error as? ProcessRunner.TimedOut
            return timedOut?.signal == SIGKILL && timedOut?.command == "sh -c exec sleep 600"
        }
    }

    @Test("a program that ends in time gives its status and output")
    func inTime() throws {
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "cat; echo err >&2; exit 3"],
                                           input: Data("in\n".utf8), timeout: 600)
        #expect(result.status == 3)
        #expect(result.stdoutText == "in\n")
        #expect(result.stderrText == "err\n")
    }
}
