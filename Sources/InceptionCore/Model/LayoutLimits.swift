/// The size limits of `inception-layout/1`, in one place: the decoder refuses beyond them, and the
/// edits (`+`, the width prompt) stop at them, so a saved layout always loads again.
public enum LayoutLimits {
    /// The largest channel count, output width, spatial size, kernel, stride, pad or LRN size: 2^24.
    /// Far beyond real networks (GoogLeNet's widest layer has 1,024 channels), small enough that
    /// products of a few such numbers stay far from 64-bit overflow.
    public static let maxSize = 1 << 24
    /// The largest channel count (`out` of a conv or linear layer, `input.channels`).
    public static let maxChannels = maxSize
    /// The largest layout file read: 32 MiB. A 100,000-branch block is 7.5 MB (GoogLeNet 25 KB);
    /// a dense file takes about 21 times its size in memory once parsed, decoded and analysed
    /// (`validate` on the 7.5 MB block: 158 MB peak RSS), so this bounds a load near 700 MB.
    public static let maxFileBytes = 32 << 20

    /// The deepest nesting of blocks a layout file holds: each block level takes 4 levels of JSON
    /// (block object, "branches", branch object, "layers"), and the parser stops at
    /// `JSONParser.maxDepth` (64), so 15. The ONNX importer stops at it too, before recursing deeper.
    public static let maxBlockNesting = (JSONParser.maxDepth - 4) / 4

    /// The longest name of a layer, branch or network, in UTF-8 bytes: 255, the usual file-name
    /// limit (NAME_MAX on Linux and macOS), since node paths become file names (`run --save` writes
    /// `NAME.weight.npy`). Issue 19: names had no limit, and a 10,000-character name made `run
    /// --save` fail with a 20 KB "one line".
    public static let maxNameBytes = 255

    /// `width` brought into the accepted range 1...maxChannels (for `+` / `-`).
    public static func clampedWidth(_ width: Int) -> Int { min(max(width, 1), maxChannels) }
}
