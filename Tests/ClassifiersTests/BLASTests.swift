import LinearAlgebra
import Testing

@Suite("BLAS and LAPACK wrappers")
struct BLASTests {
    @Test("level 1 on hand-worked vectors")
    func levelOne() {
        #expect(BLAS.dot([1, 2, 3], [4, -5, 6]) == 12)
        var y = [1.0, 1, 1]
        BLAS.axpy(2, [1, 2, 3], &y)
        #expect(y == [3, 5, 7])
        BLAS.scal(-0.5, &y)
        #expect(y == [-1.5, -2.5, -3.5])
        #expect(BLAS.nrm2([3, 4]) == 5)
        #expect(BLAS.maxMagnitude([1, -7, 3]) == 7)
        #expect(BLAS.dot([], []) == 0)
    }

    @Test("chunked parallel level 1 equals the sequential definition on long vectors")
    func longVectors() {
        let n = 5 * BLAS.chunkLength + 123
        let x = (0..<n).map { Double($0 % 17) - 8 }
        let y = (0..<n).map { Double($0 % 5) * 0.25 }
        // Small integers and quarters: every partial sum is exact, so any order gives the same value.
        var expected = 0.0
        for i in 0..<n { expected += x[i] * y[i] }
        #expect(BLAS.dot(x, y) == expected)
        var z = y
        BLAS.axpy(3, x, &z)
        let sum: [Double] = (0..<n).map { (i: Int) -> Double in y[i] + 3 * x[i] }
        #expect(z == sum)
        BLAS.scal(2, &z)
        let doubled: [Double] = sum.map { (v: Double) -> Double in 2 * v }
        #expect(z == doubled)
        var copied = [Double](repeating: .nan, count: n)
        x.withUnsafeBufferPointer { source in copied.withUnsafeMutableBufferPointer { BLAS.copy(source, $0) } }
        #expect(copied == x)
    }

    @Test("the chunked largest magnitude is the one idamax finds, wherever it and a NaN are")
    func longMaxMagnitude() {
        let n = 4 * BLAS.chunkLength + 7
        var x = (0..<n).map { Double($0 % 13) - 6 }
        #expect(BLAS.maxMagnitude(x) == 6)
        for position in [0, BLAS.chunkLength - 1, 2 * BLAS.chunkLength, n - 1] {
            var y = x
            y[position] = -9.5
            #expect(BLAS.maxMagnitude(y) == 9.5, "largest at \(position)")
        }
        // idamax keeps its first maximum and a NaN never compares larger: only a NaN in front is the answer.
        x[BLAS.chunkLength] = .nan  // the first entry of a later chunk
        #expect(BLAS.maxMagnitude(x) == 6)
        x[0] = .nan
        #expect(BLAS.maxMagnitude(x).isNaN)
    }

    @Test("gemv and gemm on a hand-worked 2×3 example")
    func levelTwoAndThree() {
        let a = DenseMatrix(rows: [[1, 2, 3], [4, 5, 6]])
        var y = [0.0, 0]
        BLAS.gemv(a, [1, 0, -1], &y)
        #expect(y == [-2, -2])
        var yt = [1.0, 1, 1]
        BLAS.gemv(transpose: true, alpha: 2, a, [1, 1], beta: 1, &yt)
        #expect(yt == [11, 15, 19])
        let b = DenseMatrix(rows: [[1, 0], [0, 1], [1, 1]])
        var c = DenseMatrix(rowCount: 2, columnCount: 2)
        BLAS.gemm(a, b, &c)
        #expect(c == DenseMatrix(rows: [[4, 5], [10, 11]]))
        var ata = DenseMatrix(rowCount: 3, columnCount: 3)
        BLAS.gemm(transposeA: true, a, a, &ata)
        #expect(ata == DenseMatrix(rows: [[17, 22, 27], [22, 29, 36], [27, 36, 45]]))
    }

    @Test("Cholesky solve of a positive definite system, and the failure on an indefinite one")
    func positiveDefiniteSolve() throws {
        let a = DenseMatrix(rows: [[4, 2], [2, 3]])
        let x = try LAPACK.solvePositiveDefinite(a, DenseMatrix(rows: [[2], [1]]))
        #expect(abs(x[0, 0] - 0.5) < 1e-15 && abs(x[1, 0]) < 1e-15)
        #expect(throws: LAPACK.Failure.notPositiveDefinite(order: 2)) {
            try LAPACK.solvePositiveDefinite(DenseMatrix(rows: [[1, 2], [2, 1]]), DenseMatrix(rows: [[1], [1]]))
        }
    }

    @Test("dense transpose")
    func transpose() {
        let a = DenseMatrix(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(a.transposed() == DenseMatrix(rows: [[1, 4], [2, 5], [3, 6]]))
        #expect(a.transposed().transposed() == a)
    }
}
