/// One planned operation: shapes checked, weights packed and scratch allocated when it was created;
/// `run` does no allocation and can be called any number of times.
///
/// An op is bound to its input tensor and output slice at plan time; a forward pass is a list of ops
/// run in order. Ops are not reentrant: run one op at a time (each run uses the whole pool).
public protocol EngineOp: AnyObject {
    /// Computes the output from the current input contents, using `pool`'s threads.
    func run(_ pool: ThreadPool)
    /// Floating-point operations of one run: 2 · MACs for conv and linear (fvcore's MACs, no bias),
    /// 0 for the others (they are memory-bound and not counted in MACs).
    var flops: Int { get }
}
