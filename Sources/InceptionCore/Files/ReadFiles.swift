#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files a command reads (the model, its external data, the --weights files, the --input
/// file), so that no output lands on one of them. Issue 19: `export m.onnx -o m.onnx` replaced the
/// source model, and `export m.onnx -o w.onnx` overwrote the model's external data file.
///
/// Files are compared by device and inode of what their paths resolve to, so a symbolic link, a
/// hard link, `./m.onnx` or `dir/../m.onnx` cannot slip past a comparison of names.
public struct ReadFiles: Sendable {
    /// One file read: its path as the command saw it and what it is ("the model", "--weights").
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var role: String
        public init(path: String, role: String) {
            self.path = path
            self.role = role
        }
    }

    public private(set) var entries: [Entry] = []
    private var identities: [FileIdentity: Int] = [:]

    public init() {}

    /// Adds `path` when it exists (a missing file cannot be overwritten by accident).
    public mutating func add(_ path: String, role: String) {
        guard let id = FileIdentity.of(path), identities[id] == nil else { return }
        identities[id] = entries.count
        entries.append(Entry(path: path, role: role))
    }

    /// Adds every regular file directly in `directory` (the .npy files of --weights DIR).
    public mutating func addFiles(in directory: String, role: String) {
        guard let d = opendir(directory) else { return }
        defer { closedir(d) }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            add(prefix + name, role: role)
        }
    }

    /// The entry `path` would overwrite, if any.
    public func entry(overwrittenBy path: String) -> Entry? {
        guard let id = FileIdentity.of(path), let i = identities[id] else { return nil }
        return entries[i]
    }

    /// Throws "OUT: is the model (m.onnx); write to another file" when writing `path` would replace
    /// one of the files read.
    public func refuse(writing path: String) throws(AtomicWrite.Failure) {
        guard let read = entry(overwrittenBy: path) else { return }
        let what =
            read.path == path ? "\(read.role) itself" : "\(read.role) (\(PathText.shown(read.path))), which is read"
        throw AtomicWrite.Failure(description: "\(PathText.shown(path)): is \(what); write to another file")
    }
}

/// Which file a path resolves to: device and inode (symbolic links followed).
public struct FileIdentity: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64

    public static func of(_ path: String) -> FileIdentity? {
        var st = stat()
        guard !path.isEmpty, stat(path, &st) == 0 else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }
}
