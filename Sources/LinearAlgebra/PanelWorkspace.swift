/// A 64-byte-aligned buffer that a repeated sparse product packs its column panels into.
///
/// A panel is megabytes (d × 24 doubles); allocating it per product hands fresh pages to the kernel to
/// zero on every call, which was 6% of a 100k-document logistic-regression fit. One workspace serves one
/// product at a time: it is not for sharing between threads.
public final class PanelWorkspace {
    private var storage: UnsafeMutableRawPointer?
    private var capacity = 0

    public init() {}

    deinit { storage?.deallocate() }

    /// At least `byteCount` bytes, 64-byte aligned; the contents of an earlier call are not kept.
    func buffer(byteCount: Int) -> UnsafeMutableRawPointer {
        if let storage, capacity >= byteCount { return storage }
        storage?.deallocate()
        capacity = max(byteCount, 64)
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
        return storage!
    }
}
