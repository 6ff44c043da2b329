/// Something that draws itself into a region of a buffer (ratatui's `Widget`). Widgets never touch
/// the terminal, and hold no state between frames: selection and scroll offsets are owned by the
/// app and passed in, so a screen is a pure function of app state.
public protocol Widget {
    func render(in area: Rect, buffer: inout Buffer)
}

extension Buffer {
    /// Renders a widget into `area` (sugar for `widget.render(in:buffer:)`).
    public mutating func render(_ widget: some Widget, in area: Rect) {
        widget.render(in: area, buffer: &self)
    }
}
