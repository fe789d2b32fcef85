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
        // The starter profile names its model and library by fixed names beside it: in a folder that already
        // holds another digest's, training the new one would replace that digest's model, and both would
        // share one library.
        for (what, url) in [("model", profile.modelURL), ("paper library", profile.libraryURL)]
        where FileManager.default.fileExists(atPath: url.path) {
            throw CLIError("\(url.path) exists: the new profile's \(what) would be that file, which belongs to another digest; choose a folder of its own")
        }
        try OutputPath.createFolder(directory)
        try AtomicFile.write(Data(text.utf8), to: file)
        try StandardStreams.write(Self.nextSteps(profile: profile, directory: directory) + "\n")
    }

    /// The option a key of the generated profile comes from (`sections[2].label` → `--section 2 (its label)`),
    /// so an error names what the user typed.
    static func option(forProfileKey key: String) -> String {
        switch key {
        case "name", "page.title": return "--name"
        case "query.search": return "--query"
        case "fallback": return "--fallback"
        default:
            guard key.hasPrefix("sections["), let close = key.firstIndex(of: "]") else { return key }
            let number = key[key.index(key.startIndex, offsetBy: 9)..<close]
            let part = key[key.index(after: close)...]
            return "--section \(number)" + (part.hasPrefix(".") ? " (its \(part.dropFirst()))" : "")
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
        let labels = profile.labels.joined(separator: "|")
        // The paths go into commands to paste into a shell: quoted where the shell would split or expand them.
        let p = ShellWord.quoted("\(dir)/profile.toml")
        func file(_ name: String) -> String { ShellWord.quoted("\(dir)/\(name)") }
        return """
            Wrote \(dir)/profile.toml: \(profile.sections.count) sections (\(profile.labels.joined(separator: ", "))), fallback \(profile.fallback).
            Next:
              1. Fetch papers to label:
                 arxiv-digest fetch --profile \(p) --max-results 500 --output \(file("papers.jsonl"))
              2. Label them: give each line of papers.jsonl a "label": "\(labels)" (or import an old digest with
                 import-digest --profile). Save about four fifths of the labelled lines as labelled.jsonl and
                 the rest as held-out.jsonl, beside the profile.
              3. Train (writes \(profile.modelURL.lastPathComponent) beside the profile; --cv 5 needs five papers per section):
                 arxiv-digest train --profile \(p) --data \(file("labelled.jsonl")) --cv 5
              4. Evaluate on the papers kept out of training:
                 arxiv-digest evaluate --profile \(p) --data \(file("held-out.jsonl"))
              5. Make the digest:
                 arxiv-digest digest --profile \(p) --output \(file("README.md"))
            Optional: add keywords = [...] to the sections for a keyword baseline and --classifier keywords.
            """
    }
}

/// A word for a POSIX shell command line.
enum ShellWord {
    /// `text` as is when the shell reads it as one literal word, else in single quotes (a quote inside
    /// written as `'\''`).
    static func quoted(_ text: String) -> String {
        // A leading `=` is zsh's command-path expansion (`=ls`).
        let plain = !text.isEmpty && !text.hasPrefix("=") && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "/._-+:,=@%".unicodeScalars.contains(scalar))
        }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
