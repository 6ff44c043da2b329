import ConvEngine
import InceptionCore
import XCTest

@testable import InceptionRuntime

/// The plan's memory estimate counts every layer that keeps weights, not only dense convs and linears.
final class MemoryEstimateTests: XCTestCase {
    /// Depthwise and grouped convs and the per-channel layers keep weights too; before this test the
    /// estimate counted none of them, so an Xception's depthwise weights were missing from `bench`'s
    /// memory line and from the --max-memory check.
    func testGroupedConvsAndPerChannelLayersCountTheirWeights() throws {
        func grouped(_ out: Int, _ k: Int, groups: Int) -> Layer {
            Layer(
                .conv(
                    Conv(
                        out: out, kernel: Pair(k, k), pad: .same, bias: true, activation: .none, groups: groups)))
        }
        let layout = Layout(
            name: "grouped", input: Shape(32, 6, 6),
            layers: [
                grouped(32, 3, groups: 32),  // depthwise 3×3 on 32 channels
                grouped(64, 1, groups: 4),  // 4 groups of 8 → 16
                Layer(.batchnorm(epsilon: 1e-5)),  // on 64 channels
                Layer(.layerscale),
            ])
        var b = ProgramBuilder(layout: layout, batch: 1, includeAux: false)
        try b.build(b.resolve(""))
        let m = b.program.estimate(threads: 1, algorithm: .direct)
        // Depthwise: 2 blocks × 9 taps × 16 weights, 2 × 16 biases (floats), 9 tap offsets (Int32).
        let depthwise = (2 * 9 * 16 + 2 * 16) * 4 + 9 * 4
        // Each of the 4 groups a direct conv 8 → 16 (1×1): 1 output block × 8 reduction steps × 16
        // weights, 16 biases, 8 input offsets, 4 bytes each.
        let groups = 4 * (16 * 8 + 16 + 8) * 4
        // Batchnorm on 64 channels: scale and shift, 4 blocks of 16 floats each; layer scale: γ only.
        let perChannel = 2 * 4 * 16 * 4 + 4 * 16 * 4
        XCTAssertEqual(m.weightBytes, depthwise + groups + perChannel)
    }
}
