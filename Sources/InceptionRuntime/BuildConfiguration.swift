/// True when this module was compiled without optimisation (`swift build` / `swift run` without
/// `-c release`). The engine target is optimised in every configuration, yet a debug build still
/// ran it 12.7× slower here (inception_3a at 1 thread: 31.4 ms vs 2.48 ms), so `bench` and the
/// explorer say so beside every timing rather than report numbers a user would trust.
public let isDebugBuild: Bool = {
    #if DEBUG
    return true
    #else
    return false
    #endif
}()
