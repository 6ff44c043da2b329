import XCTest

@testable import ConvEngine

/// `WeightPrefetch` hands each kernel call a share of the weight stream; the kernel requests the
/// share's lines in turn, one every `aheadEvery` reduction steps. Prefetches never change results (the
/// Winograd tests check those); these check that the shares cover the stream and stay inside it.
final class WeightPrefetchTests: XCTestCase {
    /// The lines one call requests over its reduction, as `ConvMicroKernel.runPrefetching` does:
    /// one at step 0 and every `aheadEvery` steps after it.
    private func requestedLines(_ a: ConvKernelArgs) -> Set<Int> {
        a.aheadEvery == 0 ? [] : Set(0..<Array(stride(from: 0, to: a.reduction, by: a.aheadEvery)).count)
    }

    private func args(reduction: Int) -> ConvKernelArgs {
        let dummy = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        let offsets = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        defer { dummy.deallocate(); offsets.deallocate() }
        return ConvKernelArgs(
            x: dummy, xPixel: 16, reduction: reduction, xOffsets: offsets, w: dummy, wBlock: 16,
            bias: dummy, relu: false, y: dummy, yBlock: 16, alignedStore: true, yImage: dummy,
            yChannel0: 0, yPixel0: 0, validChannels: 16)
    }

    /// Consecutive calls get consecutive shares, each call requests every line of its share and no
    /// other (for reductions up to v3's largest, 2048 · 9), and the stream's end stops the shares.
    func testSharesTileTheStreamAndEveryLineIsRequested() {
        let lineFloats = WeightPrefetch.lineBytes / MemoryLayout<Float>.stride
        for (reduction, lines) in [(64, 20), (160, 64), (160, 80), (528, 53), (18432, 9216), (7, 3)] {
            let calls = 5
            let stream = UnsafeMutablePointer<Float>.allocate(capacity: calls * lines * lineFloats)
            defer { stream.deallocate() }
            var ahead = WeightPrefetch(stream, floats: calls * lines * lineFloats, linesPerStep: lines)
            for c in 0..<calls {
                var a = args(reduction: reduction)
                ahead.share(&a)
                XCTAssertEqual(a.ahead, UnsafeRawPointer(stream + c * lines * lineFloats), "call \(c), R \(reduction)")
                XCTAssertTrue(requestedLines(a).isSuperset(of: 0..<lines), "call \(c): R \(reduction), \(lines) lines")
                XCTAssertLessThan(requestedLines(a).count, 2 * lines, "call \(c): R \(reduction), \(lines) lines")
            }
            var past = args(reduction: reduction)
            ahead.share(&past)
            XCTAssertEqual(past.aheadEvery, 0, "no share past the stream's end")
        }
    }

    /// A share of more than one line per two reduction steps is not prefetched at all (measured
    /// slower than none), and the call runs the plain loop.
    func testNoShareAboveOneLinePerTwoSteps() {
        let stream = UnsafeMutablePointer<Float>.allocate(capacity: 1 << 16)
        defer { stream.deallocate() }
        var ahead = WeightPrefetch(stream, floats: 1 << 16, linesPerStep: 81)
        var a = args(reduction: 160)
        ahead.share(&a)
        XCTAssertEqual(a.aheadEvery, 0)
        ahead.linesPerStep = 80
        ahead.share(&a)
        XCTAssertGreaterThan(a.aheadEvery, 0)
        XCTAssertEqual(a.ahead, UnsafeRawPointer(stream), "a refused share does not advance the stream")
    }
}

/// A group-by-group direct conv's tasks prefetch the next group's weights between them.
final class ConvWeightPrefetchTests: XCTestCase {
    /// GoogLeNet 5b's 3×3 (192 → 384 on 7×7): 6 groups of 4 blocks, 7 row tasks each. The 7 tasks of
    /// group g request consecutive shares that together are exactly group g + 1's weights
    /// (4 blocks · 192 · 9 steps · 16 floats = 6,912 lines), so over the groups the shares run
    /// through the weights from group 1's first line to the last; group 5 has nothing to prefetch.
    func testTasksOfAGroupShareTheNextGroupsWeights() throws {
        let op = try sameSizeConv(c: 192, hw: 7, out: 384, k: 3)
        XCTAssertTrue(op.positionsByGroup)
        let groupLines = 4 * 192 * 9
        var expected: UnsafeRawPointer?
        for t in 0..<35 {
            let share = try XCTUnwrap(op.weightPrefetch(task: t), "task \(t)")
            if let expected { XCTAssertEqual(share.next, expected, "task \(t) starts where task \(t - 1) ended") }
            expected = share.end
            let seventh = (groupLines + 6) / 7  // 988 lines; the last task's share is the 984 left
            XCTAssertEqual(
                share.end - share.next, (t % 7 == 6 ? groupLines - 6 * seventh : seventh) * WeightPrefetch.lineBytes,
                "task \(t): a seventh of a group")
        }
        for t in 35..<42 { XCTAssertNil(op.weightPrefetch(task: t), "the last group's task \(t)") }
    }

    /// Tasks by position (a 1×1 on 28×28) prefetch nothing: measured no gain there.
    func testPositionOrderedConvsDoNotPrefetch() throws {
        let op = try sameSizeConv(c: 256, hw: 28, out: 128, k: 1)
        XCTAssertFalse(op.positionsByGroup)
        XCTAssertTrue((0..<op.taskCount).allSatisfy { op.weightPrefetch(task: $0) == nil })
    }
}
