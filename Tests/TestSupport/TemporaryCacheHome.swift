import Foundation

/// Points `XDG_CACHE_HOME` (where the peak and algorithm caches live) at a fresh temporary
/// directory for this process, so a test reads and writes only its own cache; `restore()` (in a
/// `defer`) puts back the value there was before, or none, and removes the directory. Unsetting
/// instead would clear a user's own setting for the rest of the test process.
public struct TemporaryCacheHome {
    public let url: URL
    private let previous: String?

    public init(_ label: String = "cache") {
        url = TemporaryDirectory.uniqueURL(label)
        previous = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"]
        setenv("XDG_CACHE_HOME", url.path, 1)
    }

    public var path: String { url.path }

    public func restore() {
        if let previous { setenv("XDG_CACHE_HOME", previous, 1) } else { unsetenv("XDG_CACHE_HOME") }
        try? FileManager.default.removeItem(at: url)
    }
}
