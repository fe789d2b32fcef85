import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files of writers that have not finished, so that SIGINT, SIGTERM or SIGHUP remove them
/// instead of leaving `.partial-*` files behind (SIGKILL cannot be caught; the next write to the same target
/// removes those).
public enum TemporaryFileRegistry {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var live: Set<String> = []
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    nonisolated(unsafe) private static var signalActions: [Int: @Sendable () -> Void] = [:]
    nonisolated(unsafe) private static var nextActionID = 0
    /// Set by the first terminating signal: from then on the process is dying and creates nothing new.
    nonisolated(unsafe) private static var terminating = false

    /// Creates a temporary file with `open` (a descriptor, or -1 with `errno` set) and records `path`, both
    /// under the lock the signal handler takes, so a signal cannot fall between the two and leave the file
    /// behind. Once a terminating signal is being handled it creates nothing and fails with EINTR. On failure
    /// `errno` is the one `open` set.
    static func create(_ path: String, opening open: () -> Int32) -> Int32 {
        lock.lock()
        var descriptor: Int32 = -1
        var failure = EINTR
        if !terminating {
            descriptor = open()
            failure = errno
            if descriptor >= 0 { live.insert(path) }
        }
        lock.unlock()
        if descriptor < 0 { errno = failure }
        return descriptor
    }

    static func remove(_ path: String) { lock.lock(); live.remove(path); lock.unlock() }

    /// Runs `action` when SIGINT, SIGTERM or SIGHUP ends the process (before it dies of the signal), until
    /// ``cancelAtTerminatingSignal(_:)``: for state outside the process that must be put back, such as a
    /// terminal in raw mode. The signals have one owner (this registry), so the action runs whichever
    /// thread the signal reaches. Returns the token to cancel it with.
    public static func atTerminatingSignal(_ action: @escaping @Sendable () -> Void) -> Int {
        lock.lock(); defer { lock.unlock() }
        nextActionID += 1
        signalActions[nextActionID] = action
        return nextActionID
    }

    public static func cancelAtTerminatingSignal(_ token: Int) {
        lock.lock(); signalActions[token] = nil; lock.unlock()
    }

    /// Paths of temporary files in use now.
    public static var paths: Set<String> { lock.lock(); defer { lock.unlock() }; return live }

    /// The signals whose default action ends the process and that a user or a system sends to ask for it:
    /// Ctrl-C, Ctrl-\ (whose default would also start Swift's crash reporter), `kill`, a closed terminal,
    /// and the user signals and alarm, which nothing here uses.
    static let terminatingSignals = [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM]

    /// On one of ``terminatingSignals``: remove every live temporary file, then die of the same signal (so the
    /// parent sees the conventional status). Call once, early in `main`.
    ///
    /// A signal the process was started with ignored stays ignored: `nohup` (SIGHUP), `trap '' INT` or a shell's
    /// background job (SIGINT, SIGQUIT) promise the parent that it will not end the run.
    public static func removeOnTerminatingSignals() {
        lock.lock(); defer { lock.unlock() }
        guard sources.isEmpty else { return }
        // A parent may hand these signals down blocked; unblocked here, they reach the Dispatch source.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signalNumber in terminatingSignals { sigaddset(&unblock, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for signalNumber in terminatingSignals where !isIgnored(signalNumber) {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                // The clean-up runs once; a second signal (or this one again) only re-sends itself.
                lock.lock()
                if !terminating {
                    terminating = true
                    for action in signalActions.values { action() }
                    for path in live { unlink(path) }
                    live.removeAll()
                }
                lock.unlock()
                signal(signalNumber, SIG_DFL)
                // To the process, not this thread: Dispatch worker threads block signals.
                kill(getpid(), signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Whether `signalNumber`'s disposition is now "ignore" (as inherited across `exec`).
    static func isIgnored(_ signalNumber: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(signalNumber, nil, &current) == 0 else { return false }
        return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }
}
