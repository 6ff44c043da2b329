import InceptionCore
import InceptionRuntime
import InceptionWeights

/// The forward-pass timer the explorer uses: the engine-backed runtime (an imported model's own
/// weights, else generated He-normal, seed 0; the FMA peak from the cache, measured once per thread
/// count when missing).
enum EngineTimer {
    static func make(weights: ModelWeights?) -> (any ForwardTimer)? {
        EngineForwardTimer(weights: weights.map { .memory($0) } ?? .generated(seed: 0))
    }
}
