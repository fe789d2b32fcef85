// What a formatter of our own and a branch-free ordering would buy classify's all-70 writer (issue 16;
// Benchmarks/README, "Tenth pass"). A stand-alone program, not part of the package: the product keeps the
// standard library's formatter and the insertion sort, because together these saved 3% of the process's
// instructions and no measurable time.
//
//     swiftc -O Benchmarks/experiments/number_text.swift Benchmarks/experiments/Measurement.swift -o /tmp/number_text \
//         && /tmp/number_text check 1000000 && /tmp/number_text bench 5
//
// `check N` compares the formatter with `Double.description` on N random bit patterns, N/4 probabilities and
// the families around powers of two and ten, and prints the mismatches (none in 50 million so far). `bench R`
// times, in R rounds, 3.5 million probabilities written by the standard library (through a
// `TextOutputStream`, as the product does) and by the formatter, and the order of 70 classes for 50,000
// rows by the shipped insertion sort and by ranks counted four at a time; it prints the medians.
import Foundation

/// The text of a finite `Double` with the fewest significant digits that read back as the same value,
/// byte for byte what Swift's `description` prints (`0.25`, `1e-05`, `1.0`, `5e-324`, `1e+16`), written
/// straight into memory. In classify (callgrind, 350,000 probabilities) the standard library's formatter
/// took 387 instructions a number, this 332.
///
/// Digits: Raffaello Giulietti's Schubfach ("The Schubfach way to render doubles", 2020). It scales the
/// rounding interval of the value by a power of ten so that the interval is 1 to 10 units wide; the
/// shortest decimal in it is then a multiple of ten or one of the two integers around the value, and
/// 128-bit powers of ten rounded up, with round-to-odd products, decide each case exactly. Among equally
/// short candidates it takes the one closest to the value, an exact tie to the even digit; the interval's
/// ends count only for an even significand (they read back to it). `description` makes the same choices.
///
/// Layout (`description`'s): exponent form `d.ddde-05` below 1e-4 and above 2^53, at least two exponent
/// digits; otherwise positional with at least one digit after the point (`0.0001`, `12.5`, `100.0`).
enum ShortestDouble {
    /// Bytes `write` may touch: the text is at most 24 (sign, 17 digits, point, `e`, exponent sign and
    /// three digits); the rest is the slack of its 8-byte stores.
    static let room = 48

