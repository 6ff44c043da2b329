/// What a piece of text *means*, not which color it is (htop's named color roles). The backend maps
/// roles to colors on the terminal's default background; monochrome mode maps them to attributes.
public enum ColorRole: String, CaseIterable, Hashable, Sendable {
    case normal, dim, accent, selection, error, ok, warning, title, bar, border, key
    /// A figure's heat by quarters of the largest value (the diagram's boxes): cool to hot.
    case heatCool, heatMild, heatWarm, heatHot

    /// The heat role for a quarter 0...3 (clamped).
    public static func heat(_ quarter: Int) -> ColorRole {
        [.heatCool, .heatMild, .heatWarm, .heatHot][min(3, max(0, quarter))]
    }
}

/// The look of one cell: a role plus attributes the widget asks for explicitly.
public struct Style: Hashable, Sendable {
    public var role: ColorRole
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(_ role: ColorRole = .normal, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }

    public static let normal = Style()

    public func with(role: ColorRole) -> Style { var s = self; s.role = role; return s }
    public func bolded() -> Style { var s = self; s.bold = true; return s }
    public func reversed() -> Style { var s = self; s.reverse = true; return s }
    public func underlined() -> Style { var s = self; s.underline = true; return s }
}

/// The eight ANSI colors plus "whatever the terminal uses".
public enum TerminalColor: Int, Hashable, Sendable {
    case terminalDefault = -1
    case black = 0, red, green, yellow, blue, magenta, cyan, white
}

/// The attributes a backend should put on a cell, after resolving the role: the single place that
/// decides the palette, so it can be tested and the backend stays a dumb translator.
public struct ResolvedStyle: Hashable, Sendable {
    public var foreground: TerminalColor
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    public var dim: Bool

    public init(
        foreground: TerminalColor = .terminalDefault, bold: Bool = false, reverse: Bool = false,
        underline: Bool = false, dim: Bool = false
    ) {
        self.foreground = foreground
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }
}

extension ColorRole {
    /// The color-mode rendering of the role (foreground color on the default background).
    public var colorStyle: ResolvedStyle {
        switch self {
        case .normal: ResolvedStyle()
        case .dim: ResolvedStyle(dim: true)
        case .accent: ResolvedStyle(foreground: .cyan)
        case .selection: ResolvedStyle(reverse: true)
        case .error: ResolvedStyle(foreground: .red, bold: true)
        case .ok: ResolvedStyle(foreground: .green)
        case .warning: ResolvedStyle(foreground: .yellow)
        case .title: ResolvedStyle(foreground: .cyan, bold: true)
        case .bar: ResolvedStyle(foreground: .blue)
        case .border: ResolvedStyle()
        case .key: ResolvedStyle(foreground: .yellow, bold: true)
        case .heatCool: ResolvedStyle(foreground: .blue)
        case .heatMild: ResolvedStyle(foreground: .green)
        case .heatWarm: ResolvedStyle(foreground: .yellow)
        case .heatHot: ResolvedStyle(foreground: .red, bold: true)
        }
    }

    /// The monochrome rendering (NO_COLOR, --no-color, or a terminal without colors): meaning
    /// survives as bold / reverse / underline.
    public var monochromeStyle: ResolvedStyle {
        switch self {
        case .normal, .ok, .bar, .border, .heatMild: ResolvedStyle()
        case .heatCool: ResolvedStyle(dim: true)
        case .heatWarm: ResolvedStyle(bold: true)
        case .heatHot: ResolvedStyle(bold: true, underline: true)
        case .dim: ResolvedStyle(dim: true)
        case .accent, .title, .key: ResolvedStyle(bold: true)
        case .selection: ResolvedStyle(reverse: true)
        case .error: ResolvedStyle(bold: true, underline: true)
        case .warning: ResolvedStyle(bold: true)
        }
    }
}

extension Style {
    /// Role rendering plus the explicit attributes (explicit attributes only ever add).
    public func resolved(color: Bool) -> ResolvedStyle {
        var r = color ? role.colorStyle : role.monochromeStyle
        r.bold = r.bold || bold
        // reverse on a reversed role cancels out would be surprising; explicit reverse always shows.
        r.reverse = r.reverse || reverse
        r.underline = r.underline || underline
        return r
    }
}
