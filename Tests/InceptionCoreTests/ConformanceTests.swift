import Foundation
import TestSupport
import XCTest

@testable import InceptionCore

/// Issue 21: every op kind and every join through every place the core owns — codec round trip,
/// `Layouts/schema.json` lists exactly its keys, a label, and the torch export writes it. The
/// samples come from `OpSamples`, whose switches are exhaustive: a new kind that misses a place
/// fails here instead of reaching a user. (The runtime and ONNX halves are in their test targets.)
final class ConformanceTests: XCTestCase {
    static var schema: [String: Any] {
        let url = ShippedLayoutTests.root.appendingPathComponent("Layouts/schema.json")
        let data = (try? Data(contentsOf: url)) ?? Data()
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    static func def(_ name: String) -> [String: Any] {
        ((schema["$defs"] as? [String: Any])?[name] as? [String: Any]) ?? [:]
    }

    static func sampleOp(_ layout: Layout) -> Op? { layout.layers.first { $0.name == "sample" }?.op }

    func testEverySampleIsValidAndRoundTripsThroughTheCodec() throws {
        XCTAssertEqual(OpSamples.all.count, Op.Kind.allCases.count + Join.Kind.allCases.count)
        for layout in OpSamples.all {
            XCTAssertEqual(Analysis(layout).errors, [], layout.name)
            let text = LayoutCodec.encode(layout)
            let back = try LayoutCodec.decode(text)
            XCTAssertEqual(back, layout, layout.name)
            XCTAssertEqual(LayoutCodec.encode(back), text, layout.name)
        }
    }

    func testSchemaListsEveryOpJoinAndKey() throws {
        let layer = Self.def("layer")
        let opEnum = ((layer["properties"] as? [String: Any])?["op"] as? [String: Any])?["enum"] as? [String]
        XCTAssertEqual(opEnum, Op.Kind.allCases.map(\.rawValue), "the schema's op enum")
        for kind in Op.Kind.allCases {
            let properties = (Self.def(kind.rawValue)["properties"] as? [String: Any]) ?? [:]
            XCTAssertEqual(Set(properties.keys), Set(LayoutKeys.layer(kind)), "schema keys of \(kind.rawValue)")
        }
        let block = (Self.def("inception")["properties"] as? [String: Any]) ?? [:]
        XCTAssertEqual((block["join"] as? [String: Any])?["enum"] as? [String], Join.Kind.allCases.map(\.rawValue))
        let branch = (Self.def("branch")["properties"] as? [String: Any]) ?? [:]
        XCTAssertEqual(Set(branch.keys), Set(BlockRules.branchKeys))
    }

    func testEveryKindAndJoinHasItsOwnLabel() {
        var seen: [String: String] = [:]
        for layout in OpSamples.all where !seen.values.contains(layout.name) {  // inception's sample is concat's
            guard let op = Self.sampleOp(layout) else { return XCTFail("\(layout.name) has no sample layer") }
            let label = OpLabel.text(op), short = OpLabel.short(op)
            XCTAssertFalse(label.isEmpty || short.isEmpty, layout.name)
            XCTAssertLessThanOrEqual(short.count, 14, "\(layout.name): short label \(short)")
            XCTAssertTrue(OpLabel.text(op, ascii: true).allSatisfy(\.isASCII), layout.name)
            if let other = seen[label] { XCTFail("\(layout.name) and \(other) share the label \(label)") }
            seen[label] = layout.name
        }
    }

    /// Issue 23: a figure box's wording comes from the op's rules, not a switch of the figure's own:
    /// every leaf kind has one, ASCII (the figure is drawn with --ascii too), its own, and it is what
    /// the figure builder puts on the box.
    func testEveryLeafKindHasItsOwnFigureLabel() throws {
        var seen: [String: String] = [:]
        for kind in Op.Kind.allCases where !kind.isComposite {
            let layout = OpSamples.layout(for: kind)
            guard let op = Self.sampleOp(layout), let leaf = op.leaf else {
                return XCTFail("\(layout.name) has no sample leaf")
            }
            for text in [leaf.figureLabel, leaf.figureShortLabel] {
                XCTAssertFalse(text.isEmpty, layout.name)
                XCTAssertTrue(text.allSatisfy(\.isASCII), "\(layout.name): \(text)")
            }
            if let other = seen[leaf.figureLabel] {
                XCTFail("\(layout.name) and \(other) share the figure label \(leaf.figureLabel)")
            }
            seen[leaf.figureLabel] = layout.name
            let described = FigureBuilder.describe(op)
            XCTAssertEqual([described.0, described.1], [leaf.figureLabel, leaf.figureShortLabel], layout.name)
            XCTAssertEqual(described.2, leaf.figureCategory, layout.name)
        }
    }

    /// The torch text of each sample holds the module or expression that computes it.
    func testTorchExportWritesEveryKindAndJoin() throws {
        func marker(_ kind: Op.Kind) -> [String] {
            switch kind {
            case .conv:
                [
                    "BasicConv2d(6, 5, (3, 1), stride=(2, 1), padding=(1, 0)",
                    "BasicConv2d(5, 5, 3, padding=1, groups=5",
                    "BasicConv2d(5, 10, 1, groups=5",
                ]
            case .maxpool: ["nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)"]
            case .avgpool: ["nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)"]
            case .globalavgpool: ["nn.AdaptiveAvgPool2d(1)"]
            case .lrn: ["nn.LocalResponseNorm(3, alpha=0.001, beta=0.75, k=2.0)"]
            case .dropout: ["nn.Dropout(p=0.3)"]
            case .softmax: ["nn.Softmax(dim=1)"]
            case .relu: ["nn.ReLU()"]
            case .batchnorm: ["nn.BatchNorm2d(4, eps=0.001)", "nn.BatchNorm1d(5, eps=0.001)"]
            case .gelu: ["nn.GELU()"]
            case .layernorm: ["LayerNorm2d(4, eps=1e-06)", "LayerNorm2d(8)", "class LayerNorm2d(nn.LayerNorm)"]
            case .layerscale:
                ["LayerScale(4)", "x * (self.gamma if x.dim() == 2 else self.gamma.reshape(1, -1, 1, 1))"]
            case .l2norm: ["L2Norm(eps=1e-06)", "L2Norm()", "F.normalize(x, p=2.0, dim=1, eps=self.eps)"]
            case .linear: ["BasicLinear(6, 5, relu=True)"]
            case .inception: ["torch.cat("]
            case .aux: ["class InceptionAux(nn.Module)"]
            }
        }
        func marker(_ join: Join.Kind) -> [String] {
            switch join {
            case .concat: ["torch.cat([self.a(x), self.b(x), self.c(x)], 1)"]
            case .sum:
                [
                    "return torch.relu(self.shortcut(x) + self.residual(x) * 0.17 + self.projection(x) * 0.5)",
                    "self.shortcut = nn.Identity()",
                ]
            case .split:
                [
                    "xs = torch.split(x, [16, 12, 12], 1)",
                    "return torch.cat([self.hw(xs[0]), self.id(xs[1]), self.w(xs[2])], 1)",
                    "self.id = nn.Identity()", "BasicConv2d(16, ch_hw, 3, padding=1, groups=16",
                    "ChannelSplit(40, ch_hw=16, ch_w=12)", "class ChannelSplit(nn.Module)",
                ]
            }
        }
        for kind in Op.Kind.allCases {
            let text = try PyTorchExport.source(OpSamples.layout(for: kind), command: "test")
            for m in marker(kind) { XCTAssertTrue(text.contains(m), "\(kind.rawValue): no \(m)") }
        }
        for join in Join.Kind.allCases {
            let text = try PyTorchExport.source(OpSamples.layout(for: join), command: "test")
            for m in marker(join) { XCTAssertTrue(text.contains(m), "\(join.rawValue): no \(m)") }
        }
    }
}
