// The only Swift file that talks to CBLAS and LAPACKE: typed, bounds-checked wrappers.
import CBLAS
import Dispatch

/// Level-1/2/3 BLAS on `Double`, with unit strides and row-major matrices.
///
/// Each function checks its buffer sizes with `precondition`, so a shape mistake stops at the call
/// instead of reading past an array.
public enum BLAS {
    /// `x · y`.
    public static func dot(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>) -> Double {
        precondition(x.count == y.count, "dot: lengths \(x.count) and \(y.count) differ")
        guard x.count > 0 else { return 0 }
        guard x.count >= 2 * chunkLength else { return cblas_ddot(Int32(x.count), x.baseAddress, 1, y.baseAddress, 1) }
        // Long vectors: partial sums added in chunk order (deterministic).
        return chunkResults(count: x.count) { chunk in
            cblas_ddot(Int32(chunk.count), x.baseAddress! + chunk.lowerBound, 1, y.baseAddress! + chunk.lowerBound, 1)
        }.reduce(0, +)
    }

    /// Vectors at least twice this long are split into chunks of this length and processed in parallel.
    /// The partition depends only on the length, never on the thread count, so results are reproducible.
    public static let chunkLength = 1 << 16

    /// Runs `body` on each `chunkLength` chunk of `0..<n` (the last one shorter), on all cores.
    public static func forEachChunk(count n: Int, _ body: (_ chunk: Range<Int>) -> Void) {
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: (n + chunkLength - 1) / chunkLength) { c in
                body(c * chunkLength ..< min(n, (c + 1) * chunkLength))
            }
        }
    }

    /// `part` of each `chunkLength` chunk of `0..<n`, computed on all cores, in chunk order.
    public static func chunkResults(count n: Int, _ part: (_ chunk: Range<Int>) -> Double) -> [Double] {
        var results = [Double](repeating: 0, count: (n + chunkLength - 1) / chunkLength)
        results.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            forEachChunk(count: n) { chunk in base[chunk.lowerBound / chunkLength] = part(chunk) }
        }
        return results
    }

    /// `x · y`.
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        x.withUnsafeBufferPointer { xb in y.withUnsafeBufferPointer { yb in dot(xb, yb) } }
    }

    /// `y ← alpha·x + y`.
    public static func axpy(_ alpha: Double, _ x: UnsafeBufferPointer<Double>, _ y: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == y.count, "axpy: lengths \(x.count) and \(y.count) differ")
        guard x.count > 0 else { return }
        guard x.count >= 2 * chunkLength else {
            cblas_daxpy(Int32(x.count), alpha, x.baseAddress, 1, y.baseAddress, 1)
            return
        }
        forEachChunk(count: x.count) { chunk in
            cblas_daxpy(Int32(chunk.count), alpha, x.baseAddress! + chunk.lowerBound, 1, y.baseAddress! + chunk.lowerBound, 1)
        }
    }

    /// `y ← alpha·x + y`.
    public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        x.withUnsafeBufferPointer { xb in y.withUnsafeMutableBufferPointer { yb in axpy(alpha, xb, yb) } }
    }

    /// `y[i·incY] += alpha·x[i·incX]` for `i < count`, on raw pointers: the hot-loop form, no checks.
    @inline(__always)
    public static func axpy(
        count: Int, _ alpha: Double, _ x: UnsafePointer<Double>, stride incX: Int = 1,
        _ y: UnsafeMutablePointer<Double>, stride incY: Int = 1
    ) {
        cblas_daxpy(Int32(count), alpha, x, Int32(incX), y, Int32(incY))
    }

    /// `y ← x`, long vectors in chunks on all cores (a single-threaded copy of a large model's parameters
    /// leaves the other core idle at every line-search step).
    public static func copy(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == y.count, "copy: lengths \(x.count) and \(y.count) differ")
        guard x.count > 0 else { return }
        guard x.count >= 2 * chunkLength else {
            y.baseAddress!.update(from: x.baseAddress!, count: x.count)
            return
        }
        forEachChunk(count: x.count) { chunk in
            (y.baseAddress! + chunk.lowerBound).update(from: x.baseAddress! + chunk.lowerBound, count: chunk.count)
        }
    }

    /// `x ← alpha·x`.
    public static func scal(_ alpha: Double, _ x: UnsafeMutableBufferPointer<Double>) {
        guard x.count > 0 else { return }
        guard x.count >= 2 * chunkLength else {
            cblas_dscal(Int32(x.count), alpha, x.baseAddress, 1)
            return
        }
        forEachChunk(count: x.count) { chunk in cblas_dscal(Int32(chunk.count), alpha, x.baseAddress! + chunk.lowerBound, 1) }
    }

    /// `x ← alpha·x`.
    public static func scal(_ alpha: Double, _ x: inout [Double]) {
        x.withUnsafeMutableBufferPointer { scal(alpha, $0) }
    }

    /// `max_i |x_i|` (0 for an empty vector), the infinity norm.
    public static func maxMagnitude(_ x: UnsafeBufferPointer<Double>) -> Double {
        guard x.count > 0 else { return 0 }
        func largest(_ chunk: Range<Int>) -> Double {
            abs(x[chunk.lowerBound + Int(cblas_idamax(Int32(chunk.count), x.baseAddress! + chunk.lowerBound, 1))])
        }
        guard x.count >= 2 * chunkLength else { return largest(0..<x.count) }
        // Long vectors: each chunk's largest on all cores, then the first strictly larger one wins, as
        // `idamax` keeps its first maximum: the same value as one call, a NaN included.
        let maxima = chunkResults(count: x.count, largest)
        return maxima.dropFirst().reduce(maxima[0]) { $1 > $0 ? $1 : $0 }
    }

    /// `max_i |x_i|` (0 for an empty vector), the infinity norm.
    public static func maxMagnitude(_ x: [Double]) -> Double { x.withUnsafeBufferPointer { maxMagnitude($0) } }

    /// The Euclidean norm `‖x‖₂` (computed without overflow by BLAS).
    public static func nrm2(_ x: UnsafeBufferPointer<Double>) -> Double {
        guard x.count > 0 else { return 0 }
        return cblas_dnrm2(Int32(x.count), x.baseAddress, 1)
    }

    /// The Euclidean norm `‖x‖₂`.
    public static func nrm2(_ x: [Double]) -> Double { x.withUnsafeBufferPointer { nrm2($0) } }

    /// `y ← alpha·op(A)·x + beta·y`, where `op(A)` is `A` or `Aᵀ`.
    public static func gemv(
        transpose: Bool = false, alpha: Double = 1, _ a: DenseMatrix, _ x: [Double],
        beta: Double = 0, _ y: inout [Double]
    ) {
        let (inLength, outLength) = transpose ? (a.rowCount, a.columnCount) : (a.columnCount, a.rowCount)
        precondition(x.count == inLength, "gemv: x has \(x.count) entries, op(A) has \(inLength) columns")
        precondition(y.count == outLength, "gemv: y has \(y.count) entries, op(A) has \(outLength) rows")
        guard a.rowCount > 0, a.columnCount > 0 else {
            scal(beta, &y)
            return
        }
        cblas_dgemv(
            CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(a.rowCount), Int32(a.columnCount),
            alpha, a.values, Int32(a.columnCount), x, 1, beta, &y, 1)
    }

    /// `C ← alpha·op(A)·op(B) + beta·C`, where `op(M)` is `M` or `Mᵀ`.
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false, alpha: Double = 1,
        _ a: DenseMatrix, _ b: DenseMatrix, beta: Double = 0, _ c: inout DenseMatrix
    ) {
        let (m, ka) = transposeA ? (a.columnCount, a.rowCount) : (a.rowCount, a.columnCount)
        let (kb, n) = transposeB ? (b.columnCount, b.rowCount) : (b.rowCount, b.columnCount)
        precondition(ka == kb, "gemm: op(A) is \(m)×\(ka) but op(B) is \(kb)×\(n)")
        precondition(c.rowCount == m && c.columnCount == n, "gemm: C is \(c.rowCount)×\(c.columnCount), expected \(m)×\(n)")
        guard m > 0, n > 0 else { return }
        guard ka > 0 else {
            scal(beta, &c.values)
            return
        }
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(ka), alpha, a.values, Int32(a.columnCount),
            b.values, Int32(b.columnCount), beta, &c.values, Int32(c.columnCount))
    }
}

