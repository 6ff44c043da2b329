import ConvEngine
import InceptionCore
import InceptionWeights
import TestSupport
import XCTest

@testable import InceptionRuntime

/// Issue 21's conformance suite, the runtime's part: every op kind and join (`OpSamples`, whose
/// switches are exhaustive) plans and runs, and equals the plain reference forward pass.
final class ConformanceRunTests: XCTestCase {
    func testEverySampleRunsAndEqualsTheReference() throws {
        let weights = WeightSource.generated(seed: 3)
        for layout in OpSamples.all {
            let plan = try ExecutionPlan(layout: layout, options: PlanOptions(batch: 2, threads: 2, weights: weights))
            let input = seededInput(plan.input.shape.count)
            try plan.setInput(input)
            _ = plan.runOnce(threads: 2)
            let ref = try ReferenceForward(layout: layout, weights: weights, batch: 2).run(path: "", input: input)
            XCTAssertEqual(ref.shape, plan.output.shape, layout.name)
            let err = maxRelativeError(plan.outputValues(), ref.values)
            XCTAssertLessThanOrEqual(err, 1e-4, "\(layout.name): max relative error \(err)")
            // The sample node alone too.
            _ = try ExecutionPlan(
                layout: layout, options: PlanOptions(path: "sample", batch: 1, threads: 1, weights: weights))
        }
    }
}
