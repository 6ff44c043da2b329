import Foundation
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
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func layout(_ name: String) -> String { repoRoot.appendingPathComponent("Layouts/\(name)").path }

    /// Runs the binary; one that is still running after `timeout` seconds (a hang) is killed and
    /// reported with status -1, so a hang fails its test instead of stalling the suite.
    static func run(_ args: [String], environment: [String: String]? = nil, timeout: Double = 120) throws -> CLIResult {
        let process = Process()
        process.executableURL = binary
        process.arguments = args
        if let environment { process.environment = environment }
        // Output goes to temporary files: no pipe can fill up and block the child.
        let dir = FileManager.default.temporaryDirectory
        let outURL = dir.appendingPathComponent("ie-cli-out-\(UUID().uuidString)")
        let errURL = dir.appendingPathComponent("ie-cli-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
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
        return CLIResult(status: timedOut ? -1 : process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }
}
