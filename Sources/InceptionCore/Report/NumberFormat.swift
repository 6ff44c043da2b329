/// Number formatting shared by every report and screen: exact figures with thousands separators
/// where a user checks them, humanized ones where space is short.
public enum NumberFormat {
    /// `163696` → "163,696"; negative numbers keep their sign.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// `163696` → "163.7K", `1582671872` → "1.58G", `999` → "999": one decimal from 100 up,
    /// two below, so the figure keeps 3–4 significant digits.
    public static func humanized(_ n: Int, units: [String] = ["", "K", "M", "G", "T", "P", "E"]) -> String {
        var value = Double(n.magnitude)
        var unit = 0
        while value >= 999.95 && unit + 1 < units.count {
            value /= 1000
            unit += 1
        }
        let sign = n < 0 ? "-" : ""
        if unit == 0 { return sign + String(n.magnitude) }
        return sign + fixed(value, decimals: value >= 99.95 ? 1 : 2) + units[unit]
    }

    /// Bytes in binary units: "784.0 KiB", "3.06 MiB".
    public static func bytes(_ n: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(n.magnitude)
        var unit = 0
        while value >= 1023.95 && unit + 1 < units.count {
            value /= 1024
            unit += 1
        }
        let sign = n < 0 ? "-" : ""
        if unit == 0 { return sign + "\(n.magnitude) B" }
        return sign + fixed(value, decimals: value >= 99.95 ? 1 : 2) + " " + units[unit]
    }

    /// A signed percentage change from `old` to `new` that always carries its sign and never rounds
    /// a real change to zero: "+12.5%", "-3.1%", "+<0.1%", "-<0.1%"; "0.0%" only when nothing
    /// changed; "n/a" from zero. (Doubles before subtracting: counts near Int.max do not wrap.)
    public static func percentChange(from old: Int, to new: Int) -> String {
        guard old != 0 else { return new == 0 ? "0.0%" : "n/a" }
        let p = (Double(new) - Double(old)) / Double(old) * 100
        if p == 0 { return "0.0%" }
        if abs(p) < 0.05 { return p > 0 ? "+<0.1%" : "-<0.1%" }
        return (p > 0 ? "+" : "") + fixed(p, decimals: 1) + "%"
    }

    /// A share as a percentage with one decimal: 0.125 → "12.5%"; tiny non-zero shares say "<0.1%"
    /// rather than a misleading "0.0%".
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "-" }
        let p = fraction * 100
        if p != 0 && abs(p) < 0.05 { return p > 0 ? "<0.1%" : ">-0.1%" }
        return fixed(p, decimals: 1) + "%"
    }

    /// Milliseconds with 3 significant digits: "2.61 ms", "31.4 ms", "412 ms", "0.087 ms".
    public static func milliseconds(_ ms: Double) -> String {
        guard ms.isFinite, ms >= 0 else { return "-" }
        let decimals = ms >= 100 ? 0 : ms >= 10 ? 1 : ms >= 1 ? 2 : 3
        return fixed(ms, decimals: decimals) + " ms"
    }

    /// Fixed decimals without Foundation's String(format:), which allocates an NSString on Linux.
    /// Beyond what 64-bit integers hold (|x|·10^decimals ≥ 9.22e18) it falls back to `scientific`.
    public static func fixed(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
        let decimals = min(max(decimals, 0), 15)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 9.22e18 else { return scientific(x) }
        let whole = Int(scaled / scale)
        let frac = Int(scaled - Double(whole) * scale)
        var s = (x < 0 && scaled != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let f = String(frac)
            s += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return s
    }

    /// Three significant digits and a decimal exponent: 1e19 → "1.00e+19", 2.5e-7 → "2.50e-07".
    public static func scientific(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
        guard x != 0 else { return "0.00e+00" }
        // Scale into [1, 10) by repeated ×/÷10 (no Foundation; subnormals never divide by 0).
        var exponent = 0
        var mantissa = abs(x)
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        if (mantissa * 100).rounded() >= 1000 {
            mantissa /= 10
            exponent += 1
        }
        let e = String(abs(exponent))
        return (x < 0 ? "-" : "") + fixed(mantissa, decimals: 2) + "e" + (exponent < 0 ? "-" : "+")
            + (e.count < 2 ? "0" + e : e)
    }
}
