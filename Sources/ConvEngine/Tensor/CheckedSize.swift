/// Checked products of sizes for the engine: an overflow is nil, never a trap. The engine knows
/// nothing of the core, so this is the twin of `InceptionCore.Checked.product` (keep them alike).
enum CheckedSize {
    static func product(_ xs: Int...) -> Int? {
        var r = 1
        for x in xs {
            let (p, o) = r.multipliedReportingOverflow(by: x)
            if o { return nil }
            r = p
        }
        return r
    }
}
