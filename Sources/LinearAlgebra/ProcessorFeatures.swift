import Foundation

/// What this processor runs beyond the x86-64 baseline the package is compiled for, read once.
enum ProcessorFeatures {
    /// AVX and AVX2, with the operating system saving their registers (Linux lists `avx` only then).
    static let hasAVX2: Bool = {
        #if arch(x86_64) && os(Linux)
        return linuxFlags.contains("avx") && linuxFlags.contains("avx2")
        #elseif arch(x86_64) && os(macOS)
        return sysctlFlag("hw.optional.avx2_0")
        #else
        return false
        #endif
    }()

    /// AVX2 and fused multiply-add: what OpenBLAS's Haswell kernels need.
    static let hasAVX2AndFMA: Bool = {
        #if arch(x86_64) && os(Linux)
        return hasAVX2 && linuxFlags.contains("fma")
        #elseif arch(x86_64) && os(macOS)
        return hasAVX2 && sysctlFlag("hw.optional.fma")
        #else
        return false
        #endif
    }()

    #if os(Linux)
    /// The `flags` line of /proc/cpuinfo (empty if unreadable).
    private static let linuxFlags: Set<Substring> = {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " "))
    }()
    #endif

    #if os(macOS)
    private static func sysctlFlag(_ name: String) -> Bool {
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        return sysctlbyname(name, &value, &size, nil, 0) == 0 && value != 0
    }
    #endif

    /// Whether the products use their AVX2 kernels: where the processor has AVX2, unless
    /// `ARXIVDIGEST_AVX2=0` is set (to time the baseline loop; both give the same bits).
    static let useAVX2 = hasAVX2 && ProcessInfo.processInfo.environment["ARXIVDIGEST_AVX2"] != "0"
}
