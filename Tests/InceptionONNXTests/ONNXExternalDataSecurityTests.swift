import Foundation
import InceptionCore
import InceptionRuntime
import TestSupport
import Testing

@testable import InceptionONNX

/// Issue 19, items 1, 4 and 13: external data confined to the model's folder through symbolic
/// links, structure and sizes checked before any external byte is read, and models reached
/// through a link (a Hugging Face cache) imported.
@Suite struct ONNXExternalDataSecurityTests {
    /// A conv (`weightDims`, 1×1 from 3 to 4 channels unless told) on a 1×`channels`×`size`×`size`
    /// input whose weight is external data at `location`; `bias` inline when given; `poolAfter` adds a MaxPool after
    /// the conv without a kernel_shape (a structural error the walk meets after the conv).
    static func model(
        location: String, weightDims: [Int64] = [4, 3, 1, 1], channels: Int64 = 3, size: Int64 = 4,
        bias: [Float]? = nil, poolAfter: Bool = false
    ) throws -> [UInt8] {
        var g = Onnx_GraphProto()
        var w = Onnx_TensorProto()
        w.name = "w"
        w.dims = weightDims
        w.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        w.dataLocation = .external
        var entry = Onnx_StringStringEntryProto()
        entry.key = "location"
        entry.value = location
        w.externalData = [entry]
        g.initializer = [w]
        var conv = Onnx_NodeProto()
        conv.opType = "Conv"
        conv.name = "/conv/Conv"
        conv.input = ["x", "w"]
        conv.output = ["c"]
        if let bias {
            var b = Onnx_TensorProto()
            b.name = "b"
            b.dims = [Int64(bias.count)]
            b.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            b.floatData = bias
            g.initializer.append(b)
            conv.input.append("b")
        }
        g.node = [conv]
        var output = "c"
        if poolAfter {
            var pool = Onnx_NodeProto()
            pool.opType = "MaxPool"
            pool.name = "/pool/MaxPool"
            pool.input = ["c"]
            pool.output = ["p"]
            g.node.append(pool)
            output = "p"
        }
        return try Fixtures.serialized(g, input: [1, channels, size, size], output: output)
    }

    static let weights: [Float] = (0..<12).map { Float($0) / 8 }
    static var weightBytes: Data { weights.withUnsafeBytes { Data($0) } }

    /// Writes `bytes` to `path`, making its folder.
    static func put(_ bytes: some DataProtocol, _ path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// The import's error, or nil when it imported.
    static func failure(_ path: String) -> String? {
        do {
            _ = try ModelLoader.importFile(path)
            return nil
        } catch {
            return error.description
        }
    }

    // MARK: item 1: a link beside the model leads out of its folder

    /// `m/w.bin -> s/secret.bin` (absolute link) and `m/d -> s` with location `d/secret.bin`:
    /// both imported the secret's bytes as the conv's weight before; now one line each, no read.
    @Test func aLinkOutOfTheModelsFolderIsRefused() throws {
        let dir = try TemporaryDirectory("ie-extlink")
        defer { dir.remove() }
        try Self.put(Self.weightBytes, dir.path("s/secret.bin"))
        try Self.put(try Self.model(location: "w.bin"), dir.path("m/m.onnx"))
        #expect(symlink(dir.path("s/secret.bin"), dir.path("m/w.bin")) == 0)
        try Self.put(try Self.model(location: "d/secret.bin"), dir.path("m/n.onnx"))
        #expect(symlink("../s", dir.path("m/d")) == 0)
        let real = try #require(ExternalDataFolder.realPath(dir.path("s/secret.bin")))
        for (model, location) in [("m.onnx", "w.bin"), ("n.onnx", "d/secret.bin")] {
            let path = dir.path("m/" + model)
            let counter = ONNXImporter.ByteCounter()
            let message = ONNXImporter.$externalBytesRead.withValue(counter) { Self.failure(path) }
            #expect(
                message
                    == "\(path): node \"/conv/Conv\" (Conv): weight \"w\": external data location \"\(location)\" leads out of "
                    + "the model's folder (through a symbolic link, to \"\(real)\"); keep the data in the model's folder"
            )
            #expect(counter.bytes == 0)
        }
        // A link that stays inside the folder is followed as before.
        try Self.put(Self.weightBytes, dir.path("m/data/w.bin"))
        #expect(unlink(dir.path("m/w.bin")) == 0)
        #expect(symlink("data/w.bin", dir.path("m/w.bin")) == 0)
        #expect(try ModelLoader.importFile(dir.path("m/m.onnx")).weights.layers["conv"]?.weight == Self.weights)
    }

