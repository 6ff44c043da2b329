import ConvEngine
import InceptionWeights
import XCTest

/// The one batchnorm fold (`LayerWeights.foldingBatchNorm`, used for generated and imported
/// weights): a conv on the folded weights is the conv followed by the batchnorm, checked against
/// the engine's plain reference twins.
final class BatchNormFoldTests: XCTestCase {
    func testFoldMatchesConvThenBatchNorm() throws {
        var rng = SplitMix64(seed: 12)
        let shape = TensorShape(n: 1, c: 6, h: 5, w: 5)
        let x = rng.normals(shape.count, std: 1)
        let w = LayerWeights(
            weightShape: [9, 6, 3, 3], weight: rng.normals(9 * 6 * 9, std: 1),
            bias: rng.normals(9, std: 1), needsBatchNormFold: true)
        let gamma = rng.normals(9, std: 1), beta = rng.normals(9, std: 1), mean = rng.normals(9, std: 1)
        let variance = rng.normals(9, std: 1).map { abs($0) + 0.1 }
        let params = ConvParams(pad: Padding2D(h: 1, w: 1))
        let plain = try Reference.conv2d(
            x, shape,
            weights: ConvWeights(
                outChannels: 9, inChannels: 6, kernelH: 3, kernelW: 3,
                weight: w.weight, bias: w.bias), params: params)
        let expected = Reference.batchNorm(
            plain.values, plain.shape, gamma: gamma, beta: beta, mean: mean,
            variance: variance, epsilon: 1e-3)
        let folded = try w.foldingBatchNorm(gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: 1e-3)
        XCTAssertFalse(folded.needsBatchNormFold)
        let got = try Reference.conv2d(
            x, shape,
            weights: ConvWeights(
                outChannels: 9, inChannels: 6, kernelH: 3, kernelW: 3,
                weight: folded.weight, bias: folded.bias), params: params)
        XCTAssertEqual(got.values.count, expected.count)
        for (a, b) in zip(got.values, expected) { XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b))) }
    }

    func testIdentityFoldWithoutBiasGivesAZeroBias() throws {
        // γ 1, β 0, mean 0, var 1: w · 1/√(1 + 1e-5), bias 0.
        let w = LayerWeights(weightShape: [2, 1, 1, 1], weight: [2, -4], bias: nil, needsBatchNormFold: true)
        let folded = try w.foldingIdentityBatchNorm()
        let s = Float(1 / (1 + 1e-5).squareRoot())
        XCTAssertEqual(folded.weight, [2 * s, -4 * s])
        XCTAssertEqual(folded.bias, [0, 0])
    }

    func testMismatchedStatisticsAreOneLine() {
        let w = LayerWeights(weightShape: [2, 1, 1, 1], weight: [1, 1], bias: nil, needsBatchNormFold: true)
        XCTAssertThrowsError(try w.foldingBatchNorm(gamma: [1], beta: [0, 0], mean: [0, 0], variance: [1, 1])) {
            XCTAssertEqual(($0 as? NpyError)?.description, "batchnorm fold: 1 gamma values for 2 channels")
        }
        XCTAssertThrowsError(try w.foldingBatchNorm(gamma: [1, 1], beta: [0, 0], mean: [0, 0], variance: [-1, 1])) {
            XCTAssertEqual(($0 as? NpyError)?.description, "batchnorm fold: variance + epsilon ≤ 0 at channel 0")
        }
    }
}
