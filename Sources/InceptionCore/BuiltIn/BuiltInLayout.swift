/// The layouts compiled into the binary, so the explorer opens on a fresh clone with no file, and
/// `builtin:NAME` works anywhere a layout path is accepted. Same bytes as the files in Layouts/.
public enum BuiltInLayout: String, CaseIterable, Sendable {
    case googlenet
    case inceptionV3 = "inception-v3"
    case inceptionV4 = "inception-v4"
    case bnInception = "bn-inception"
    case inceptionResNetV2 = "inception-resnet-v2"
    case xception

    /// The canonical JSON text, identical to `Layouts/<name>.json`.
    public var json: String {
        switch self {
        case .googlenet: Self.googlenetJSON
        case .inceptionV3: Self.inceptionV3JSON
        case .inceptionV4: Self.inceptionV4JSON
        case .bnInception: Self.bnInceptionJSON
        case .inceptionResNetV2: Self.inceptionResNetV2JSON
        case .xception: Self.xceptionJSON
        }
    }

    /// The file name the explorer suggests when exporting this layout.
    public var fileName: String { rawValue + ".json" }

    /// Every `builtin:NAME`, comma-separated, for help texts and the "no such built-in" message, so a
    /// new built-in is listed wherever the others are.
    public static var references: String { allCases.map { "builtin:\($0.rawValue)" }.joined(separator: ", ") }

    /// `builtin:googlenet` → .googlenet.
    public init?(reference: String) {
        guard reference.hasPrefix("builtin:") else { return nil }
        self.init(rawValue: String(reference.dropFirst("builtin:".count)))
    }
}
