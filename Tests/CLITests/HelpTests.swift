import Foundation
import Testing

@Suite("help texts")
struct HelpTests {
    @Test("the root --help lists every subcommand")
    func rootHelpListsSubcommands() throws {
        let result = try CLI.run(["--help"])
        #expect(result.status == 0, CLI.describe(result))
        for name in ["digest", "fetch", "import-digest", "train", "evaluate", "classify"] {
            #expect(result.stdoutText.contains("  \(name) "), "subcommand \(name) missing from --help")
        }
    }

    @Test("digest --help documents its sources, classifier, run time and output")
    func digestHelpListsOptions() throws {
        let result = try CLI.run(["digest", "--help"])
        #expect(result.status == 0, CLI.describe(result))
        for option in ["--feed", "--papers", "--classifier", "--run-time", "--output"] {
            #expect(result.stdoutText.contains(option), "digest --help does not mention \(option)")
        }
    }

    @Test("every subcommand has its own --help", arguments: ["digest", "fetch", "import-digest", "train", "evaluate", "classify"])
    func subcommandHelp(name: String) throws {
        let result = try CLI.run([name, "--help"])
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stdoutText.contains("USAGE: arxiv-digest \(name)"))
    }

    @Test("an unknown subcommand fails with a usage error")
    func unknownSubcommand() throws {
        let result = try CLI.run(["digset"])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("digset"))
    }
}
