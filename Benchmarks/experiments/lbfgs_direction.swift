// What the compact form of L-BFGS would buy the fit's search direction (issue 16; Benchmarks/README, "The 16k
// quick slice"). A stand-alone program, not part of the package: the product keeps the two-loop recursion.
//
//     swiftc -O Benchmarks/experiments/lbfgs_direction.swift Benchmarks/experiments/Measurement.swift \
//         -o /tmp/lbfgs_direction && /tmp/lbfgs_direction 7
//
// The argument is the number of rounds (default 7). For the parameter counts of the quick slice's fit (26,415
// features × 70 classes) and of the full split's (64,010 × 70), with ten pairs as both systems keep, it times
// in turn, each round:
// - the shipped two-loop recursion: 21 passes over q, each fusing one axpy with the next dot, on fixed chunks
//   on all cores (`LBFGS.History.direction`);
// - the compact form of Byrd, Nocedal and Schnabel (1994), as L-BFGS-B keeps it: one pass that takes `Sᵀg`
//   and `Yᵀg`, two m × m triangular solves, and one pass that writes `d = −γ·g − S·top + γ·Y·t`; twice: with
//   the newest pair's dots with every vector in the first pass (keeping `SᵀY` and `YᵀY` current by direct dots,
//   as L-BFGS-B does), and without (taking them as differences of consecutive gradients' dots).
// It prints each median, the ratios, and how far the directions lie apart (relative to the largest
// component), which checks that the compact form computes the same direction.
import Dispatch
import Foundation

/// Elements per chunk, as the product's `BLAS.chunkLength`: a fixed partition, run on all cores.
let chunkLength = 1 << 16
/// Elements per block of the compact form's passes (32 KB of each vector).
let tile = 4096

func chunkSums(_ n: Int, _ part: (Int, Int) -> Double) -> Double {
    let chunks = (n + chunkLength - 1) / chunkLength
    var sums = [Double](repeating: 0, count: chunks)
    sums.withUnsafeMutableBufferPointer { out in
        let base = out.baseAddress!
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            base[c] = part(c * chunkLength, min(n, (c + 1) * chunkLength))
        }
    }
    return sums.reduce(0, +)
}

/// The product's fused pass: `q ← scale·(q + alpha·x)`, then returns `next·q`.
func fusedPass(_ q: UnsafeMutablePointer<Double>, _ n: Int, alpha: Double, x: UnsafePointer<Double>?,
               scale: Double?, next: UnsafePointer<Double>?) -> Double {
    chunkSums(n) { start, end in
        var sum = 0.0
        for j in start..<end {
            var v = q[j]
            if let x { v = v + alpha * x[j] }
            if let scale { v = scale * v }
            q[j] = v
            if let next { sum = sum + next[j] * v }
        }
        return sum
    }
}

/// `q ← −H·g` by the two-loop recursion (steps and changes oldest first).
func twoLoop(g: [Double], s: [UnsafePointer<Double>], y: [UnsafePointer<Double>], rho: [Double], gamma: Double,
             into q: inout [Double]) {
    let m = s.count, n = g.count
    q.withUnsafeMutableBufferPointer { qb in
        let qBase = qb.baseAddress!
        g.withUnsafeBufferPointer { gb in qBase.update(from: gb.baseAddress!, count: n) }
        var alphas = [Double](repeating: 0, count: m)
        var product = fusedPass(qBase, n, alpha: 0, x: nil, scale: nil, next: s[m - 1])
        for i in stride(from: m - 1, through: 0, by: -1) {
            alphas[i] = rho[i] * product
            product = i > 0
                ? fusedPass(qBase, n, alpha: -alphas[i], x: y[i], scale: nil, next: s[i - 1])
                : fusedPass(qBase, n, alpha: -alphas[i], x: y[i], scale: gamma, next: y[0])
        }
        for i in 0..<m {
            let beta = rho[i] * product
            product = i + 1 < m
                ? fusedPass(qBase, n, alpha: alphas[i] - beta, x: s[i], scale: nil, next: y[i + 1])
                : fusedPass(qBase, n, alpha: alphas[i] - beta, x: s[i], scale: -1, next: nil)
        }
    }
}