    /// Writes `value`, which must be finite, at `out` (`room` bytes available) and returns the byte count.
    @inline(__always)
    static func write(_ value: Double, to out: UnsafeMutableRawPointer) -> Int {
        let bits = value.bitPattern
        let sign = Int(bits >> 63)
        if sign != 0 { out.storeBytes(of: UInt8(ascii: "-"), as: UInt8.self) }
        let magnitude = bits & ~(1 << 63)
        if magnitude == 0 {
            out.storeBytes(of: 0x0030_2E30 as UInt32, toByteOffset: sign, as: UInt32.self)  // "0.0"
            return sign + 3
        }
        var (digits, exponent) = shortestDecimal(magnitude)
        while digits % 10 == 0 {
            digits /= 10
            exponent += 1
        }
        let count = decimalLength(digits)
        // The position of the first digit: value = d.ddd × 10^leading.
        let leading = exponent + count - 1
        // `description` keeps integers up to 2^53 positional, so it decides by the binary exponent.
        let binaryExponent = Int(magnitude >> 52) - 1023
        let exponentForm = leading < -4 || binaryExponent > 53 || (binaryExponent == 53 && magnitude & ((1 << 52) - 1) != 0)

        // The 17 digit characters of `digits`, leading zeros included, then room for 8-byte loads.
        var text: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &text) { scratch in
            let t = scratch.baseAddress!
            let high = digits / 100_000_000
            t.storeBytes(of: UInt8(truncatingIfNeeded: high / 100_000_000) &+ 0x30, as: UInt8.self)
            t.storeBytes(of: eightDigits(UInt32(truncatingIfNeeded: high % 100_000_000)), toByteOffset: 1, as: UInt64.self)
            t.storeBytes(of: eightDigits(UInt32(truncatingIfNeeded: digits % 100_000_000)), toByteOffset: 9, as: UInt64.self)
            let first = UnsafeRawPointer(t + (17 - count))
            let o = out + sign
            if exponentForm {
                o.storeBytes(of: first.load(as: UInt8.self), as: UInt8.self)
                var n = 1
                if count > 1 {
                    o.storeBytes(of: UInt8(ascii: "."), toByteOffset: 1, as: UInt8.self)
                    copyDigits(to: o + 2, from: first + 1)
                    n = count + 1
                }
                o.storeBytes(of: UInt8(ascii: "e"), toByteOffset: n, as: UInt8.self)
                o.storeBytes(of: leading < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"), toByteOffset: n + 1, as: UInt8.self)
                n += 2
                var e = abs(leading)
                if e >= 100 {
                    o.storeBytes(of: UInt8(truncatingIfNeeded: e / 100) &+ 0x30, toByteOffset: n, as: UInt8.self)
                    n += 1
                    e %= 100
                }
                o.storeBytes(of: UInt8(truncatingIfNeeded: e / 10) &+ 0x30, toByteOffset: n, as: UInt8.self)
                o.storeBytes(of: UInt8(truncatingIfNeeded: e % 10) &+ 0x30, toByteOffset: n + 1, as: UInt8.self)
                return sign + n + 2
            }
            if leading < 0 {
                // "0." and up to three zeros, then the digits.
                o.storeBytes(of: 0x3030_3030_3030_2E30 as UInt64, as: UInt64.self)
                copyDigits(to: o + 1 - leading, from: first)
                return sign + 1 - leading + count
            }
            if leading + 1 < count {
                // Digits on both sides of the point.
                copyDigits(to: o, from: first)
                copyDigits(to: o + leading + 2, from: first + leading + 1)
                o.storeBytes(of: UInt8(ascii: "."), toByteOffset: leading + 1, as: UInt8.self)
                return sign + count + 1
            }
            // An integer: its digits, the zeros up to the point, and ".0".
            copyDigits(to: o, from: first)
            o.storeBytes(of: 0x3030_3030_3030_3030 as UInt64, toByteOffset: count, as: UInt64.self)
            o.storeBytes(of: 0x3030_3030_3030_3030 as UInt64, toByteOffset: count + 8, as: UInt64.self)
            o.storeBytes(of: 0x302E as UInt16, toByteOffset: leading + 1, as: UInt16.self)  // ".0"
            return sign + leading + 3
        }
    }

    /// The shortest decimal in the rounding interval of the positive finite double with these bits,
    /// closest to it: the value is about `digits` × 10^`exponent` (`digits` may end in zeros).
    @inline(__always)
    static func shortestDecimal(_ bits: UInt64) -> (digits: UInt64, exponent: Int) {
        let fraction = bits & ((1 << 52) - 1)
        let biasedExponent = Int(bits >> 52)
        // value = c · 2^q
        let c = biasedExponent == 0 ? fraction : fraction | (1 << 52)
        let q = biasedExponent == 0 ? -1074 : biasedExponent - 1075
        let isEven = c & 1 == 0
        // At a power of two the next smaller double is half as far away.
        let lowerIsCloser = fraction == 0 && biasedExponent > 1
        // The value and its interval's ends, times 4, scaled by 10^-k and kept as round-to-odd integers.
        let cb = c << 2
        let cbl = cb - (lowerIsCloser ? 1 : 2)
        let cbr = cb + 2
        let k = lowerIsCloser ? floorLog10ThreeQuartersPow2(q) : floorLog10Pow2(q)
        let h = q + floorLog2Pow10(-k) + 1
        let (gHigh, gLow) = powerOfTen(-k)
        let vb = roundToOdd(gHigh, gLow, cb << h)
        let lower = roundToOdd(gHigh, gLow, cbl << h) + (isEven ? 0 : 1)
        let upper = roundToOdd(gHigh, gLow, cbr << h) - (isEven ? 0 : 1)
        let s = vb >> 2
        if s >= 10 {
            // One digit fewer: the multiples of ten around the value; at most one fits.
            let sp = s / 10
            let lowInside = lower <= 40 * sp
            let highInside = 40 * sp + 40 <= upper
            if lowInside != highInside { return (highInside ? sp + 1 : sp, k + 1) }
        }
        let lowInside = lower <= 4 * s
        let highInside = 4 * s + 4 <= upper
        if lowInside != highInside { return (highInside ? s + 1 : s, k) }
        // Both fit: the closer one, a tie to the even one.
        let middle = 4 * s + 2
        let roundUp = vb > middle || (vb == middle && s & 1 != 0)
        return (roundUp ? s + 1 : s, k)
    }

