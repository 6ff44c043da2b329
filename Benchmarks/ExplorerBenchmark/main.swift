// Key press → edit → whole-layout analysis → full redraw into the screen buffer, on Inception-v3,
// median of many runs. Run in release: `swift run -c release explorer-benchmark [RUNS]`.
// (Start-up to first frame is measured on the real binary in tmux: see docs/benchmarks.md.)
import Dispatch
import ExplorerApp
import InceptionCore
import TerminalUI

let runs = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 500 : 500
let source = try LayoutSource.load("builtin:inception-v3")
let explorer = Explorer(state: ExplorerState(layout: source.layout, origin: DocumentOrigin(source)))
let caps = TerminalCapabilities(unicode: true, color: true, mouse: true)
let size = Size(width: 160, height: 50)
explorer.viewport = Viewport(size: size)  // keys are handled against the screen they are drawn on
// Select a conv deep in the network, expanded, so every panel has content.
for key in "/Mixed_6b/branch7x7/1".map({ Key.char($0) }) + [.enter] { explorer.handle(key) }
_ = explorer.render(size: size, capabilities: caps)

func median(_ body: () -> Void) -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    }
    times.sort()
    return times[times.count / 2]
}

var flip = false
let edit = median {
    explorer.handle(.char(flip ? "-" : "+"))  // widen / narrow by 8: edit + analysis + lints
    flip.toggle()
    _ = explorer.render(size: size, capabilities: caps)
}
let move = median {
    explorer.handle(flip ? .down : .up)
    flip.toggle()
    _ = explorer.render(size: size, capabilities: caps)
}
let renderOnly = median { _ = explorer.render(size: size, capabilities: caps) }
print(
    "Inception-v3, \(size) screen, median of \(runs): width edit + analysis + lints + redraw \(NumberFormat.fixed(edit, decimals: 3)) ms; "
        + "move + redraw \(NumberFormat.fixed(move, decimals: 3)) ms; redraw alone \(NumberFormat.fixed(renderOnly, decimals: 3)) ms"
)

// The diagram pane (`v`, issue 23): the same keys with the block drawn as the paper does, plus
// the figure cycle (`i`); Mixed_6b at every layer, then the whole network as a column of blocks.
explorer.handle(.char("v"))
_ = explorer.render(size: size, capabilities: caps)
let diagramEdit = median {
    explorer.handle(.char(flip ? "-" : "+"))
    flip.toggle()
    _ = explorer.render(size: size, capabilities: caps)
}
let diagramMove = median {
    explorer.handle(flip ? .down : .up)
    flip.toggle()
    _ = explorer.render(size: size, capabilities: caps)
}
let diagramFigure = median {
    explorer.handle(.char("i"))
    _ = explorer.render(size: size, capabilities: caps)
}
let diagramRender = median { _ = explorer.render(size: size, capabilities: caps) }
explorer.handle(.char("z"))
explorer.handle(.char("z"))
let networkMove = median {
    explorer.handle(flip ? .down : .up)
    flip.toggle()
    _ = explorer.render(size: size, capabilities: caps)
}
func ms(_ x: Double) -> String { NumberFormat.fixed(x, decimals: 3) + " ms" }
print(
    "Diagram of Mixed_6b (every layer): width edit + redraw \(ms(diagramEdit)); move + redraw \(ms(diagramMove)); "
        + "figure (i) + redraw \(ms(diagramFigure)); redraw alone \(ms(diagramRender)); network column: move + redraw \(ms(networkMove))"
)
