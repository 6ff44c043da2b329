import Foundation
import InceptionCore
import Testing

@testable import InceptionONNX

/// Issue 24 item 3: a refused import names the first blocker in graph order and its kind, then
/// counts the others by kind, in one line, without the list of supported ops.
@Suite struct ONNXImportBlockersTests {
    static func node(_ op: String, _ inputs: [String], _ output: String, _ name: String) -> Onnx_NodeProto {
        ONNXImportErrorTests.node(op, inputs, [output], name)
    }

    static func refusal(_ nodes: [Onnx_NodeProto], output: String) throws -> String {
        var graph = Onnx_GraphProto()
        graph.node = nodes
        let bytes = try Fixtures.serialized(graph, input: [1, 2, 3, 3], output: output)
        do {
            _ = try ONNXImporter.importModel(bytes, file: "m.onnx")
        } catch {
            return error.description
        }
        Issue.record("imported")
        return ""
    }

    /// Three gates (a Mul of two computed tensors) in a chain: the walk goes back from the output
    /// and met gate3 first, which the message named; now gate1, then the other two by kind.
    @Test func theFirstGateInGraphOrderIsNamed() throws {
        let message = try Self.refusal(
            [
                Self.node("Relu", ["x"], "a", "r1"), Self.node("Mul", ["a", "x"], "b", "gate1"),
                Self.node("Relu", ["b"], "c", "r2"), Self.node("Mul", ["c", "b"], "d", "gate2"),
                Self.node("Relu", ["d"], "e", "r3"), Self.node("Mul", ["e", "d"], "y", "gate3"),
            ], output: "y")
        #expect(
            message
                == "m.onnx: node \"gate1\" (Mul): takes 2 computed inputs; only Concat, or an Add of two, may join branches; "
                + "first of 3 blockers in graph order (a Mul joining 2 tensors), the others: 2 Mul joining 2 tensors")
    }

    /// Unsupported ops: the first in graph order, the others counted by op, the most frequent
    /// first; no "supported:" list (it named Mul and Add, which map in other places).
    @Test func unsupportedOpsAreCountedByOp() throws {
        let message = try Self.refusal(
            [
                Self.node("HardSwish", ["x"], "a", "hs1"), Self.node("Sigmoid", ["a"], "b", "s1"),
                Self.node("Sigmoid", ["b"], "c", "s2"), Self.node("Sigmoid", ["c"], "y", "s3"),
            ], output: "y")
        #expect(
            message == "m.onnx: node \"hs1\" (HardSwish): unsupported op (no layer maps it); "
                + "first of 4 blockers in graph order (an unsupported HardSwish), the others: 3 unsupported Sigmoid")
        #expect(!message.contains("supported:"))
    }

    /// Joins of different kinds: a Concat on the height axis, then a gate; the Concat comes first.
    @Test func aConcatJoinAndAGateAreCountedApart() throws {
        var axis = Onnx_AttributeProto()
        axis.name = "axis"
        axis.type = .int
        axis.i = 2
        var cat = Self.node("Concat", ["a", "b"], "c", "cat_h")
        cat.attribute = [axis]
        let message = try Self.refusal(
            [
                Self.node("Relu", ["x"], "a", "r1"), Self.node("Relu", ["x"], "b", "r2"), cat,
                Self.node("Relu", ["c"], "d", "r3"), Self.node("Mul", ["d", "c"], "y", "gate"),
            ], output: "y")
        #expect(message.hasPrefix("m.onnx: node \"cat_h\" (Concat): concatenates on axis 2; "), "\(message)")
        #expect(
            message.hasSuffix(
                "; first of 2 blockers in graph order (a Concat join), the others: 1 Mul joining 2 tensors"),
            "\(message)")
    }

    /// Hostile op types and node names: the line stays one clean line (file text quoted), and a
    /// thousand made-up ops list five kinds and a count of the rest.
    @Test func hostileOpTypesStayOneCleanLine() throws {
        var nodes: [Onnx_NodeProto] = []
        var previous = "x"
        for i in 0..<1_000 {
            nodes.append(Self.node("Evil\u{1B}]0;PWNED\u{07}\(i % 300)", [previous], "t\(i)", "n\u{202E}\n\(i)"))
            previous = "t\(i)"
        }
        let message = try Self.refusal(nodes, output: previous)
        #expect(!message.contains("\n") && !message.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{202E}" })
        #expect(message.contains("first of 1000 blockers in graph order"))
        #expect(message.contains("of 295 more kinds"), "\(message)")
        #expect(message.utf8.count < 2_000)
    }
}
