import Foundation

/// Number formatting used on every screen. Rules (DESIGN: "exact with thousands separators where a
/// user checks them; humanized where space is short"):
///
/// - `formatThousands`: exact, comma every three digits: 163696 → "163,696".
/// - `humanize`: below 1000 the exact integer; otherwise the value in K/M/G/T/P (powers of 1000)
///   with **three significant digits but never fewer than one decimal**: 163696 → "163.7K",
///   12345 → "12.3K", 1234 → "1.23K", 1_580_000_000 → "1.58G". A value that rounds up to 1000 of
///   a unit moves to the next unit (999_960 → "1.00M"). The Double overload prints whole numbers
///   below 1000 as integers and fractions with three significant digits (2.5 → "2.50").
/// - `formatBytes`: the same rule in powers of 1024 with KiB/MiB/GiB, below 1024 "512 B".
/// - `formatPercent`: one decimal ("12.3%"); a nonzero share that would print as 0.0% prints
///   "<0.1%", so a tiny branch never looks free.
public enum NumberFormat {
    public static func thousands(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    public static func humanize(_ n: Int) -> String {
        if n.magnitude < 1000 { return String(n) }
        return scaled(Double(n), base: 1000, units: ["", "K", "M", "G", "T", "P", "E"], separator: "")
    }

    public static func humanize(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
        if abs(x) < 1000 { return x == x.rounded() ? String(Int(x)) : significant(x) }
        return scaled(x, base: 1000, units: ["", "K", "M", "G", "T", "P", "E"], separator: "")
    }

    public static func bytes(_ n: Int) -> String {
        if n.magnitude < 1024 { return "\(n) B" }
        return scaled(Double(n), base: 1024, units: ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"], separator: " ")
    }

    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "-" }
        let p = fraction * 100
        if p != 0 && abs(p) < 0.05 { return p > 0 ? "<0.1%" : ">-0.1%" }
        return fixed(p, decimals: 1) + "%"
    }

    /// Seconds as "850 ns", "12.3 µs", "4.56 ms", "1.23 s" (three significant digits, as humanize).
    public static func duration(_ seconds: Double, ascii: Bool = false) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        let units: [(Double, String)] = [(1, "s"), (1e-3, "ms"), (1e-6, ascii ? "us" : "µs"), (1e-9, "ns")]
        for (scale, name) in units where seconds >= scale || scale == 1e-9 {
            var v = seconds / scale
            var unit = name
            var text = significant(v)
            // 999.96 ms rounds to "1000": step up a unit.
            if text.hasPrefix("1000"), scale < 1, let up = units.first(where: { $0.0 == scale * 1000 }) {
                v = seconds / up.0
                unit = up.1
                text = significant(v)
            }
            return text + " " + unit
        }
        return "0 s"
    }

    // MARK: - Helpers

    /// Three significant digits, at least one decimal for values under 1000 of the unit.
    private static func significant(_ v: Double) -> String {
        let a = abs(v)
        let decimals = a >= 100 ? 1 : (a >= 10 ? 1 : 2)
        return fixed(v, decimals: decimals)
    }

    private static func scaled(_ x: Double, base: Double, units: [String], separator: String) -> String {
        var v = x
        var u = 0
        while abs(v) >= base && u < units.count - 1 {
            v /= base
            u += 1
        }
        var text = significant(v)
        if abs(Double(text) ?? 0) >= base && u < units.count - 1 {
            v /= base
            u += 1
            text = significant(v)
        }
        return text + separator + units[u]
    }

    /// Fixed-point text without locale surprises (always "." and no grouping).
    private static func fixed(_ v: Double, decimals: Int) -> String {
        String(format: "%.\(decimals)f", v)
    }
}

/// Free-function spellings, for brevity at call sites.
public func formatThousands(_ n: Int) -> String { NumberFormat.thousands(n) }
public func humanize(_ n: Int) -> String { NumberFormat.humanize(n) }
public func formatBytes(_ n: Int) -> String { NumberFormat.bytes(n) }
public func formatPercent(_ fraction: Double) -> String { NumberFormat.percent(fraction) }
