import Foundation
import InceptionCore
import InceptionWeights
import SwiftProtobuf

/// Layout → ONNX model (opset 17, IR 8): the inference graph with weights, for onnxruntime and every
/// tool that reads ONNX. See `ONNXGraphBuilder` for the ops and names.
public enum ONNXExporter {
    public static let opset: Int64 = 17
    public static let irVersion: Int64 = 8

    public struct Result: Sendable {
        public var bytes: [UInt8]
        /// Layers whose weights were seeded because the layout's own no longer fit (an edited import).
        public var seededLayers: [String]
        /// Aux heads left out (training only).
        public var skippedAux: [String]
    }

    /// The model file for `layout`. `command` goes into the doc string. An invalid layout is refused
    /// with its first located error. `analysis`, when the caller has it, must be `Analysis(layout)`.
    public static func export(
        _ layout: Layout, weights: ExportWeights, command: String,
        analysis: Analysis? = nil
    ) throws(ONNXExportError) -> Result {
        let analysis = analysis ?? Analysis(layout)
        if let e = analysis.errors.first { throw ONNXExportError(e.description) }
        if let path = layout.firstMapLayerAfterLinear() {
            throw ONNXExportError(
                "\(path): follows a linear layer, whose output is [N, C] in ONNX (Gemm); cannot be exported")
        }
        var builder = ONNXGraphBuilder(layout: layout, analysis: analysis, weights: weights)
        try builder.build()
        var graph = builder.graph
        let doc = docString(
            layout, analysis, weights: weights, command: command, aux: builder.skippedAux,
            seeded: builder.seededLayers)
        graph.docString = doc
        var model = Onnx_ModelProto()
        model.irVersion = irVersion
        model.producerName = "inception-explorer"
        model.docString = doc
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = Self.opset
        model.opsetImport = [opset]
        model.graph = graph
        let bytes: [UInt8]
        do {
            bytes = try model.serializedBytes()
        } catch {
            throw ONNXExportError("\(layout.name): cannot encode the model (\(error))")
        }
        return Result(bytes: bytes, seededLayers: builder.seededLayers, skippedAux: builder.skippedAux)
    }

    static func docString(
        _ layout: Layout, _ analysis: Analysis, weights: ExportWeights, command: String,
        aux: [String], seeded: [String]
    ) -> String {
        let g = NumberFormat.grouped
        var lines = [
            "\(layout.name): inference graph exported by inception-explorer (\(command)).",
            "Params \(g(analysis.totals.params)) (batchnorm scale and shift included; mean and var are "
                + "\(g(analysis.totals.buffers)) buffers), MACs \(g(analysis.totals.macs)) (conv and linear, biases not counted).",
            "Dropout is left out (the identity at inference)."
                + (aux.isEmpty ? "" : " Aux heads are not exported (training only): \(aux.joined(separator: ", "))."),
        ]
        switch weights {
        case .seeded(let seed):
            lines.append(
                "Weights: seeded, exactly those of `inception-explorer run --seed \(seed)` (batchnorm as the identity)."
            )
        case .directory(let dir):
            lines.append("Weights: from \(dir) (batchnorm folded there; here the identity plus the folded shift).")
        case .model(_, let seed):
            lines.append(
                seeded.isEmpty
                    ? "Weights: the model's own."
                    : "Weights: the model's own where they still fit; seeded with --seed \(seed) (they no longer fit): "
                        + seeded.joined(separator: ", ") + ".")
        }
        return lines.joined(separator: "\n")
    }
}
