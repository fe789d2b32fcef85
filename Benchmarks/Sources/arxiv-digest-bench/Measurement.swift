import Foundation

/// One JSON line per measured stage on standard output, the format `run.py` reads from every system.
enum Measurement {
    static func emit(_ stage: String, seconds: Double?, docs: Int?, extra: [String: Any] = [:]) {
        var row: [String: Any] = ["stage": stage, "seconds": seconds ?? NSNull(), "docs": docs ?? NSNull(),
                                  "peak_rss_mb": peakResidentMegabytes() ?? NSNull()]
        for (key, value) in extra { row[key] = value }
        let data = try! JSONSerialization.data(withJSONObject: row, options: [.sortedKeys])
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// This process's resident high-water mark so far (VmHWM of /proc/self/status), in MiB.
    static func peakResidentMegabytes() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            // "VmHWM:\t  123456 kB": the kernel pads to eight digits, so from 10 GB on a tab is the only separator.
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count >= 2, let kilobytes = Double(fields[1]) { return kilobytes / 1024 }
        }
        return nil
    }

    /// Seconds `body` took on the monotonic clock, and its result.
    static func time<T>(_ body: () throws -> T) rethrows -> (seconds: Double, result: T) {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, result)
    }

    /// `body` timed `repeats` times: the median seconds, every timing in order, and the last result.
    static func median<T>(repeats: Int, _ body: () throws -> T) rethrows -> (seconds: Double, all: [Double], result: T) {
        var timings: [Double] = []
        var last: T?
        for _ in 0..<max(1, repeats) {
            last = nil  // the previous result is freed before the next run, so memory is as for one run
            let (seconds, result) = try time(body)
            timings.append(seconds)
            last = result
        }
        let sorted = timings.sorted()
        let middle = sorted.count / 2
        let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        return (median, timings, last!)
    }

    /// CPU seconds (user + system, all threads) this process has used so far: with `seconds`, it shows
    /// how much of a stage's wall time was work when other processes share the cores.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Nearest-rank percentile of sorted samples.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = max(1, Int((q * Double(sorted.count) / 100).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }
}
