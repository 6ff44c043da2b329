import Foundation

/// A fresh directory under the system's temporary directory, removed by `remove()` (call it in
/// `tearDown`, or `defer` it). Every test's scratch directory is one of these, so where tests
/// write and how the names are made is decided here once.
public struct TemporaryDirectory {
    public let url: URL

    public init(_ label: String = "test") throws {
        url = Self.uniqueURL(label)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A name under the system's temporary directory that no other test uses ("label-UUID"),
    /// not created: for scratch files and for directories a program under test creates itself.
    public static func uniqueURL(_ label: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
    }

    public var path: String { url.path }

    /// `name` inside the directory.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `contents` to `name` inside the directory; returns its path.
    @discardableResult
    public func write(_ name: String, _ contents: String) throws -> String {
        let p = path(name)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}
