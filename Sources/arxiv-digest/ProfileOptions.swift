import ArgumentParser
import Classifiers
import DigestProfile
import DigestRendering
import Foundation

/// `--profile FILE`: the digest profile, by default the shipped `open-neuromorphic.toml`. Loaded
/// once here at the edge; commands hand its plain values (labels, layout, rules, query) down.
struct ProfileOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The digest profile: sections, headings, query, keyword rules, model (default: the shipped Models/open-neuromorphic.toml).", valueName: "file.toml"))
    var profile: String?

    /// The `--profile` file, else the shipped profile; an error when neither can be read.
    func load() throws -> DigestProfile {
        guard let profile = try loadIfPresent() else {
            let looked = ShippedResources.folders().map(\.path).joined(separator: ", ")
            throw CLIError("no profile given and the shipped \(ShippedResources.defaultProfileName) is in none of: \(looked); give --profile FILE")
        }
        return profile
    }

    /// The profile file a command reads (given or shipped), and the library of `loaded` (the command's
    /// `load()` or `loadIfPresent()` of it), as inputs no output may replace, whether or not the command reads
    /// the library: `fetch -o library.sqlite` would destroy the run history. (The profile's model is left
    /// out: `train` rightly replaces it.)
    func inputs(profile loaded: DigestProfile?) -> [OutputGuard.Input] {
        .named("--profile", [profile ?? ShippedResources.locate(ShippedResources.defaultProfileName)?.path])
            + .library("the profile's library", loaded?.libraryURL.path)
    }

    /// The `--profile` file (which must load), else the shipped profile if it can be found.
    func loadIfPresent() throws -> DigestProfile? {
        if let profile { return try DigestProfile.load(from: URL(fileURLWithPath: profile)) }
        guard let shipped = ShippedResources.locate(ShippedResources.defaultProfileName) else { return nil }
        return try DigestProfile.load(from: shipped)
    }
}

extension DigestProfile {
    /// The page layout the renderer and importer read.
    var layout: DigestLayout {
        DigestLayout(
            title: page.title, intro: page.intro,
            sections: sections.map { DigestLayout.Section(label: $0.label, heading: $0.heading) }, fallback: fallback)
    }

    /// The sections' keyword rules (empty when no section has keywords).
    var keywordRules: KeywordRules {
        KeywordRules(topics: sections.map { ($0.label, $0.keywords) }, fallback: fallback)
    }

    /// `keywordRules`, or nil when the profile has none.
    var keywordRulesIfAny: KeywordRules? { hasKeywordRules ? keywordRules : nil }
}

/// Why the keyword baseline is missing from a report although the profile has rules.
enum KeywordBaselineNote {
    static func leftOut(rules: KeywordRules, classes: [String]) -> String {
        let foreign = rules.labels.filter { !classes.contains($0) }
        return "keyword rules left out of the comparison: they can give \(foreign.joined(separator: ", ")), "
            + "which the model's classes (\(classes.joined(separator: ", "))) lack"
    }
}