    /// ⌊cp · g / 2^128⌋ with its lowest bit set when the discarded part is not (nearly) zero.
    @inline(__always)
    static func roundToOdd(_ gHigh: UInt64, _ gLow: UInt64, _ cp: UInt64) -> UInt64 {
        let low = gLow.multipliedFullWidth(by: cp)
        let high = gHigh.multipliedFullWidth(by: cp)
        let (y0, carry) = high.low.addingReportingOverflow(low.high)
        let y1 = high.high &+ (carry ? 1 : 0)
        return y1 | (y0 > 1 ? 1 : 0)
    }

    @inline(__always)
    static func powerOfTen(_ e: Int) -> (UInt64, UInt64) {
        powersOfTen.withUnsafeBufferPointer { table in (table[2 * (e + 292)], table[2 * (e + 292) + 1]) }
    }

    /// The table, built at start from exact integer arithmetic: 10^e as g · 2^r with 2^127 ≤ g < 2^128,
    /// g exact where it is an integer (0 ≤ e ≤ 55), else ⌊10^e · 2^-r⌋ + 1.
    static let powersOfTen: [UInt64] = (-292...324).flatMap { e -> [UInt64] in
        let power = BigNumber.power(of: 10, e.magnitude)
        let g: BigNumber
        if e >= 0 {
            let r = power.bitWidth - 128
            g = r <= 0 ? power.shiftedLeft(-r) : power.shiftedRight(r).adding(BigNumber(words: [1]))
        } else {
            // ⌊2^s / 10^-e⌋ + 1 with s = bit width of 10^-e + 127, the quotient found bit by bit.
            let twoToS = BigNumber(words: [1]).shiftedLeft(power.bitWidth + 127)
            var quotient = BigNumber(words: [0])
            for bit in stride(from: 127, through: 0, by: -1) {
                let candidate = quotient.adding(BigNumber(words: [1]).shiftedLeft(bit))
                if !(twoToS < candidate.multiplied(by: power)) { quotient = candidate }
            }
            g = quotient.adding(BigNumber(words: [1]))
        }
        return [g.words.count > 1 ? g.words[1] : 0, g.words[0]]
    }

    // ⌊e·log10 2⌋, ⌊log10(¾·2^e)⌋ and ⌊e·log2 10⌋ by fixed-point multiplication, exact for every exponent
    // a double has (checked against exact integer arithmetic over -1100 ... 1100 while this was written).
    @inline(__always) static func floorLog10Pow2(_ e: Int) -> Int { (e * 315_653) >> 20 }
    @inline(__always) static func floorLog10ThreeQuartersPow2(_ e: Int) -> Int { (e * 315_653 - 131_237) >> 20 }
    @inline(__always) static func floorLog2Pow10(_ e: Int) -> Int { (e * 1_741_647) >> 19 }

    /// The number of decimal digits of `v` (1 ... 17), from its bit length (1233/4096 ≈ log10 2) and one comparison.
    @inline(__always)
    static func decimalLength(_ v: UInt64) -> Int {
        let estimate = ((64 - v.leadingZeroBitCount) * 1233) >> 12
        return decimalPowers.withUnsafeBufferPointer { estimate + (v >= $0[estimate] ? 1 : 0) }
    }

    private static let decimalPowers: [UInt64] = (0...19).map { power in (0..<power).reduce(1) { product, _ in product * 10 } }

