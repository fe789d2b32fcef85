extension DigestLayout {
    /// The original Open Neuromorphic digest: the page the seeds show.
    public static let openNeuromorphic = DigestLayout(
        title: String(DigestFormat.title.dropFirst(2)),
        intro: DigestFormat.intro,
        sections: DigestSection.allCases.map { Section(label: $0.label, heading: $0.heading) },
        fallback: DigestSection.general.label
    )
}