/// Dense solvers from LAPACK (through LAPACKE).
public enum LAPACK {
    /// Why a LAPACK routine failed.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The matrix is not symmetric positive definite: its leading minor of this order is not positive.
        case notPositiveDefinite(order: Int)
        /// LAPACK rejected an argument (its 1-based position), a programming error.
        case illegalArgument(position: Int)

        public var description: String {
            switch self {
            case .notPositiveDefinite(let order):
                "LAPACK dposv: the leading minor of order \(order) is not positive (matrix not positive definite)"
            case .illegalArgument(let position):
                "LAPACK dposv: argument \(position) has an illegal value"
            }
        }
    }

    /// Solves `A·X = B` for a symmetric positive definite `A` (n×n) by Cholesky factorisation (`dposv`).
    ///
    /// `B` is n×m (each column a right-hand side); returns `X` with the same shape.
    public static func solvePositiveDefinite(_ a: DenseMatrix, _ b: DenseMatrix) throws(Failure) -> DenseMatrix {
        precondition(a.rowCount == a.columnCount, "posv: A is \(a.rowCount)×\(a.columnCount), not square")
        precondition(b.rowCount == a.rowCount, "posv: B has \(b.rowCount) rows, A has \(a.rowCount)")
        var factor = a.values
        var solution = b
        guard a.rowCount > 0, b.columnCount > 0 else { return solution }
        let info = LAPACKE_dposv(
            LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(a.rowCount), Int32(b.columnCount),
            &factor, Int32(a.rowCount), &solution.values, Int32(b.columnCount))
        if info > 0 { throw .notPositiveDefinite(order: Int(info)) }
        if info < 0 { throw .illegalArgument(position: Int(-info)) }
        return solution
    }
}