    /// `n` < 10^8 as eight ASCII digits, the first in the lowest byte: split into halves of four digits,
    /// then pairs, then single digits, every lane at once (multiplications by 10486/2^20 and 103/2^10
    /// divide by 100 and 10 exactly in these ranges).
    @inline(__always)
    static func eightDigits(_ n: UInt32) -> UInt64 {
        let fours = UInt64(n / 10_000) | (UInt64(n % 10_000) << 32)
        let hundreds = ((fours &* 10486) >> 20) & 0x0000_007F_0000_007F
        let pairs = hundreds | ((fours &- hundreds &* 100) << 16)
        let tens = ((pairs &* 103) >> 10) & 0x000F_000F_000F_000F
        let singles = tens | ((pairs &- tens &* 10) << 8)
        return singles | 0x3030_3030_3030_3030
    }

    /// Copies up to 17 digit characters as three 8-byte words; both sides have the bytes to spare.
    @inline(__always)
    private static func copyDigits(to target: UnsafeMutableRawPointer, from source: UnsafeRawPointer) {
        target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
        target.storeBytes(of: source.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
        target.storeBytes(of: source.loadUnaligned(fromByteOffset: 16, as: UInt64.self), toByteOffset: 16, as: UInt64.self)
    }
}

/// A non-negative integer of any size, little-endian 64-bit words: just what the table checks need.
struct BigNumber: Equatable, Comparable {
    var words: [UInt64]

    init(words: [UInt64]) {
        self.words = words
        while self.words.count > 1, self.words.last == 0 { self.words.removeLast() }
    }

    static func power(of base: UInt64, _ exponent: UInt) -> BigNumber {
        var result = BigNumber(words: [1])
        for _ in 0..<exponent { result = result.multiplied(bySmall: base) }
        return result
    }

    var bitWidth: Int { words.count * 64 - words.last!.leadingZeroBitCount }

    func multiplied(bySmall factor: UInt64) -> BigNumber {
        var result: [UInt64] = [], carry: UInt64 = 0
        for word in words {
            let (high, low) = word.multipliedFullWidth(by: factor)
            let (sum, overflow) = low.addingReportingOverflow(carry)
            result.append(sum)
            carry = high &+ (overflow ? 1 : 0)
        }
        result.append(carry)
        return BigNumber(words: result)
    }

    func multiplied(by other: BigNumber) -> BigNumber {
        var total = BigNumber(words: [0])
        for (index, word) in other.words.enumerated() {
            total = total.adding(multiplied(bySmall: word).shiftedLeft(64 * index))
        }
        return total
    }

    func adding(_ other: BigNumber) -> BigNumber {
        var result: [UInt64] = [], carry = false
        for index in 0..<max(words.count, other.words.count) + 1 {
            let a = index < words.count ? words[index] : 0, b = index < other.words.count ? other.words[index] : 0
            let (partial, overflow1) = a.addingReportingOverflow(b)
            let (sum, overflow2) = partial.addingReportingOverflow(carry ? 1 : 0)
            result.append(sum)
            carry = overflow1 || overflow2
        }
        return BigNumber(words: result)
    }

    func adding(_ small: UInt64) -> BigNumber { adding(BigNumber(words: [small])) }

    /// self − 1, for self ≥ 1.
    func subtracting1() -> BigNumber {
        var result = words
        var index = 0
        while result[index] == 0 { result[index] = .max; index += 1 }
        result[index] -= 1
        return BigNumber(words: result)
    }

    func shiftedLeft(_ bits: Int) -> BigNumber {
        var result = [UInt64](repeating: 0, count: bits / 64) + words + [0]
        let shift = bits % 64
        if shift > 0 {
            for index in stride(from: result.count - 1, to: bits / 64, by: -1) {
                result[index] = (result[index] << shift) | (result[index - 1] >> (64 - shift))
            }
            result[bits / 64] <<= shift
        }
        return BigNumber(words: result)
    }

    func shiftedRight(_ bits: Int) -> BigNumber {
        let dropped = bits / 64, shift = bits % 64
        guard dropped < words.count else { return BigNumber(words: [0]) }
        var result = Array(words[dropped...])
        if shift > 0 {
            for index in 0..<result.count {
                let next = index + 1 < result.count ? result[index + 1] : 0
                result[index] = (result[index] >> shift) | (next << (64 - shift))
            }
        }
        return BigNumber(words: result)
    }

