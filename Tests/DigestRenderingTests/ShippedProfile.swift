import Classifiers
import DigestProfile
import DigestRendering
import Foundation
import TestSupport

/// The shipped profile, Models/open-neuromorphic.toml, as the CLI hands it to the renderer by default.
enum ShippedProfile {
    static let profile: DigestProfile = {
        do {
            return try DigestProfile.load(from: SharedData.packageRoot.appendingPathComponent("Models/open-neuromorphic.toml"))
        } catch {
            fatalError("the shipped profile does not load: \(error)")
        }
    }()

    static var layout: DigestLayout {
        DigestLayout(title: profile.page.title, intro: profile.page.intro,
                     sections: profile.sections.map { .init(label: $0.label, heading: $0.heading) }, fallback: profile.fallback)
    }

    static var keywordRules: KeywordRules {
        KeywordRules(topics: profile.sections.map { ($0.label, $0.keywords) }, fallback: profile.fallback)
    }
}

extension DigestLayout {
    /// The shipped profile's layout.
    static var shipped: DigestLayout { ShippedProfile.layout }
}
