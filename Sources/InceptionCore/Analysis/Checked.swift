/// Counts are checked 64-bit integers: an overflow is a reported error, never a trap.
struct Overflow: Error {}

@inline(__always)
func mul(_ a: Int, _ b: Int) throws(Overflow) -> Int {
    let (r, o) = a.multipliedReportingOverflow(by: b)
    if o { throw Overflow() }
    return r
}

@inline(__always)
func add(_ a: Int, _ b: Int) throws(Overflow) -> Int {
    let (r, o) = a.addingReportingOverflow(b)
    if o { throw Overflow() }
    return r
}

func product(_ xs: Int...) throws(Overflow) -> Int {
    var r = 1
    for x in xs { r = try mul(r, x) }
    return r
}
