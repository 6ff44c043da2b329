import Foundation
import InceptionCore

/// The files a LAYOUT argument reads: a JSON layout's file, or an ONNX model and every external
/// data file its tensors name (`location`, beside the model). Commands that write refuse an output
/// that is one of them (issue 19: `export m.onnx -o w.onnx` overwrote the model's data file, and
/// the model then loaded garbage weights without a word).
///
/// The external data locations are found by walking the protobuf's field headers only (graph →
/// initializer / node → attribute → tensor → external_data), skipping every other field by its
/// length, so a model of gigabytes costs the few pages its headers sit on, and nothing is copied.
public enum ModelFiles {
    /// `reference`'s files as `ReadFiles` entries ("the layout"; or "the model", "the model's external data");
    /// nothing for a built-in layout or a missing file.
    public static func reads(_ reference: String) -> ReadFiles {
        var files = ReadFiles()
        add(reference, to: &files)
        return files
    }

    /// Adds `reference`'s files to `files`.
    public static func add(_ reference: String, to files: inout ReadFiles) {
        guard !reference.hasPrefix("builtin:") else { return }
        // Through symbolic links (a model cache's blobs), only a regular file, opened without blocking.
        guard let file = try? RegularFile.open(reference), let head = try? file.read(at: 0, count: 16),
            ONNXImporter.looksLikeONNX(head)
        else {
            files.add(reference, role: "the layout")
            return
        }
        files.add(reference, role: "the model")
        let dir = AtomicWrite.directory(of: reference)
        for location in externalLocations(reference) where !location.isEmpty {
            files.add(location.hasPrefix("/") ? location : dir + "/" + location, role: "the model's external data")
        }
    }

    /// Every external-data `location` an ONNX file names (empty when it cannot be read or parsed).
    public static func externalLocations(_ path: String) -> [String] {
        // Mapped, not read: only the pages holding field headers are touched.
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return [] }
        return data.withUnsafeBytes { raw in
            var found: [String] = []
            var walker = WireWalker(raw)
            walker.model(&found)
            return found
        }
    }

    /// A protobuf wire-format reader that knows just the path to TensorProto.external_data
    /// (field numbers from Proto/onnx-subset.proto). It stops quietly at anything malformed.
    struct WireWalker {
        let bytes: UnsafeRawBufferPointer

        init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        /// ModelProto: graph = 7.
        mutating func model(_ out: inout [String]) {
            fields(0, bytes.count) { field, start, end in if field == 7 { graph(start, end, &out) } }
        }

        /// GraphProto: node = 1, initializer = 5.
        func graph(_ start: Int, _ end: Int, _ out: inout [String]) {
            fields(start, end) { field, s, e in
                if field == 5 { tensor(s, e, &out) } else if field == 1 { node(s, e, &out) }
            }
        }

        /// NodeProto: attribute = 5; AttributeProto: t = 5, tensors = 10.
        func node(_ start: Int, _ end: Int, _ out: inout [String]) {
            fields(start, end) { field, s, e in
                guard field == 5 else { return }
                fields(s, e) { f, ts, te in if f == 5 || f == 10 { tensor(ts, te, &out) } }
            }
        }

        /// TensorProto: external_data = 13, each a StringStringEntryProto (key = 1, value = 2).
        func tensor(_ start: Int, _ end: Int, _ out: inout [String]) {
            fields(start, end) { field, s, e in
                guard field == 13 else { return }
                var key = "", value = ""
                fields(s, e) { f, vs, ve in
                    let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[vs..<ve]), as: UTF8.self)
                    if f == 1 { key = text } else if f == 2 { value = text }
                }
                if key == "location" { out.append(value) }
            }
        }

        /// Calls `body` with each length-delimited field of the message in `start..<end`; other
        /// wire types are skipped.
        func fields(_ start: Int, _ end: Int, _ body: (Int, Int, Int) -> Void) {
            var i = start
            while i < end {
                guard let (tag, afterTag) = varint(i, end) else { return }
                i = afterTag
                switch tag & 7 {
                case 0:
                    guard let (_, next) = varint(i, end) else { return }
                    i = next
                case 1: i += 8
                case 5: i += 4
                case 2:
                    guard let (length, next) = varint(i, end), length <= UInt64(end - next) else { return }
                    let e = next + Int(length)
                    body(Int(tag >> 3), next, e)
                    i = e
                default: return
                }
            }
        }

        func varint(_ start: Int, _ end: Int) -> (UInt64, Int)? {
            var value: UInt64 = 0, shift: UInt64 = 0, i = start
            while i < end, shift < 64 {
                let b = bytes[i]
                value |= UInt64(b & 0x7f) << shift
                i += 1
                if b & 0x80 == 0 { return (value, i) }
                shift += 7
            }
            return nil
        }
    }
}
