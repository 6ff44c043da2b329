import ArgumentParser
import InceptionCore

/// Loads LAYOUT arguments for every command, turning load errors into one-line failures.
enum LayoutArgument {
    static let help: ArgumentHelp = "An inception-layout/1 JSON file, or builtin:googlenet / builtin:inception-v3."

    static func load(_ reference: String) throws(Failure) -> LayoutSource {
        do {
            return try LayoutSource.load(reference)
        } catch {
            throw Failure(error.description)
        }
    }
}

/// Positive integer options (--batch, --depth, ...), validated with a one-line message.
func requirePositive(_ value: Int?, _ name: String) throws {
    if let v = value, v < 1 { throw ValidationError("--\(name) must be a positive integer, got \(v)") }
}
