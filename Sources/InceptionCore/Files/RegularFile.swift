#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open regular file, for reading. Opening refuses anything else — a FIFO, a device, a socket,
/// a directory — with a one-line reason, and never blocks: the type is checked with `stat` before
/// `open`, the open is non-blocking (a FIFO swapped in between cannot hang it), and `fstat` on the
/// descriptor confirms the type of what was actually opened.
public final class RegularFile {
    /// "PATH: reason", one line.
    public struct Failure: Error, Equatable, CustomStringConvertible, Sendable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    public let path: String
    /// The size when opened, in bytes.
    public let size: Int
    private let fd: Int32

    private init(path: String, fd: Int32, size: Int) {
        self.path = path
        self.fd = fd
        self.size = size
    }

    deinit { close(fd) }

    public static func open(_ path: String) throws(Failure) -> RegularFile {
        var st = stat()
        if stat(path, &st) != 0 { throw Failure("\(PathText.shown(path)): \(reason(errno: errno, path: path))") }
        try requireRegular(st.st_mode, path)
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 { throw Failure("\(PathText.shown(path)): \(reason(errno: errno, path: path))") }
        if fstat(fd, &st) != 0 {
            let e = errno
            close(fd)
            throw Failure("\(PathText.shown(path)): \(reason(errno: e, path: path))")
        }
        if (st.st_mode & S_IFMT) != S_IFREG {
            close(fd)
            try requireRegular(st.st_mode, path)
        }
        return RegularFile(path: path, fd: fd, size: Int(st.st_size))
    }

    /// Reads a whole regular file; a file over `maxBytes` is refused before it is read.
    public static func readAll(_ path: String, maxBytes: Int = .max) throws(Failure) -> [UInt8] {
        try open(path).readToEnd(maxBytes: maxBytes)
    }

    /// Reads the opened file from the current position (its start, unless `read(upTo:)` moved it)
    /// to its end; a file over `maxBytes` is refused before it is read, and one that grew past the
    /// limit since it was opened is refused too.
    public func readToEnd(maxBytes: Int = .max) throws(Failure) -> [UInt8] {
        if size > maxBytes {
            throw Failure("\(PathText.shown(path)): the file is \(size) bytes, over the limit of \(maxBytes)")
        }
        let bytes = try read(upTo: maxBytes == .max ? .max : maxBytes + 1)
        if bytes.count > maxBytes {
            throw Failure("\(PathText.shown(path)): the file is over the limit of \(maxBytes) bytes")
        }
        return bytes
    }

    /// Reads from the current position until `count` bytes or the end of the file.
    public func read(upTo count: Int) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(min(count, max(size, 0) + 1))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while out.count < count {
            let want = min(chunk.count, count - out.count)
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, want) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure("\(PathText.shown(path)): read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Reads `count` bytes from byte `offset` (fewer at the end of the file), without moving the
    /// position: a slice of a large file, such as one tensor of an ONNX external-data file.
    public func read(at offset: Int, count: Int) throws(Failure) -> [UInt8] {
        guard offset >= 0, count >= 0 else {
            throw Failure("\(PathText.shown(path)): bad read offset \(offset) or length \(count)")
        }
        var out = [UInt8](repeating: 0, count: count)
        var result: Result<Int, Failure> = .success(0)
        out.withUnsafeMutableBytes { buffer in
            result = Result { () throws(Failure) in try read(at: offset, into: buffer) }
        }
        let done = try result.get()
        return done == count ? out : Array(out[0..<done])
    }

    /// Reads into `buffer` from byte `offset` until it is full or the file ends; returns the bytes
    /// read. The caller's memory is filled in place, so a large slice (an ONNX tensor of
    /// gigabytes) is held once, not once read and again converted.
    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(Failure) -> Int {
        guard offset >= 0 else { throw Failure("\(PathText.shown(path)): bad read offset \(offset)") }
        var done = 0
        while done < buffer.count {
            let n = Glibc.pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure("\(PathText.shown(path)): read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Throws "PATH: is a FIFO, not a regular file" unless `mode` is a regular file's.
    static func requireRegular(_ mode: mode_t, _ path: String) throws(Failure) {
        if (mode & S_IFMT) != S_IFREG {
            throw Failure("\(PathText.shown(path)): is \(article(kindName(mode))), not a regular file")
        }
    }

    /// What a file of `mode` is: "directory", "FIFO", "character device", …
    public static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "regular file"
        case S_IFDIR: "directory"
        case S_IFIFO: "FIFO"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        case S_IFSOCK: "socket"
        case S_IFLNK: "symbolic link"
        default: "special file"
        }
    }

    static func article(_ noun: String) -> String {
        noun == "FIFO" ? "a FIFO" : (noun.first.map { "aeiou".contains($0) } == true ? "an " : "a ") + noun
    }

    /// The reason a path could not be stat'ed or opened. A name that is not valid UTF-8 reached us
    /// repaired (U+FFFD), so "no such file" would mislead: say so.
    static func reason(errno e: Int32, path: String) -> String {
        switch e {
        case ENOENT:
            path.unicodeScalars.contains("\u{FFFD}")
                ? "no such file (the name is not valid UTF-8 or holds U+FFFD; this program cannot open it, rename the file)"
                : "no such file"
        case EACCES: "permission denied"
        case ENOTDIR: "a component of the path is not a directory"
        case ELOOP: "too many levels of symbolic links"
        case ENAMETOOLONG: "file name too long"
        default: String(cString: strerror(e))
        }
    }
}
