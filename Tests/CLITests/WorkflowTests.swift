import Foundation
import Testing
import TestSupport

/// `.github/workflows/daily-digest.yml`, parsed with PyYAML: the keys GitHub Actions needs, and
/// steps that fit together (the files the digest step writes are the ones committed and published).
@Suite("daily digest workflow")
struct WorkflowTests {
    static let path = ".github/workflows/daily-digest.yml"

    static func workflow() throws -> [String: Any] {
        let result = try ProcessRunner.python("Tests/CLITests/Scripts/workflow_json.py",
                                              [SharedData.packageRoot.appendingPathComponent(path).path])
        try #require(result.status == 0, "\(path): \(result.stderrText)")
        return try #require(JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    }

    /// The steps of `job`, each a dictionary.
    static func steps(_ job: [String: Any]) -> [[String: Any]] { job["steps"] as? [[String: Any]] ?? [] }

    @Test("triggers: a daily schedule and a manual run")
    func triggers() throws {
        let on = try #require(try Self.workflow()["on"] as? [String: Any])
        let schedule = try #require(on["schedule"] as? [[String: Any]])
        let cron = try #require(schedule.first?["cron"] as? String)
        let fields = cron.split(separator: " ")
        #expect(fields.count == 5, "cron \(cron)")
        #expect(fields[2...] == ["*", "*", "*"], "runs every day")
        #expect(Int(fields[0]).map { (0...59).contains($0) } == true && Int(fields[1]).map { (0...23).contains($0) } == true)
        #expect(on.keys.contains("workflow_dispatch"))
    }

    @Test("jobs: runners, steps, and the permissions each one needs")
    func jobs() throws {
        let workflow = try Self.workflow()
        let jobs = try #require(workflow["jobs"] as? [String: [String: Any]])
        #expect(!jobs.isEmpty)
        for (name, job) in jobs {
            #expect(job["runs-on"] is String, "\(name) has runs-on")
            let steps = Self.steps(job)
            #expect(!steps.isEmpty, "\(name) has steps")
            for step in steps { #expect((step["uses"] is String) != (step["run"] is String), "\(name): a step has uses or run") }
        }
        let top = try #require(workflow["permissions"] as? [String: String])
        #expect(top == ["contents": "read"], "least privilege by default")
        let digest = try #require(jobs["digest"])
        #expect((digest["permissions"] as? [String: String])?["contents"] == "write", "the digest job pushes a commit")
        let pages = try #require(jobs["pages"])
        #expect(pages["permissions"] as? [String: String] == ["pages": "write", "id-token": "write"])
        #expect((pages["needs"] as? String) == "digest")
        #expect(((pages["environment"] as? [String: Any])?["name"] as? String) == "github-pages")
        #expect(Self.steps(pages).contains { ($0["uses"] as? String)?.hasPrefix("actions/deploy-pages@") == true })
    }

    @Test("the digest job builds, runs the shipped profile once, commits the Markdown and publishes the HTML and Atom")
    func digestSteps() throws {
        let jobs = try #require(try Self.workflow()["jobs"] as? [String: [String: Any]])
        let steps = Self.steps(try #require(jobs["digest"]))
        let runs = steps.compactMap { $0["run"] as? String }.joined(separator: "\n")
        #expect(runs.contains("bash .ci/setup"))
        #expect(runs.contains("swift build -c release"))
        #expect(occurrences(of: "\" fetch ", in: runs) == 1, "one fetch")
        #expect(!runs.contains("--profile"), "the shipped profile")
        #expect(runs.contains("--output digest/README.md") && runs.contains("git add digest/README.md") && runs.contains("git push"))
        #expect(runs.contains("--format html --output site/index.html"))
        #expect(runs.contains("--format atom") && runs.contains("--output site/feed.xml"))
        let upload = try #require(steps.first { ($0["uses"] as? String)?.hasPrefix("actions/upload-pages-artifact@") == true })
        #expect((upload["with"] as? [String: Any])?["path"] as? String == "site")
        #expect(steps.first.flatMap { $0["uses"] as? String }?.hasPrefix("actions/checkout@") == true)
    }
}