/// `d ← −H·g` by the compact form, `H = γI + W·M·Wᵀ` with `W = [S γY]`.
///
/// `sy` (`SᵀY`) and `yy` (`YᵀY`) are the pairs' inner products, given. With `newestPairDots` the first pass also
/// takes the newest pair's products with every vector, to time what keeping them current by direct dots costs.
func compact(g: [Double], s: [UnsafePointer<Double>], y: [UnsafePointer<Double>], sy: [[Double]], yy: [[Double]],
             gamma: Double, newestPairDots: Bool, into d: inout [Double]) {
    let m = s.count, n = g.count
    let vectors = s + y
    // Pass 1: every vector's dot with g, a block of `tile` elements at a time so that g's block stays in L1 while
    // the 2m vectors stream past it (one read of each). With `newestPairDots`, also every vector's dot with the
    // newest y and s (what keeping SᵀY and YᵀY current by direct dots costs; taking them as differences of
    // consecutive gradients' dots, `s_iᵀy_k = s_iᵀg_(k+1) − s_iᵀg_k`, needs none).
    let chunks = (n + chunkLength - 1) / chunkLength
    let width = 5 * m
    var partials = [Double](repeating: 0, count: chunks * width)
    g.withUnsafeBufferPointer { gb in
        partials.withUnsafeMutableBufferPointer { pb in
            let gBase = gb.baseAddress!, pBase = pb.baseAddress!
            let sNew = s[m - 1], yNew = y[m - 1]
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let start = c * chunkLength, end = min(n, (c + 1) * chunkLength)
                let out = pBase + c * width
                var blockStart = start
                while blockStart < end {
                    let blockEnd = min(end, blockStart + tile)
                    for (v, vector) in vectors.enumerated() {
                        var withG = 0.0
                        for j in blockStart..<blockEnd { withG = withG + vector[j] * gBase[j] }
                        out[v] += withG
                        if newestPairDots {
                            var withY = 0.0, withS = 0.0
                            for j in blockStart..<blockEnd {
                                withY = withY + vector[j] * yNew[j]
                                withS = withS + vector[j] * sNew[j]
                            }
                            out[2 * m + v] += withY
                            if v < m { out[4 * m + v] += withS }
                        }
                    }
                    blockStart = blockEnd
                }
            }
        }
    }
    var a = [Double](repeating: 0, count: m), b = [Double](repeating: 0, count: m)
    for c in 0..<chunks {
        for v in 0..<m { a[v] += partials[c * width + v]; b[v] += partials[c * width + m + v] }
    }
    // H·g = γ·g + S·top − γ·Y·t, with t = R⁻¹·Sᵀg and top = R⁻ᵀ·((D + γ·YᵀY)·t − γ·Yᵀg), R the upper
    // triangle of SᵀY and D its diagonal (Byrd, Nocedal and Schnabel, 1994, (3.1)): two m × m triangular solves.
    var t = [Double](repeating: 0, count: m)
    for i in stride(from: m - 1, through: 0, by: -1) {
        var sum = a[i]
        for j in (i + 1)..<m { sum -= sy[i][j] * t[j] }
        t[i] = sum / sy[i][i]
    }
    var rhs = [Double](repeating: 0, count: m)
    for i in 0..<m {
        var sum = sy[i][i] * t[i] - gamma * b[i]
        for j in 0..<m { sum += gamma * yy[i][j] * t[j] }
        rhs[i] = sum
    }
    var top = [Double](repeating: 0, count: m)
    for i in 0..<m {
        var sum = rhs[i]
        for j in 0..<i { sum -= sy[j][i] * top[j] }
        top[i] = sum / sy[i][i]
    }
    let p = (0..<m).map { -top[$0] } + (0..<m).map { gamma * t[$0] }
    // Pass 2: d = −H·g = −γ·g − S·top + γ·Y·t.
    d.withUnsafeMutableBufferPointer { db in
        g.withUnsafeBufferPointer { gb in
            let dBase = db.baseAddress!, gBase = gb.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let start = c * chunkLength, end = min(n, (c + 1) * chunkLength)
                for j in start..<end { dBase[j] = -gamma * gBase[j] }
                for v in 0..<m {
                    let alpha = p[v], beta = p[m + v], sv = s[v], yv = y[v]
                    for j in start..<end { dBase[j] = dBase[j] + alpha * sv[j] + beta * yv[j] }
                }
            }
        }
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