    /// A NUL inside `location` cut the C path short (`w.bin\0/../x` named `w.bin`) and was echoed
    /// raw: refused, and escaped in the message.
    @Test func aNULInTheLocationIsRefused() throws {
        let dir = try TemporaryDirectory("ie-extnul")
        defer { dir.remove() }
        try Self.put(Self.weightBytes, dir.path("w.bin"))
        try Self.put(try Self.model(location: "w.bin\0/../../secret"), dir.path("m.onnx"))
        #expect(
            Self.failure(dir.path("m.onnx")) == "\(dir.path("m.onnx")): node \"/conv/Conv\" (Conv): weight \"w\": "
                + "external data location \"w.bin\\u0000/../../secret\" holds a NUL character")
    }

    /// What held before must hold: absolute paths and `..` refused, a directory or a FIFO as the
    /// data file named for what it is, a short file refused for its length; all without a read.
    @Test func whatHeldStillHolds() throws {
        let dir = try TemporaryDirectory("ie-extheld")
        defer { dir.remove() }
        let path = dir.path("m.onnx")
        #expect(mkfifo(dir.path("fifo"), 0o600) == 0)
        try FileManager.default.createDirectory(atPath: dir.path("folder"), withIntermediateDirectories: true)
        try Self.put(Self.weightBytes.prefix(40), dir.path("short.bin"))
        let cases = [
            ("/etc/passwd", "external data location \"/etc/passwd\" must be a file beside the model"),
            ("a/../../w.bin", "external data location \"a/../../w.bin\" must be a file beside the model"),
            ("fifo", "external data \"fifo\": is a FIFO, not a regular file"),
            ("folder", "external data \"folder\": is a directory, not a regular file"),
            ("short.bin", "external data file \"short.bin\" ends before offset 0 + 48"),
            ("none.bin", "external data file \"none.bin\" is missing (keep it beside the model)"),
        ]
        for (location, message) in cases {
            try Self.put(try Self.model(location: location), path)
            let counter = ONNXImporter.ByteCounter()
            let got = ONNXImporter.$externalBytesRead.withValue(counter) { Self.failure(path) }
            #expect(got == "\(path): node \"/conv/Conv\" (Conv): weight \"w\": " + message)
            #expect(counter.bytes == 0)
        }
    }

    // MARK: item 13: a model reached through a link

    /// A Hugging Face cache: `snapshots/REV/onnx/model.onnx` and `model.onnx.data` are relative
    /// links to `blobs/HASH`; the location names the link beside the model, whose real path lies
    /// in the folder of the model's real path. Refused before ("not a regular file"); imports now.
    @Test func aHuggingFaceCacheImports() throws {
        let dir = try TemporaryDirectory("ie-hfcache")
        defer { dir.remove() }
        let cache = dir.path("models--org--net")
        try Self.put(try Self.model(location: "model.onnx.data"), cache + "/blobs/1111aaaa")
        try Self.put(Self.weightBytes, cache + "/blobs/2222bbbb")
        let snapshot = cache + "/snapshots/0123abcd/onnx"
        try FileManager.default.createDirectory(atPath: snapshot, withIntermediateDirectories: true)
        #expect(symlink("../../../blobs/1111aaaa", snapshot + "/model.onnx") == 0)
        #expect(symlink("../../../blobs/2222bbbb", snapshot + "/model.onnx.data") == 0)
        let model = try ModelLoader.importFile(snapshot + "/model.onnx")
        #expect(model.weights.layers["conv"]?.weight == Self.weights)
        #expect(model.layout.name == "model")
        let loaded = try ModelLoader.load(snapshot + "/model.onnx")
        #expect(loaded.weights?.layers["conv"]?.weight == Self.weights)
        #expect(ModelLoader.isONNXFile(snapshot + "/model.onnx"))
    }

    /// The attack on that rule: a folder whose model is a link to a real model elsewhere, and
    /// whose data link leads to a third folder (neither the folder given nor the model's real
    /// one): refused. A data link into the model's real folder (the cache's shape) is read.
    @Test func aLinkedModelStillConfinesItsData() throws {
        let dir = try TemporaryDirectory("ie-linkedmodel")
        defer { dir.remove() }
        try Self.put(try Self.model(location: "w.bin"), dir.path("real/m.onnx"))
        try Self.put(Self.weightBytes, dir.path("real/own.bin"))
        try Self.put(Self.weightBytes, dir.path("secret/key.bin"))
        try FileManager.default.createDirectory(atPath: dir.path("given"), withIntermediateDirectories: true)
        #expect(symlink(dir.path("real/m.onnx"), dir.path("given/m.onnx")) == 0)
        #expect(symlink(dir.path("secret/key.bin"), dir.path("given/w.bin")) == 0)
        let message = try #require(Self.failure(dir.path("given/m.onnx")))
        #expect(message.contains("external data location \"w.bin\" leads out of the model's folder"), "\(message)")
        #expect(unlink(dir.path("given/w.bin")) == 0)
        #expect(symlink(dir.path("real/own.bin"), dir.path("given/w.bin")) == 0)
        #expect(try ModelLoader.importFile(dir.path("given/m.onnx")).weights.layers["conv"]?.weight == Self.weights)
    }

    // MARK: item 4: structure and sizes before any byte

    /// A 768 MiB external weight (a sparse file: no disk, no memory) with a bias of the wrong
    /// shape, then the same weight before a MaxPool without a kernel: both are structural errors
    /// and are reported without reading the weight (it was read whole first: 26 s and 6.2 GB for
    /// QA's [256, 3, 1024, 1024]).
    @Test func structureIsCheckedBeforeExternalDataIsRead() throws {
        let dir = try TemporaryDirectory("ie-extorder")
        defer { dir.remove() }
        let dims: [Int64] = [64, 3, 1024, 1024]
        let bytes = 64 * 3 * 1024 * 1024 * 4
        _ = FileManager.default.createFile(atPath: dir.path("big.bin"), contents: nil)
        #expect(truncate(dir.path("big.bin"), off_t(bytes)) == 0)
        let path = dir.path("m.onnx")
        for (poolAfter, message) in [
            (false, "node \"/conv/Conv\" (Conv): bias \"b\" has shape [5], expected [64]"),
            (true, "node \"/pool/MaxPool\" (MaxPool): needs a 2-D kernel_shape"),
        ] {
            try Self.put(
                try Self.model(
                    location: "big.bin", weightDims: dims, size: 1024, bias: poolAfter ? nil : [0, 0, 0, 0, 0],
                    poolAfter: poolAfter), path)
            let counter = ONNXImporter.ByteCounter()
            let got = ONNXImporter.$externalBytesRead.withValue(counter) { Self.failure(path) }
            #expect(got == "\(path): " + message)
            #expect(counter.bytes == 0, "read \(counter.bytes) bytes before refusing")
        }
        // A model that maps reads its weight once, after the structural pass.
        try Self.put(Self.weightBytes, dir.path("w.bin"))
        try Self.put(try Self.model(location: "w.bin"), path)
        let counter = ONNXImporter.ByteCounter()
        let model = try ONNXImporter.$externalBytesRead.withValue(counter) { try ModelLoader.importFile(path) }
        #expect(model.weights.layers["conv"]?.weight == Self.weights)
        #expect(counter.bytes == 48)
    }

    /// A tensor larger than this machine's memory, in a sparse file of that size: one line, no
    /// read (it was allocated, and a 13 GB one aborted). Machines with more than 60 GiB hit the
    /// per-tensor cap of 2^34 values first, so there the test does not apply.
    @Test(.enabled(if: PhysicalMemory.bytes < 60 << 30))
    func aTensorLargerThanMemoryIsRefused() throws {
        let dir = try TemporaryDirectory("ie-extmem")
        defer { dir.remove() }
        let memory = PhysicalMemory.bytes
        let out = memory / 4096 + 1  // [out, 1024, 1, 1] floats: 4096 bytes per output channel
        _ = FileManager.default.createFile(atPath: dir.path("huge.bin"), contents: nil)
        #expect(truncate(dir.path("huge.bin"), off_t(out * 4096)) == 0)
        let path = dir.path("m.onnx")
        try Self.put(try Self.model(location: "huge.bin", weightDims: [Int64(out), 1024, 1, 1], channels: 1024), path)
        let counter = ONNXImporter.ByteCounter()
        let got = ONNXImporter.$externalBytesRead.withValue(counter) { Self.failure(path) }
        #expect(
            got == "\(path): node \"/conv/Conv\" (Conv): weight \"w\" is \(NumberFormat.grouped(out * 4096)) bytes, "
                + "more than this machine's memory (\(NumberFormat.grouped(memory)) bytes)")
        #expect(counter.bytes == 0)
    }
}
