/// Zero padding on each side of the input, in pixels.
public struct Padding2D: Hashable, Sendable {
    public var top: Int
    public var bottom: Int
    public var left: Int
    public var right: Int

    public init(top: Int, bottom: Int, left: Int, right: Int) {
        self.top = top
        self.bottom = bottom
        self.left = left
        self.right = right
    }

    /// Symmetric per axis: `h` rows above and below, `w` columns left and right (the layout format's pads).
    public init(h: Int, w: Int) { self.init(top: h, bottom: h, left: w, right: w) }

    public static let zero = Padding2D(h: 0, w: 0)

    var isZero: Bool { top == 0 && bottom == 0 && left == 0 && right == 0 }
}

/// Geometry and epilogue of a 2-D convolution (the weights carry the channel counts).
public struct ConvParams: Hashable, Sendable {
    public var strideH: Int
    public var strideW: Int
    public var pad: Padding2D
    /// Applied after bias (and after the shortcut of a fused residual, `Residual`), on the way out:
    /// ReLU inside the micro-kernel's store, GELU on each run of stored outputs while it is in L1.
    public var activation: Activation

    /// `relu: true` is `activation: .relu`; an `activation` given wins.
    public init(
        strideH: Int = 1, strideW: Int = 1, pad: Padding2D = .zero, relu: Bool = false,
        activation: Activation? = nil
    ) {
        self.strideH = strideH
        self.strideW = strideW
        self.pad = pad
        self.activation = activation ?? (relu ? .relu : .none)
    }

    /// Whether the activation is ReLU (the kernels' fused max(0, ·)).
    public var relu: Bool {
        get { activation == .relu }
        set { activation = newValue ? .relu : (activation == .relu ? .none : activation) }
    }

    /// Output height and width for an input of h × w and a kernel of kh × kw:
    /// floor((h + top + bottom − kh) / strideH) + 1, likewise for w. Throws when a dimension is < 1.
    public func outputSize(h: Int, w: Int, kh: Int, kw: Int) throws -> (h: Int, w: Int) {
        guard strideH > 0, strideW > 0 else {
            throw EngineError.invalidParameter("conv: stride \(strideH)x\(strideW) must be ≥ 1")
        }
        guard pad.top >= 0, pad.bottom >= 0, pad.left >= 0, pad.right >= 0 else {
            throw EngineError.invalidParameter("conv: negative padding \(pad)")
        }
        let spanH = h + pad.top + pad.bottom - kh
        let spanW = w + pad.left + pad.right - kw
        guard spanH >= 0, spanW >= 0 else {
            throw EngineError.invalidShape(
                "conv: kernel \(kh)x\(kw) is larger than the padded input \(h + pad.top + pad.bottom)x\(w + pad.left + pad.right)"
            )
        }
        return (spanH / strideH + 1, spanW / strideW + 1)
    }
}