@main
enum LBFGSDirection {
    static func main() {
        let rounds = CommandLine.arguments.count > 1 ? max(1, Int(CommandLine.arguments[1]) ?? 7) : 7
        let pairs = 10
        print("rounds \(rounds), \(pairs) pairs, chunks of \(chunkLength), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        for (name, n) in [("quick slice, 26,415 × 70", 26_415 * 70), ("full split, 64,010 × 70", 64_010 * 70)] {
            var random = SplitMix(state: 42)
            // Pairs with positive curvature, as a convex loss gives: y = (a positive diagonal) · s.
            var sStore = [[Double]](), yStore = [[Double]]()
            for _ in 0..<pairs {
                let s = (0..<n).map { _ in random.unit() - 0.5 }
                sStore.append(s)
                yStore.append(s.map { $0 * (0.5 + 1.5 * random.unit()) + 0.01 * (random.unit() - 0.5) })
            }
            func pinned(_ vectors: [[Double]]) -> [UnsafeMutablePointer<Double>] {
                vectors.map { v in
                    let p = UnsafeMutablePointer<Double>.allocate(capacity: n)
                    p.initialize(from: v, count: n)
                    return p
                }
            }
            let sPinned = pinned(sStore), yPinned = pinned(yStore)
            defer { (sPinned + yPinned).forEach { $0.deallocate() } }
            let g = (0..<n).map { _ in random.unit() - 0.5 }
            func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
            let sy = sStore.map { s in yStore.map { dot(s, $0) } }
            let yy = yStore.map { a in yStore.map { dot(a, $0) } }
            let rho = (0..<pairs).map { 1 / sy[$0][$0] }
            let gamma = sy[pairs - 1][pairs - 1] / yy[pairs - 1][pairs - 1]
            var q = [Double](repeating: 0, count: n), d = [Double](repeating: 0, count: n)
            var twoLoopTimes = [Double](), compactTimes = [Double](), leanTimes = [Double]()
            var lean = [Double](repeating: 0, count: n)
            let s = sPinned.map { UnsafePointer($0) }, y = yPinned.map { UnsafePointer($0) }
            for _ in 0..<rounds {
                twoLoopTimes.append(seconds { twoLoop(g: g, s: s, y: y, rho: rho, gamma: gamma, into: &q) })
                compactTimes.append(seconds { compact(g: g, s: s, y: y, sy: sy, yy: yy, gamma: gamma, newestPairDots: true, into: &d) })
                leanTimes.append(seconds { compact(g: g, s: s, y: y, sy: sy, yy: yy, gamma: gamma, newestPairDots: false, into: &lean) })
            }
            let largest = q.reduce(0) { max($0, abs($1)) }
            let apart = max(zip(q, d).reduce(0) { max($0, abs($1.0 - $1.1)) }, zip(q, lean).reduce(0) { max($0, abs($1.0 - $1.1)) }) / largest
            let t = median(twoLoopTimes), c = median(compactTimes), l = median(leanTimes)
            print(String(format: "%@ (%d parameters, %.1f MB a vector): two-loop %.4f s; compact %.4f s (%.2f×), without the newest pair's dots %.4f s (%.2f×); directions %.1e apart",
                         name, n, Double(n * 8) / 1e6, t, c, t / c, l, t / l, apart))
        }
    }
}