    static func < (lhs: BigNumber, rhs: BigNumber) -> Bool {
        if lhs.words.count != rhs.words.count { return lhs.words.count < rhs.words.count }
        for index in stride(from: lhs.words.count - 1, through: 0, by: -1) where lhs.words[index] != rhs.words[index] {
            return lhs.words[index] < rhs.words[index]
        }
        return false
    }
}

// MARK: - Ordering 70 classes, most probable first, ties in class order

/// The shipped algorithm (`ClassificationWriter.shownClasses`): insertion by bisection, one move per insert.
func insertionOrder(_ scores: UnsafeBufferPointer<Double>, topK: Int, into top: inout [Int]) {
    top.removeAll(keepingCapacity: true)
    top.append(contentsOf: repeatElement(0, count: topK))
    top.withUnsafeMutableBufferPointer { top in
        let base = top.baseAddress!
        var count = 0
        for c in 0..<scores.count {
            let value = scores[c]
            if count == topK, !(scores[base[count - 1]] < value) { continue }
            var low = 0, high = count
            while low < high {
                let middle = (low + high) / 2
                if scores[base[middle]] < value { high = middle } else { low = middle + 1 }
            }
            let moved = Swift.min(count, topK - 1) - low
            if moved > 0 { (base + low + 1).moveInitialize(from: base + low, count: moved) }
            base[low] = c
            count = Swift.min(count + 1, topK)
        }
    }
}

/// The same order from each class's rank (the classes before it), counted four comparisons at a time.
struct RankOrder {
    let topK:
 Int

    func placedByRank(_ scores: UnsafeBufferPointer<Double>, into top: inout [Int]) -> Bool {
        if scores.contains(where: \.isNaN) { return false }
        let topK = topK, count = scores.count, blockCount = (count + 3) / 4
        withUnsafeTemporaryAllocation(of: SIMD4<Double>.self, capacity: blockCount) { blocks in
            // The tail is padded with -infinity: never more probable than a class, and after all of them.
            for block in 0..<blockCount {
                var lanes = SIMD4<Double>(repeating: -.infinity)
                for lane in 0..<4 where 4 * block + lane < count { lanes[lane] = scores[4 * block + lane] }
                blocks[block] = lanes
            }
            top.withUnsafeMutableBufferPointer { top in
                for c in 0..<count {
                    let value = SIMD4<Double>(repeating: scores[c])
                    // A true lane is all ones, -1: subtracting the masks counts them.
                    var ranks = SIMD4<Int64>.zero
                    for block in 0..<(c / 4) { ranks &-= unsafeBitCast(blocks[block] .>= value, to: SIMD4<Int64>.self) }
                    for block in (c / 4 + 1)..<blockCount { ranks &-= unsafeBitCast(blocks[block] .> value, to: SIMD4<Int64>.self) }
                    var rank = Int(ranks.wrappedSum())
                    for other in (c & ~3)..<min((c | 3) + 1, count) where other != c {
                        rank += scores[other] > scores[c] || (scores[other] == scores[c] && other < c) ? 1 : 0
                    }
                    if rank < topK { top[rank] = c }
                }
            }
        }
        return true
    }
}

// MARK: - Driver

struct ByteStream: TextOutputStream {
    var bytes: [UInt8] = []
    mutating func write(_ string: String) { var string = string; string.withUTF8 { bytes.append(contentsOf: $0) } }
    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }
}

func ours(_ value: Double) -> [UInt8] {
    withUnsafeTemporaryAllocation(byteCount: ShortestDouble.room, alignment: 8) { buffer in
        Array(buffer[..<ShortestDouble.write(value, to: buffer.baseAddress!)])
    }
}

