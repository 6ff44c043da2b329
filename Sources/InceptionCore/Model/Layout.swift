/// An `inception-layout/1` network: an input tensor shape and a list of layers.
///
/// The model is a plain value tree. Edits copy-on-write it; analysis reads it; the codec turns it
/// into and out of JSON. It knows nothing of terminals or kernels.
public struct Layout: Equatable, Hashable, Sendable {
    /// The format tag every file carries.
    public static let formatTag = "inception-layout/1"

    public var name: String
    public var description: String?
    public var input: Shape
    public var layers: [Layer]

    public init(name: String, description: String? = nil, input: Shape, layers: [Layer]) {
        self.name = name
        self.description = description
        self.input = input
        self.layers = layers
    }
}

/// A feature-map shape for one sample: channels × height × width.
public struct Shape: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var channels: Int
    public var height: Int
    public var width: Int

    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    public init(_ c: Int, _ h: Int, _ w: Int) { self.init(channels: c, height: h, width: w) }

    /// `[C, H, W]`, the order every report and JSON output uses.
    public var array: [Int] { [channels, height, width] }

    /// "256x28x28".
    public var description: String { "\(channels)x\(height)x\(width)" }
}

/// A (height, width) pair: kernel sizes, strides, pads. Written in JSON as one integer when both
/// sides agree and as `[h, w]` otherwise.
public struct Pair: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var h: Int
    public var w: Int

    public init(_ h: Int, _ w: Int) {
        self.h = h
        self.w = w
    }

    public init(square n: Int) { self.init(n, n) }

    public var isSquare: Bool { h == w }

    /// "3x3", "1x7".
    public var description: String { "\(h)x\(w)" }
}
