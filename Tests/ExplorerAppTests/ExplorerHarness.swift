import ExplorerApp
import Foundation
import InceptionCore
import TerminalUI

/// Builds an explorer on the built-in GoogLeNet and drives it key by key, rendering after each
/// key as the real loop does, so tests read exactly what a user would see.
final class Harness {
    let explorer: Explorer
    /// The terminal size; the explorer handles keys against this viewport, as the loop does.
    var size: Size { didSet { explorer.viewport = Viewport(size: size) } }
    var capabilities = TerminalCapabilities(unicode: true, color: true, mouse: true)

    convenience init(
        _ builtIn: BuiltInLayout = .googlenet, path: String? = nil, size: Size = Size(width: 100, height: 32),
        timer: (any ForwardTimer)? = nil, ascii: Bool = false
    ) throws {
        let source = try LayoutSource.load("builtin:\(builtIn.rawValue)")
        let origin = path.map { DocumentOrigin(path: $0, exportDefault: $0, displayName: $0) } ?? DocumentOrigin(source)
        self.init(layout: source.layout, origin: origin, size: size, timer: timer, ascii: ascii)
    }

    init(
        layout: InceptionCore.Layout, origin: DocumentOrigin, size: Size = Size(width: 100, height: 32),
        timer: (any ForwardTimer)? = nil, ascii: Bool = false
    ) {
        explorer = Explorer(
            state: ExplorerState(layout: layout, origin: origin, options: ExplorerOptions(ascii: ascii)),
            timer: timer, documents: .standIn)
        self.size = size
        explorer.viewport = Viewport(size: size)
        explorer.loadAverage = { nil }  // screens must not depend on this machine's load
        _ = screen
    }

    /// The current frame.
    var screen: Buffer { explorer.render(size: size, capabilities: capabilities) }
    var text: String { screen.text }

    func press(_ keys: Key...) { press(keys) }
    func press(_ keys: [Key]) { for k in keys { explorer.handle(k); _ = screen } }
    func type(_ s: String) { for c in s { press(.char(c)) } }

    /// Selects the node at `path` by searching for it with `/`.
    func go(to path: String) {
        press(.char("/"))
        type(path)
        press(.enter)
    }

    /// The status line (the last row).
    var status: String { screen.line(size.height - 1) }

    /// The screen line containing `needle`, or "".
    func line(containing needle: String) -> String {
        screen.lines.first { $0.contains(needle) } ?? ""
    }
}

/// A stand-in timer with fixed, known results (the engine has its own tests). With `msPerGMAC`
/// the median follows the node's MACs (so an edit changes it); with `TimingOptions.perLayer` it
/// returns each conv and linear layer at MACs / 1e8 ms, moving its input + output activations and
/// params as bytes, and a bandwidth of 25 GB/s beside the peak of 113 GFLOP/s.
struct FixedTimer: ForwardTimer {
    var medianMs = 2.5
    var msPerGMAC: Double?
    func time(
        _ layout: InceptionCore.Layout, path: String, options: TimingOptions,
        progress: @escaping @Sendable (Double) -> Void, isCancelled: @escaping @Sendable () -> Bool
    ) throws -> TimingResult {
        let a = Analysis(layout)
        let stats = path.isEmpty ? nil : a.stats(path: path)
        progress(0.5)
        let branches = a.nodes.filter {
            $0.isBranch && $0.depth == (stats?.depth ?? -5) + 1 && $0.path.hasPrefix(path + "/")
        }
        .map { TimingResult.BranchTime(path: $0.path, medianMs: Double($0.macs) / 1e8) }
        let macs = stats?.macs ?? a.totals.macs
        let median = msPerGMAC.map { Double(macs) / 1e9 * $0 } ?? medianMs
        let layers: [TimingResult.LayerTime]? =
            options.perLayer
            ? a.nodes.filter { n in
                (n.op == .conv || n.op == .linear) && !n.aux
                    && (path.isEmpty || n.path.hasPrefix(path + "/") || n.path == path)
            }.map { n in
                let elements = [n.input, n.output].compactMap { $0 }.reduce(0) {
                    $0 + $1.channels * $1.height * $1.width
                }
                return TimingResult.LayerTime(
                    path: n.path, op: n.op ?? .conv, medianMs: Double(n.macs) / 1e8, macs: n.macs,
                    bytes: (elements + n.params) * 4)
            } : nil
        var result = TimingResult(
            path: path, input: stats?.input ?? a.input, output: stats?.output ?? a.output!, batch: 1, threads: 1,
            iterations: 10, medianMs: median, minMs: median - 0.1, meanMs: median + 0.1,
            macs: macs, branches: branches, peakGFLOPS: 113, layers: layers,
            bandwidthGBs: options.perLayer ? 25 : nil)
        result.p10Ms = median - 0.05
        result.p90Ms = median + 0.2
        return result
    }
}
