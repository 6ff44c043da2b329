import Foundation
import XCTest

@testable import ConvEngine

/// `L2NormOp` (F.normalize over channels: facenet's embedding) against its plain twin
/// `Reference.l2Normalize`.
final class L2NormOpTests: XCTestCase {
    /// Odd and block-sized channel counts (the masked last block), into a channel slice of a wider
    /// tensor, on maps and on facenet's N×512×1×1 vector; every pixel's result has unit length.
    func testL2NormOverChannelsEqualsTheReference() throws {
        var rng = TestRNG(11)
        for (shape, offset) in [
            (TensorShape(n: 2, c: 37, h: 5, w: 7), 0), (TensorShape(c: 12, h: 9, w: 9), 5),
            (TensorShape(c: 64, h: 4, w: 3), 16), (TensorShape(n: 2, c: 512, h: 1, w: 1), 0),
        ] {
            let x = rng.array(shape.count, scale: 3)
            let total = offset + shape.c + 1
            let output = try Tensor(shape: TensorShape(n: shape.n, c: total, h: shape.h, w: shape.w))
            let op = try L2NormOp(
                input: try makeTensor(shape, x), output: ChannelSlice(output, offset: offset), epsilon: 1e-12)
            let all = runOnAllPools(op, output: output)
            let ref = Reference.l2Normalize(x, shape, epsilon: 1e-12)
            let ours = channelSlice(
                all, n: shape.n, total: total, hw: shape.h * shape.w, offset: offset, count: shape.c)
            assertClose(ours, ref, tolerance: 1e-6, "\(shape)")
            let hw = shape.h * shape.w
            let length = (0..<shape.c).reduce(0.0) { $0 + Double(ours[$1 * hw]) * Double(ours[$1 * hw]) }.squareRoot()
            XCTAssertEqual(length, 1, accuracy: 1e-5, "\(shape): first pixel")
        }
    }

    /// The floor: a zero vector stays zero (x / eps), not 0/0; a vector shorter than eps is divided by eps.
    func testEpsilonIsAFloorOnTheLength() throws {
        let shape = TensorShape(c: 20, h: 1, w: 2)
        var x = [Float](repeating: 0, count: 40)
        for c in 0..<20 { x[c * 2 + 1] = 1e-4 }  // pixel 1: length 1e-4·√20 ≈ 4.5e-4 < eps 1e-3
        let output = try Tensor(shape: shape)
        let op = try L2NormOp(input: try makeTensor(shape, x), output: ChannelSlice(output), epsilon: 1e-3)
        let y = runOnAllPools(op, output: output)
        assertClose(y, Reference.l2Normalize(x, shape, epsilon: 1e-3), tolerance: 1e-6)
        XCTAssertEqual(y[0], 0)
        XCTAssertEqual(y[1], 0.1, accuracy: 1e-6)
        XCTAssertThrowsError(try L2NormOp(input: try makeTensor(shape, x), output: ChannelSlice(output), epsilon: -1))
    }
}
