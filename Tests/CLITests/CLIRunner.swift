import Foundation
import TestSupport
import XCTest

/// Runs the built `inception-explorer` binary (swift test builds it beside the test bundle) and
/// captures stdout, stderr and the exit code.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    /// The directory holding the built products (the test bundle's own directory).
    static var productsDirectory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    static var binary: URL { productsDirectory.appendingPathComponent("inception-explorer") }

    /// The repository root (for Layouts/ and fixtures).
    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static func layout(_ name: String) -> String { repoRoot.appendingPathComponent("Layouts/\(name)").path }

    /// The cache directory (`XDG_CACHE_HOME`) every binary the tests start gets unless its test
    /// chose its own: `run`, `bench` and `explore` write algorithms.json and peak.json there, and
    /// `swift test` must never write into the user's ~/.cache. One per test process (so the
    /// choices timed by one test are reused by the next, as on a user's machine), removed at exit.
    static let temporaryCache: String = {
        let path = TemporaryDirectory.uniqueURL("ie-cli-cache").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: CLI.temporaryCache) }
        return path
    }()

    /// `given` (the test process's environment when nil) with `XDG_CACHE_HOME` pointing at
    /// `temporaryCache`, unless the test set its own: a value other than the one inherited from
    /// the process running the tests (copying `ProcessInfo`'s environment is not a choice).
    static func environment(_ given: [String: String]? = nil) -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        var e = given ?? inherited
        if e["XDG_CACHE_HOME"] == nil || e["XDG_CACHE_HOME"] == inherited["XDG_CACHE_HOME"] {
            e["XDG_CACHE_HOME"] = temporaryCache
        }
        return e
    }

    /// Runs the binary (in `environment(environment)`: a temporary cache unless the test gives
    /// its own; in `directory` when given); one that is still running after `timeout` seconds (a
    /// hang) is killed and reported with status -1, so a hang fails its test instead of stalling
    /// the suite.
    static func run(
        _ args: [String], environment: [String: String]? = nil, directory: URL? = nil,
        timeout: Double = 120
    ) throws -> CLIResult {
        let process = Process()
        process.executableURL = binary
        process.arguments = args
        if let directory { process.currentDirectoryURL = directory }
        process.environment = Self.environment(environment)
        // Output goes to temporary files: no pipe can fill up and block the child.
        let outURL = TemporaryDirectory.uniqueURL("ie-cli-out")
        let errURL = TemporaryDirectory.uniqueURL("ie-cli-err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            process.waitUntilExit()
            done.signal()
        }
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return CLIResult(
            status: timedOut ? -1 : process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
