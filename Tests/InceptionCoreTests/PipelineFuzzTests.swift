import Foundation
import InceptionWeights
import TestSupport
import XCTest

@testable import InceptionCore

/// Seeded structural fuzzing of the whole core pipeline (issue 12): load → analysis → lint →
/// summary (every format) → charts → diff → re-encode. Whatever the document, nothing traps (a trap
/// kills the test process, which is the failure), every error is one line, and a document that
/// decodes round-trips.
///
/// `swift test` runs a short deterministic loop (a few seconds). To fuzz for long, by hand:
///
///     IE_FUZZ_ITERATIONS=200000 IE_FUZZ_SEED=$RANDOM swift test --filter PipelineFuzzTests
///
/// A failure prints the seed, the iteration and the mutant's text (docs/fuzzing.md).
final class PipelineFuzzTests: XCTestCase {
    static var iterations: Int { ProcessInfo.processInfo.environment["IE_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 500 }
    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["IE_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x12_A77AC4
    }

    /// Numbers that broke things before: the format's limits, half of them, 0, 1, past 2^31 / 2^53.
    static let extremes: [JSONValue] = [
        .int(LayoutLimits.maxSize), .int(LayoutLimits.maxSize / 2), .int(1), .int(0), .int(2), .int(3), .int(7),
        .int(-1), .int(Int(Int32.max) + 1), .int(1 << 53), .double(1e308), .double(.leastNonzeroMagnitude),
        .double(-0.0),
        .double(0.999999), .array([.int(1), .int(LayoutLimits.maxSize)]), .string("same"),
    ]

    /// The shipped layouts and the codec fuzz base: every op and nesting appears.
    static var seeds: [[UInt8]] {
        BuiltInLayout.allCases.map { Array($0.json.utf8) } + [Array(LayoutCodec.encode(FormatFuzzTests.base).utf8)]
    }

    func testPipelineNeverTraps() throws {
        var rng = SplitMix64(seed: Self.seed)
        let documents = try Self.seeds.map { try JSONParser.parse($0) }
        let baseLayouts = try Self.seeds.map { try LayoutCodec.decode($0) }
        var decoded = 0
        for i in 0..<Self.iterations {
            let which = rng.below(documents.count)
            var doc = documents[which]
            for _ in 0..<(1 + rng.below(3)) { doc = Self.mutate(doc, &rng) }
            let bytes = Array(doc.compactText.utf8)
            if exercise(bytes, against: baseLayouts[which], "seed \(Self.seed) iteration \(i)") { decoded += 1 }
        }
        // Enough mutants stay valid documents (about one in eight) that the analysis and lints do run.
        XCTAssertGreaterThan(decoded, Self.iterations / 20)
    }

    /// Everything a command does with a layout. Returns whether it decoded.
    @discardableResult
    func exercise(_ bytes: [UInt8], against base: Layout, _ what: @autoclosure () -> String) -> Bool {
        let layout: Layout
        do {
            layout = try LayoutCodec.decode(bytes)
        } catch {
            XCTAssertFalse(error.description.contains("\n"), "\(what()): multi-line \(error)")
            return false
        }
        let analysis = Analysis(layout, batch: 1 + Int(bytes.count % 3))
        for e in analysis.errors { XCTAssertFalse(e.description.contains("\n"), "\(what()): multi-line \(e)") }
        let summary = Summary(layout, analysis: analysis)
        _ = summary.table()
        _ = summary.json()
        _ = summary.csv()
        _ = summary.markdown()
        _ = NetworkCharts(layout, analysis: analysis, width: 40 + Int(bytes.count % 80)).text()
        let lints = layout.lints()
        _ = LintReport.table(lints, layoutName: layout.name)
        _ = LintReport.json(lints, layoutName: layout.name)
        let diff = LayoutDiff(before: base, after: layout)
        _ = diff.table(beforeName: "a", afterName: "b")
        _ = diff.json()
        let text = LayoutCodec.encode(layout)
        if (try? LayoutCodec.decode(text)) != layout {
            XCTFail("\(what()): decoded but does not round-trip: \(String(decoding: bytes, as: UTF8.self).prefix(300))")
        }
        return true
    }

    // MARK: Mutations

    /// One structural change somewhere in the tree: a number to an extreme, a list element
    /// duplicated (up to 16 times: wide blocks), removed or swapped with another, a subtree copied
    /// into another list (deep nesting).
    static func mutate(_ doc: JSONValue, _ rng: inout SplitMix64) -> JSONValue {
        let paths = valuePaths(doc)
        guard !paths.isEmpty else { return doc }
        let path = paths[rng.below(paths.count)]
        let value = lookup(doc, path[...])
        switch (rng.below(5), value) {
        case (0, _), (1, .int), (1, .double):
            return replacing(doc, at: path[...]) { _ in extremes[rng.below(extremes.count)] }
        case (1, .array(let items)) where !items.isEmpty, (2, .array(let items)) where !items.isEmpty:
            let k = rng.below(items.count)
            let copies = [1, 2, 15][rng.below(3)]
            return replacing(doc, at: path[...]) { _ in
                .array(items + Array(repeating: unnamed(items[k]), count: copies))
            }
        case (3, .array(let items)) where items.count > 1:
            var shuffled = items
            shuffled.swapAt(rng.below(items.count), rng.below(items.count))
            if rng.below(2) == 0 { shuffled.remove(at: rng.below(shuffled.count)) }
            return .array([]) == value ? doc : replacing(doc, at: path[...]) { _ in .array(shuffled) }
        default:
            // Copy a random subtree over a random value: nesting and ops where they were not.
            let other = paths[rng.below(paths.count)]
            return replacing(doc, at: path[...]) { _ in lookup(doc, other[...]) }
        }
    }

    /// A copy without its "name", so duplicated siblings stay legal more often.
    static func unnamed(_ v: JSONValue) -> JSONValue {
        guard case .object(let members) = v else { return v }
        return .object(members.filter { $0.key != "name" })
    }

    enum Step { case key(String), index(Int) }

    static func valuePaths(_ value: JSONValue, prefix: [Step] = []) -> [[Step]] {
        var out: [[Step]] = prefix.isEmpty ? [] : [prefix]
        switch value {
        case .array(let items):
            for (i, item) in items.enumerated() { out += valuePaths(item, prefix: prefix + [.index(i)]) }
        case .object(let members):
            for m in members { out += valuePaths(m.value, prefix: prefix + [.key(m.key)]) }
        default: break
        }
        return out
    }

    static func lookup(_ value: JSONValue, _ path: ArraySlice<Step>) -> JSONValue {
        guard let step = path.first else { return value }
        switch (step, value) {
        case (.index(let i), .array(let items)) where items.indices.contains(i):
            return lookup(items[i], path.dropFirst())
        case (.key(let k), .object(let members)):
            return members.first { $0.key == k }.map { lookup($0.value, path.dropFirst()) } ?? value
        default: return value
        }
    }

    static func replacing(
        _ value: JSONValue, at path: ArraySlice<Step>, with new: (JSONValue) -> JSONValue
    ) -> JSONValue {
        guard let step = path.first else { return new(value) }
        switch (step, value) {
        case (.index(let i), .array(var items)) where items.indices.contains(i):
            items[i] = replacing(items[i], at: path.dropFirst(), with: new)
            return .array(items)
        case (.key(let k), .object(var members)):
            for j in members.indices where members[j].key == k {
                members[j].value = replacing(members[j].value, at: path.dropFirst(), with: new)
            }
            return .object(members)
        default:
            return value
        }
    }
}