func check(_ count: Int) {
    var random = SplitMix(state: 0x2545_F491_4F6C_DD1D)
    var values: [Double] = [.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude]
    for exponent in -1074...1023 {
        let power = Double(sign: .plus, exponent: exponent, significand: 1)
        values += [power, power.nextUp, power.nextDown, power * 1.5]
    }
    for exponent in -325...309 { if let power = Double("1e\(exponent)") { values += [power, power.nextUp, power.nextDown] } }
    for integer in 0..<100_000 { values += [Double(integer), Double(integer) / 1000, 9007199254740992 + Double(2 * integer)] }
    var mismatches = 0, checked = 0
    func compare(_ value: Double) {
        guard value.isFinite else { return }
        checked += 1
        if ours(value) != Array(value.description.utf8) {
            mismatches += 1
            if mismatches <= 10 { print("mismatch: bits \(value.bitPattern), description \(value)") }
        }
    }
    values.forEach(compare)
    for _ in 0..<count { compare(Double(bitPattern: random.next())) }
    for _ in 0..<count / 4 { compare(exp(-random.unit() * 40)) }
    print("\(checked) values, \(mismatches) mismatches")
}

func median(_ times: [Double]) -> Double { times.sorted()[times.count / 2] }

func bench(_ rounds: Int) {
    var random = SplitMix(state: 7)
    let probabilities = (0..<3_500_000).map { _ in exp(-random.unit() * 20) }
    let classes = 70, rows = 50_000
    var scores: [Double] = []
    for _ in 0..<rows {
        let logits = (0..<classes).map { _ in random.unit() * 12 }
        let total = logits.reduce(0) { $0 + exp($1) }
        scores += logits.map { exp($0) / total }
    }
    var timings: [String: [Double]] = [:]
    func time(_ name: String, _ body: () -> Int) {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = body()
        timings[name, default: []].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        if result == -1 { print(name) }  // keeps the work
    }
    let raw = UnsafeMutableRawPointer.allocate(byteCount: 100_000_000, alignment: 8)
    var reference: [UInt8] = []
    for _ in 0..<rounds {
        time("format: standard library, TextOutputStream into [UInt8]") {
            var stream = ByteStream()
            stream.bytes.reserveCapacity(80_000_000)
            for value in probabilities { value.write(to: &stream) }
            reference = stream.bytes
            return stream.bytes.count
        }
        time("format: ours, appended to [UInt8]") {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(80_000_000)
            withUnsafeTemporaryAllocation(byteCount: ShortestDouble.room, alignment: 8) { buffer in
                for value in probabilities {
                    bytes.append(contentsOf: buffer[..<ShortestDouble.write(value, to: buffer.baseAddress!)])
                }
            }
            precondition(bytes == reference)
            return bytes.count
        }
        time("format: ours, into raw memory") {
            var at = 0
            for value in probabilities { at += ShortestDouble.write(value, to: raw + at) }
            return at
        }
        var first: [Int] = [], second: [Int] = [], sum = 0
        time("order 70 of 70: insertion sort (shipped)") {
            scores.withUnsafeBufferPointer { all in
                for row in 0..<rows {
                    insertionOrder(UnsafeBufferPointer(rebasing: all[row * classes ..< (row + 1) * classes]), topK: classes, into: &first)
                    sum &+= first[0]
                }
            }
            return sum
        }
        time("order 70 of 70: ranks, four comparisons at a time") {
            let ranking = RankOrder(topK: classes)
            scores.withUnsafeBufferPointer { all in
                for row in 0..<rows {
                    let slice = UnsafeBufferPointer(rebasing: all[row * classes ..< (row + 1) * classes])
                    second.removeAll(keepingCapacity: true)
                    second.append(contentsOf: repeatElement(0, count: classes))
                    _ = ranking.placedByRank(slice, into: &second)
                    sum &+= second[0]
                    if row % 997 == 0 { insertionOrder(slice, topK: classes, into: &first); precondition(first == second) }
                }
            }
            return sum
        }
    }
    for name in timings.keys.sorted() {
        print(name.padding(toLength: 56, withPad: " ", startingAt: 0) + String(format: "median %.3f s of %d rounds", median(timings[name]!), rounds))
    }
}

@main
enum NumberText {
    static func main() {
        let arguments = CommandLine.arguments
        switch arguments.count > 1 ? arguments[1] : "" {
        case "check": check(arguments.count > 2 ? Int(arguments[2])! : 1_000_000)
        case "bench": bench(arguments.count > 2 ? Int(arguments[2])! : 5)
        default: print("usage: number_text check [N] | bench [rounds]")
        }
    }
}
