import Foundation

/// Where a layout came from and how to read it: a file path, or `builtin:NAME`.
public struct LayoutSource: Sendable, Equatable {
    public enum Origin: Sendable, Equatable {
        case file(String)
        case builtIn(BuiltInLayout)
        /// A model file in another format (ONNX) converted on load: never written back to.
        case imported(String)
    }

    public let origin: Origin
    /// The bytes as read, so an unchanged layout can be recognised and files round-trip.
    public let bytes: [UInt8]
    public let layout: Layout

    /// The name used in messages: the path as given, or `builtin:NAME`.
    public var displayName: String {
        switch origin {
        case .file(let p), .imported(let p): p
        case .builtIn(let b): "builtin:\(b.rawValue)"
        }
    }

    /// Reads and decodes `reference` (a path or `builtin:NAME`). Every failure is one line naming
    /// the file and where in it: `layouts/x.json:12:5: expected ',' or '}' ...`.
    public static func load(_ reference: String) throws(LoadError) -> LayoutSource {
        if reference.hasPrefix("builtin:") {
            guard let builtIn = BuiltInLayout(reference: reference) else {
                throw LoadError("\(reference): no such built-in layout (have \(BuiltInLayout.references))")
            }
            return try decode(Array(builtIn.json.utf8), origin: .builtIn(builtIn))
        }
        let file: RegularFile
        do {
            file = try RegularFile.open(reference)
        } catch {
            throw LoadError(error.description)
        }
        return try load(file)
    }

    /// Reads and decodes a layout file already opened (`ModelLoader` opens it once to tell ONNX
    /// from JSON by its first bytes, then hands it here): the same size limit and messages as `load`.
    public static func load(_ file: RegularFile) throws(LoadError) -> LayoutSource {
        let bytes: [UInt8]
        do {
            bytes = try file.readToEnd(maxBytes: LayoutLimits.maxFileBytes)
        } catch {
            throw LoadError(error.description)
        }
        return try decode(bytes, origin: .file(file.path))
    }

    static func decode(_ bytes: [UInt8], origin: Origin) throws(LoadError) -> LayoutSource {
        let name: String =
            switch origin {
            case .file(let p), .imported(let p): p
            case .builtIn(let b): "builtin:\(b.rawValue)"
            }
        do {
            let layout = try LayoutCodec.decode(bytes)
            return LayoutSource(origin: origin, bytes: bytes, layout: layout)
        } catch {
            throw LoadError(error.line(file: name), layoutError: error)
        }
    }

    /// Reads a whole regular file of at most `maxBytes`; anything else (missing, a directory, a
    /// FIFO, a device, unreadable, too large) is a one-line error saying which. Never blocks: see
    /// `RegularFile`.
    public static func readFile(_ path: String, maxBytes: Int = .max) throws(LoadError) -> [UInt8] {
        do {
            return try RegularFile.readAll(path, maxBytes: maxBytes)
        } catch {
            throw LoadError(error.description)
        }
    }
}

/// A layout that could not be loaded: one line saying where and what.
public struct LoadError: Error, Equatable, CustomStringConvertible, Sendable {
    public var description: String
    /// The underlying located error, when the file was read but is not a valid layout.
    public var layoutError: LayoutError?

    public init(_ description: String, layoutError: LayoutError? = nil) {
        self.description = description
        self.layoutError = layoutError
    }
}
