/// The analysis of one node (layer, branch or block): shapes and exact counts.
///
/// `macs` and `activationBytes` are for the whole batch; `params` and `buffers` do not depend on it.
/// Branch and block rows carry the sums of their layers. Shapes are nil downstream of an error that
/// left them unknown.
public struct NodeStats: Equatable, Sendable {
    public var address: NodeAddress
    public var path: String
    /// 0 for top-level layers; a branch is one deeper than its block, its layers two deeper.
    public var depth: Int
    /// The op of a layer; nil for a branch row.
    public var op: Op.Kind?
    public var input: Shape?
    public var output: Shape?
    public var params = 0
    public var buffers = 0
    public var macs = 0
    public var activationBytes = 0
    /// Receptive field per axis in network-input pixels, and the jump (input pixels per output step).
    public var receptiveField: Pair?
    public var jump: Pair?
    /// Inside an auxiliary head (training only; counted apart).
    public var aux = false
    /// What is wrong with this node itself, when anything is.
    public var error: String?

    public var isBranch: Bool { op == nil }
    /// FLOPs = 2·MACs (one multiply and one add per MAC).
    public var flops: Int { macs &* 2 }
}

/// Sums over a set of nodes.
public struct Totals: Equatable, Sendable {
    public var params = 0
    public var buffers = 0
    public var macs = 0
    public var activationBytes = 0
    public var flops: Int { macs &* 2 }

    public init(params: Int = 0, buffers: Int = 0, macs: Int = 0, activationBytes: Int = 0) {
        self.params = params
        self.buffers = buffers
        self.macs = macs
        self.activationBytes = activationBytes
    }

    /// One node's own counts (a branch's or block's are the sums of its layers); zero for a node
    /// that is not there, so a deleted branch goes to 0 and an added one comes from 0.
    public init(_ node: NodeStats?) {
        self.init(
            params: node?.params ?? 0, buffers: node?.buffers ?? 0, macs: node?.macs ?? 0,
            activationBytes: node?.activationBytes ?? 0)
    }

    mutating func add(_ s: NodeStats) throws(Overflow) {
        params = try InceptionCore.add(params, s.params)
        buffers = try InceptionCore.add(buffers, s.buffers)
        macs = try InceptionCore.add(macs, s.macs)
        _ = try InceptionCore.mul(macs, 2)  // `flops` must not wrap
        activationBytes = try InceptionCore.add(activationBytes, s.activationBytes)
    }
}
