import ArgumentParser
import AtomicFiles
import DigestProfile
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a digest for a new field: write a profile (sections, query) and print the next steps.",
        discussion: """
            Writes DIR/profile.toml with the given sections in page order, no keyword rules yet, and the \
            query; the fallback section is the last one unless --fallback names another. Refuses to \
            replace an existing profile.
            Example:
              arxiv-digest init quantum --name quantum --section hardware:"Hardware & Qubits" \\
                --section algorithms:"Algorithms" --section qec:"Error Correction" --section other:"Other" \\
                --query 'all:qubit OR all:"quantum error correction"'
            """
    )

    @Argument(help: ArgumentHelp("The folder for the profile (created if missing).", valueName: "dir"))
    var directory: String

    @Option(help: "The digest's name (also its page title: \"NAME - Daily ArXiv\").")
    var name: String

    @Option(name: .customLong("section"), help: ArgumentHelp("A section as label:Heading, in page order; repeat for each (at least two).", valueName: "label:Heading"))
    var sections: [String] = []

    @Option(help: "The arXiv search query (arXiv API syntax).")
    var query: String

    @Option(help: ArgumentHelp("The label of the section for papers nothing else places (default: the last section).", valueName: "label"))
    var fallback: String?

    func validate() throws {
        try RequiredOptions.require(sections.count >= 2, "Give at least two sections, e.g. --section hardware:\"Hardware\" --section other:\"Other\".")
        // The name and the headings are printed on one line of the page: say so here, by option,
        // rather than as a fault of the profile text made from them.
        if let bad = Self.lineFault(name) { throw ValidationError("--name must be \(bad); got \(name.debugDescription).") }
        for (index, section) in sections.enumerated() {
            let heading = try Self.split(section).heading
            if let bad = Self.lineFault(heading) {
                throw ValidationError("--section \(index + 1): the heading must be \(bad); got \(section.debugDescription).")
            }
        }
    }

    /// What is wrong with `text` as one line of the page, or nil: a line break, or another control
    /// character (invisible, and dropped by the HTML page).
    static func lineFault(_ text: String) -> String? {
        if text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) { return "one line" }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "text without control characters"
        }
        return nil
    }

    func run() throws {
        let parsed = try sections.map(Self.split)
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        let file = folder.appendingPathComponent("profile.toml")
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), !isFolder.boolValue {
            throw CLIError("\(directory) is a file, not a folder; init writes profile.toml into a folder (give a new or an existing folder)")
        }
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw CLIError("\(file.path) exists; init does not replace a profile (edit it, or choose another folder)")
        }
        let text = DigestProfile.starterText(name: name, query: query, sections: parsed, fallback: fallback ?? parsed.last!.label)
        // Read it back before writing, so a bad label or heading is reported and nothing is left behind.
        let profile: DigestProfile
        do {
            profile = try DigestProfile.parse(text, file: file)
        } catch let error as DigestProfileError {
            throw CLIError("cannot make that profile: \(error.key.map { "\(Self.option(forProfileKey: $0)): " } ?? "")\(error.reason)")
        }
        try OutputPath.createFolder(directory)
        try AtomicFile.write(Data(text.utf8), to: file)
        try StandardStreams.write(Self.nextSteps(profile: profile, directory: directory) + "\n")
    }

    /// The option a key of the generated profile comes from (`sections[2].label` → `--section 2`),
    /// so an error names what the user typed.
    static func option(forProfileKey key: String) -> String {
        switch key {
        case "name", "page.title": return "--name"
        case "query.search": return "--query"
        case "fallback": return "--fallback"
        default:
            guard key.hasPrefix("sections["), let close = key.firstIndex(of: "]") else { return key }
            let number = key[key.index(key.startIndex, offsetBy: 9)..<close]
            return "--section \(number)"
        }
    }

    /// `label:Heading` → (label, Heading); the label ends at the first colon.
    static func split(_ text: String) throws -> (label: String, heading: String) {
        guard let colon = text.firstIndex(of: ":") else {
            throw ValidationError("--section must be label:Heading, e.g. hardware:\"Hardware & Qubits\"; got \"\(text)\".")
        }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
    }

    static func nextSteps(profile: DigestProfile, directory: String) -> String {
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let p = "\(dir)/profile.toml"
        let labels = profile.labels.joined(separator: "|")
        return """
            Wrote \(p): \(profile.sections.count) sections (\(profile.labels.joined(separator: ", "))), fallback \(profile.fallback).
            Next:
              1. Fetch papers to label:
                 arxiv-digest fetch --profile \(p) --max-results 500 --output \(dir)/papers.jsonl
              2. Label them: give each line of \(dir)/papers.jsonl a "label": "\(labels)" and save the
                 labelled lines as \(dir)/labelled.jsonl (or import an old digest with import-digest --profile).
              3. Train (writes \(profile.modelURL.lastPathComponent) beside the profile):
                 arxiv-digest train --profile \(p) --data \(dir)/labelled.jsonl --cv 5
              4. Evaluate on papers kept out of training:
                 arxiv-digest evaluate --profile \(p) --data \(dir)/held-out.jsonl
              5. Make the digest:
                 arxiv-digest digest --profile \(p) --output \(dir)/README.md
            Optional: add keywords = [...] to the sections for a keyword baseline and --classifier keywords.
            """
    }
}
