/// The micro-kernels' `InlineArray` types (value generics: `InlineArray<P, InlineArray<FB, SIMD16>>`)
/// get their runtime type metadata lazily, the first time a kernel runs. When two pool threads run a
/// kernel shape for the first time at once, one of them can be handed the metadata while the other is
/// still completing it, and call through a value-witness entry that is not filled in yet. We saw this
/// once: `run --save` crashed at a null call in `ConvRowDriver.dispatch` while the other thread was
/// inside `_swift_getGenericMetadata` for `ConvMicroKernel.reduce`.
///
/// `ready` asks for every kernel's complete metadata on one thread, once (a `static let` initialiser
/// runs under `swift_once`, so concurrent first callers wait for it). The row driver and the
/// depthwise op touch it before their first kernel call; afterwards it is one load.
enum KernelMetadata {
    static let ready: Bool = {
        var ids: [ObjectIdentifier] = []
        func add<let FB: Int, let P: Int>(_: ConvMicroKernel<FB, P>.Type) {
            ids.append(ObjectIdentifier(InlineArray<P, InlineArray<FB, SIMD16<Float>>>.self))
            ids.append(ObjectIdentifier(InlineArray<FB, SIMD16<Float>>.self))
        }
        // Every (blocks, pixels) shape `ConvRowDriver.dispatch` can pick.
        add(ConvMicroKernel<4, 5>.self); add(ConvMicroKernel<4, 4>.self); add(ConvMicroKernel<4, 3>.self)
        add(ConvMicroKernel<4, 2>.self); add(ConvMicroKernel<4, 1>.self)
        add(ConvMicroKernel<3, 7>.self); add(ConvMicroKernel<3, 4>.self); add(ConvMicroKernel<3, 3>.self)
        add(ConvMicroKernel<3, 2>.self); add(ConvMicroKernel<3, 1>.self)
        add(ConvMicroKernel<2, 10>.self); add(ConvMicroKernel<2, 8>.self); add(ConvMicroKernel<2, 4>.self)
        add(ConvMicroKernel<2, 3>.self); add(ConvMicroKernel<2, 2>.self); add(ConvMicroKernel<2, 1>.self)
        add(ConvMicroKernel<1, 16>.self); add(ConvMicroKernel<1, 8>.self); add(ConvMicroKernel<1, 4>.self)
        add(ConvMicroKernel<1, 3>.self); add(ConvMicroKernel<1, 2>.self); add(ConvMicroKernel<1, 1>.self)
        // The depthwise kernels' accumulators.
        for id in [
            ObjectIdentifier(InlineArray<8, SIMD16<Float>>.self), ObjectIdentifier(InlineArray<4, SIMD16<Float>>.self),
            ObjectIdentifier(InlineArray<1, SIMD16<Float>>.self),
        ] { ids.append(id) }
        return !ids.isEmpty
    }()
}
