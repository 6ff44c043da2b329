import InceptionRuntime

/// The forward-pass timer the explorer uses: the engine-backed runtime (generated He-normal weights,
/// seed 0; the FMA peak from the cache, measured once per thread count when missing).
enum EngineTimer {
    static func make() -> (any ForwardTimer)? { EngineForwardTimer() }
}
