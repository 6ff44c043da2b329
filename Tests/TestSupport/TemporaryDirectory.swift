import Foundation

/// A fresh directory under the system's temporary directory, removed by `remove()` (call it in
/// `tearDown`).
public struct TemporaryDirectory {
    public let url: URL

    public init(_ label: String = "test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
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
