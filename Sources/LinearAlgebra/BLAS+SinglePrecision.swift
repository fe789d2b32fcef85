import CBLAS
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Single-precision products for the sentence encoder, whose weights are float32.
///
/// Which library runs them is chosen once per process (`singlePrecisionBackend`): OpenBLAS
/// (`libopenblas.so.0`, loaded with `dlopen`) when it is installed, else the system CBLAS. The
/// double-precision routines above always use the system BLAS, Debian's reference BLAS by default,
/// so TF-IDF models stay bit-reproducible across processors; only the encoder, whose matrix products
/// are ~6 GFLOP per paper, needs a tuned sgemm (the reference one runs ~20× slower, Benchmarks/README.md).
/// Set `ARXIVDIGEST_SGEMM=system` to force the system CBLAS.
extension BLAS {
    /// `C ← alpha·op(A)·op(B) + beta·C` on row-major `Float` buffers, where `op(M)` is `M` or `Mᵀ`,
    /// `op(A)` is m×k, `op(B)` is k×n and C is m×n. The leading dimensions are the row strides, so
    /// a block of columns inside a wider matrix (one attention head) is passed without copying.
    ///
    /// Raw pointers, as in the hot loops of a transformer; the shape checks are `precondition`s on
    /// the leading dimensions only (the caller owns the buffer sizes). Single-threaded: callers that
    /// want all cores run independent products on several threads.
    @inline(__always)
    public static func sgemm(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(lda >= max(1, transposeA ? m : k) && ldb >= max(1, transposeB ? k : n) && ldc >= max(1, n),
                     "sgemm: a leading dimension is shorter than its row")
        guard m > 0, n > 0 else { return }
        SinglePrecisionLibrary.shared.sgemm(
            Int32(CblasRowMajor.rawValue), Int32((transposeA ? CblasTrans : CblasNoTrans).rawValue),
            Int32((transposeB ? CblasTrans : CblasNoTrans).rawValue),
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The library that runs `sgemm`: "OpenBLAS (libopenblas.so.0, Haswell kernels)" or "system CBLAS (libblas.so.3)".
    public static var singlePrecisionBackend: String { SinglePrecisionLibrary.shared.name }
}

/// The `cblas_sgemm` in use, resolved once.
struct SinglePrecisionLibrary: @unchecked Sendable {
    typealias SGEMM = @convention(c) (
        Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
        UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias SetThreads = @convention(c) (Int32) -> Void

    let sgemm: SGEMM
    let name: String

    static let shared: SinglePrecisionLibrary = {
        let system = SinglePrecisionLibrary(sgemm: { order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
            cblas_sgemm(CBLAS_LAYOUT(rawValue: UInt32(order)), CBLAS_TRANSPOSE(rawValue: UInt32(ta)), CBLAS_TRANSPOSE(rawValue: UInt32(tb)),
                        m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        }, name: "system CBLAS (libblas.so.3)")
        if ProcessInfo.processInfo.environment["ARXIVDIGEST_SGEMM"] == "system" { return system }
        // OpenBLAS picks its kernels for the processor it finds, and kernels sum in different orders:
        // embeddings (and the models trained on them) would differ between machines. Its Haswell
        // (AVX2 + FMA) kernels run on every x86-64 processor of the last decade at about the speed of
        // the newer ones, so they are chosen everywhere they can run (unless OPENBLAS_CORETYPE is set):
        // the same weight file then gives the same embeddings bit for bit on any such machine.
        // OpenBLAS reads the variable when it is loaded, just below.
        if ProcessorFeatures.hasAVX2AndFMA { setenv("OPENBLAS_CORETYPE", "Haswell", 0) }
        // RTLD_LOCAL: OpenBLAS's symbols stay out of the global namespace, so the system BLAS keeps
        // serving every other routine.
        guard let handle = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL),
              let symbol = dlsym(handle, "cblas_sgemm") else { return system }
        // One OpenBLAS thread per call: the encoder runs one pass per core itself, and OpenBLAS's own
        // threads on top of that only fight over the cores.
        if let setThreads = dlsym(handle, "openblas_set_num_threads") {
            unsafeBitCast(setThreads, to: SetThreads.self)(1)
        }
        // The kernels in use are part of the name, which keys the embedding cache.
        typealias CoreName = @convention(c) () -> UnsafePointer<CChar>?
        let core = dlsym(handle, "openblas_get_corename").flatMap { unsafeBitCast($0, to: CoreName.self)() }.map { String(cString: $0) }
        return SinglePrecisionLibrary(sgemm: unsafeBitCast(symbol, to: SGEMM.self),
                                      name: "OpenBLAS (libopenblas.so.0\(core.map { ", \($0) kernels" } ?? ""))")
    }()
}
