import XCTest

@testable import ConvEngine

/// `DepthwiseConvOp`'s in-place path: rows whose windows lie inside the input read it without a
/// plane, interior columns through the kernel and edge columns through `depthwiseEdgePixel`; the
/// rows above and below still go through the plane. Each case asserts the path it meant to take,
/// then compares with the reference (`check`, 1, 2 and 4 threads).
extension DepthwiseConvTests {
    /// The interior ranges, worked out by hand from o · stride − pad ..< that + k ⊆ 0 ..< size.
    func testInteriorRanges() {
        // xception41: 3×3 "same" at 150², stride 1 (outputs 0 and 149 read padding) and stride 2
        // (150 → 75: output 74 reads rows 147 ... 149, inside).
        XCTAssertEqual(DepthwiseConvOp.interior(out: 150, size: 150, kernel: 3, stride: 1, padBefore: 1), 1..<149)
        XCTAssertEqual(DepthwiseConvOp.interior(out: 75, size: 150, kernel: 3, stride: 2, padBefore: 1), 1..<75)
        // 75 → 38: output 37 reads 73 ... 75, past the last row 74.
        XCTAssertEqual(DepthwiseConvOp.interior(out: 38, size: 75, kernel: 3, stride: 2, padBefore: 1), 1..<37)
        // No padding: every output is interior. A kernel wider than the map: none is.
        XCTAssertEqual(DepthwiseConvOp.interior(out: 7, size: 9, kernel: 3, stride: 1, padBefore: 0), 0..<7)
        XCTAssertEqual(DepthwiseConvOp.interior(out: 7, size: 7, kernel: 11, stride: 1, padBefore: 5), 5..<5)
        // Asymmetric padding: 2 before, 1 after, 30 → 31 outputs; 2 ... 29 are inside.
        XCTAssertEqual(DepthwiseConvOp.interior(out: 31, size: 30, kernel: 3, stride: 1, padBefore: 2), 2..<30)
    }

    /// 3×3 "same" at stride 1 and 2, even and odd sizes, batch 2: a plane row at the top (and the
    /// bottom, except at stride 2 on an even height, as xception41's 150² → 75²), in-place rows
    /// between them with one edge pixel each side.
    func testInPlaceThreeByThree() throws {
        let cases: [(Case, interiorRows: Range<Int>)] = [
            (Case(n: 2, c: 21, h: 12, w: 20, kh: 3, kw: 3, pad: Padding2D(h: 1, w: 1), activation: .relu), 1..<11),
            (
                Case(c: 40, h: 23, w: 33, kh: 3, kw: 3, sh: 2, sw: 2, pad: Padding2D(h: 1, w: 1), activation: .gelu),
                1..<11
            ),
            (Case(c: 16, h: 20, w: 38, kh: 3, kw: 3, sh: 2, sw: 2, pad: Padding2D(h: 1, w: 1)), 1..<10),
            (Case(c: 35, h: 17, w: 29, kh: 3, kw: 3, pad: Padding2D(h: 1, w: 1), bias: false), 1..<16),
        ]
        for (i, (k, rows)) in cases.enumerated() {
            let op = try check(k, seed: 100 + UInt64(i))
            XCTAssertTrue(op.readsInPlace, "case \(k)")
            XCTAssertEqual(op.interiorRows, rows, "case \(k)")
        }
    }

    /// Xception's fused ReLU read in place (negative inputs as zero, in the kernel and the edge
    /// pixels), at stride 1 and 2.
    func testInPlaceInputReLU() throws {
        let cases = [
            Case(c: 32, h: 16, w: 24, kh: 3, kw: 3, pad: Padding2D(h: 1, w: 1), inputReLU: true),
            Case(n: 2, c: 19, h: 15, w: 31, kh: 3, kw: 3, sh: 2, sw: 2, pad: Padding2D(h: 1, w: 1), inputReLU: true),
        ]
        for (i, k) in cases.enumerated() { XCTAssertTrue(try check(k, seed: 110 + UInt64(i)).readsInPlace) }
    }

    /// In-place rows writing aligned and misaligned slices of a wider output.
    func testInPlaceChannelSlices() throws {
        for (offset, extra) in [(16, 20), (5, 9)] {
            let k = Case(
                c: 21, h: 10, w: 24, kh: 3, kw: 3, pad: Padding2D(h: 1, w: 1), activation: .relu, offset: offset,
                extra: extra)
            XCTAssertTrue(try check(k, seed: 120 + UInt64(offset)).readsInPlace)
        }
    }

    /// No padding (every row and column in place, no plane); asymmetric padding; an 11×1 kernel
    /// (no edge columns, five plane rows each end); bands of a tall map, the middle ones all in place.
    func testInPlaceOtherShapes() throws {
        var op = try check(Case(c: 16, h: 9, w: 17, kh: 3, kw: 3), seed: 130)
        XCTAssertEqual(op.interiorRows, 0..<7)
        XCTAssertEqual(op.interiorCols, 0..<15)
        op = try check(
            Case(c: 7, h: 11, w: 30, kh: 2, kw: 3, pad: Padding2D(top: 1, bottom: 0, left: 2, right: 1)), seed: 131)
        XCTAssertTrue(op.readsInPlace)
        op = try check(Case(c: 12, h: 30, w: 16, kh: 11, kw: 1, pad: Padding2D(h: 5, w: 0)), seed: 132)
        XCTAssertEqual(op.interiorRows, 5..<25)
        XCTAssertTrue(op.readsInPlace)
        op = try check(Case(c: 16, h: 90, w: 40, kh: 3, kw: 3, pad: Padding2D(h: 1, w: 1)), seed: 133)
        XCTAssertTrue(op.readsInPlace)
        XCTAssertGreaterThan(op.bands, 2)
    }

    /// Too many edge columns: the whole map goes through the plane (xception41's 10² exit maps,
    /// InceptionNeXt's 1×11 at 56²: 10 of 56 columns read padding).
    func testManyEdgeColumnsUseThePlane() throws {
        XCTAssertFalse(
            try check(Case(c: 20, h: 10, w: 10, kh: 3, kw: 3, pad: Padding2D(h: 1, w: 1)), seed: 140).readsInPlace)
        XCTAssertFalse(
            try check(Case(c: 12, h: 8, w: 56, kh: 1, kw: 11, pad: Padding2D(h: 0, w: 5)), seed: 141).readsInPlace)
    }
}
