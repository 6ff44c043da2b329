import Foundation

/// Test hooks, at `package` access: this package's test targets see them, users of the library do not.
extension Explorer {
    /// A background forward pass that had not ended when `waitForTiming` gave up.
    package struct TimingTimeout: Error, CustomStringConvertible {
        package var description: String
    }

    /// Waits for the background forward pass to end, polling its outcome into the state as the
    /// loop does. Throws `TimingTimeout` when it still runs after `timeoutSeconds`, so a timer that
    /// hangs fails the test instead of letting it go on as if the pass had ended.
    package func waitForTiming(timeoutSeconds: Double = 30) throws {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while let run {
            guard Date() < deadline else {
                throw TimingTimeout(
                    description: "the forward pass of \"\(run.path)\" still ran after \(timeoutSeconds) s")
            }
            Thread.sleep(forTimeInterval: 0.005)
            poll()
        }
    }
}
