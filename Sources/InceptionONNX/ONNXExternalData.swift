#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a model's external data may be read from: the one confinement rule.
///
/// A `location` is resolved, as onnxruntime resolves it, relative to the directory of the model
/// path *as given* (not the model's real path: a Hugging Face cache keeps `model.onnx` and
/// `model.onnx.data` as two links in `snapshots/REV/` to two blobs named by hash, so only the
/// link's own folder finds the data by name). The location must be relative, without `..` and
/// without a NUL (which would cut the path short at the C boundary).
///
/// Its real path (every symlink followed, `realpath`) must then lie inside either
/// - the real path of that directory — the folder the user pointed at, followed if it is itself a
///   link; a link *inside* it that leads out (`w.bin -> /home/me/.ssh/id_rsa`, or a folder
///   `d -> /etc` with location `d/passwd`) is refused: the class of CVE-2022-25882 and
///   CVE-2024-27318 in onnx, issue 19's item 1; or
/// - the folder holding the model file's real path, when that is another folder (the model was
///   reached through a link): the cache's `blobs/`, where the data link points too.
///
/// This is onnxruntime's rule since 1.25 (the "logical" and the "physical" check of its
/// `ValidateExternalDataPath`). The second root only opens a folder that holds the real file of a
/// model, so a folder of plain files with a link in it never reads outside itself; what it still
/// allows is a crafted folder whose *model* is a link to someone's real model whose data links
/// are then steered to other files beside that real model — it needs that model's path and its
/// data's names, and reads nothing outside the folder of a real model. The check and the open are
/// two steps: a folder being swapped for a link between them (a local race, not a downloaded
/// file) is out of scope, as it is for onnxruntime.
enum ExternalDataFolder {
    /// A location that is refused, or a file that cannot be resolved: the message's tail.
    struct Refusal: Error {
        var message: String
    }

    /// The real path to open for `location`, read by the model at `modelPath` (as given).
    static func resolve(_ location: String, modelPath: String) throws(Refusal) -> String {
        guard !location.isEmpty else { throw Refusal(message: "is external data without a location") }
        let shown = FileText.quoted(location)
        guard !location.unicodeScalars.contains("\0") else {
            throw Refusal(message: "external data location \(shown) holds a NUL character")
        }
        guard !location.hasPrefix("/"), !location.split(separator: "/").contains("..") else {
            throw Refusal(message: "external data location \(shown) must be a file beside the model")
        }
        let directory = Self.directory(of: modelPath)
        guard let realDirectory = realPath(directory) else {
            throw Refusal(
                message: "external data location \(shown): cannot resolve the model's folder (\(reason(errno)))")
        }
        guard let real = realPath(directory + "/" + location) else {
            let e = errno
            throw Refusal(
                message: e == ENOENT || e == ENOTDIR
                    ? "external data file \(shown) is missing (keep it beside the model)"
                    : "external data file \(shown): \(reason(e))")
        }
        if contains(realDirectory, real) { return real }
        if let realModel = realPath(modelPath), case let modelFolder = Self.directory(of: realModel),
            modelFolder != realDirectory, contains(modelFolder, real)
        {
            return real
        }
        throw Refusal(
            message: "external data location \(shown) leads out of the model's folder (through a symbolic link, "
                + "to \(FileText.quoted(real))); keep the data in the model's folder")
    }

    /// The directory part of `path` ("." for a bare file name, "/" for a file at the root).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let head = String(path[..<slash])
        return head.isEmpty ? "/" : head
    }

    /// Whether `path` is `root` or lies below it (both real paths, without a trailing "/").
    static func contains(_ root: String, _ path: String) -> Bool {
        root == "/" || path == root || path.hasPrefix(root + "/")
    }

    /// `realpath(3)`: every link followed, `.` and `//` removed; nil (and `errno`) when a part is
    /// missing or unreadable.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func reason(_ e: Int32) -> String {
        switch e {
        case EACCES: "permission denied"
        case ELOOP: "too many levels of symbolic links"
        case ENAMETOOLONG: "file name too long"
        default: String(cString: strerror(e))
        }
    }
}
