"""Params, buffers and MACs of an ONNX file counted from the graph itself, per consuming node: conv
weight + bias (a grouped conv's weight is already [out, in/groups, kh, kw]), Gemm / MatMul weight +
bias (a MatMul's bias is the initializer of the Add after it), 2 trainable + 2 buffers per
BatchNormalization channel, LayerNormalization's gamma/beta, a Mul by a per-channel initializer
(layer scale) as C parameters; scalar constants (a residual's 0.17, GELU's 0.5) are not parameters.
MACs as fvcore (conv and linear, no bias),
output sizes from onnx shape inference. Used by the ONNX import benchmark and the test fixtures'
generator (Tests/TestSupport/Fixtures/onnx/make_fixtures.py)."""
import numpy as np
import onnx
from onnx import shape_inference


def graph_counts(path):
    """Params, buffers, MACs of an ONNX file counted per node (see the module doc, step 3)."""
    model = shape_inference.infer_shapes(onnx.load(path, load_external_data=False))
    g = model.graph
    inits = {t.name: list(t.dims) for t in g.initializer}
    consts = {n.output[0]: list(n.attribute[0].t.dims) for n in g.node
              if n.op_type == "Constant" and n.attribute and n.attribute[0].name == "value"}
    alias = {n.output[0]: n.input[0] for n in g.node if n.op_type == "Identity" and n.input[0] in inits}
    dims = lambda name: inits.get(alias.get(name, name))
    producer = {o: n for n in g.node for o in n.output}
    shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in list(g.value_info) + list(g.output)}
    params = buffers = macs = 0
    for n in g.node:
        if n.op_type == "Conv":
            w = dims(n.input[1]); out = shapes[n.output[0]]
            params += int(np.prod(w)) + (w[0] if len(n.input) > 2 and n.input[2] else 0)
            macs += int(np.prod(w)) * out[2] * out[3]
        elif n.op_type in ("Gemm", "MatMul"):
            w = dims(n.input[1]); params += int(np.prod(w)); macs += int(np.prod(w))
            if n.op_type == "Gemm" and len(n.input) > 2 and n.input[2]:
                params += int(np.prod(dims(n.input[2])))
        elif n.op_type == "Add":
            # A MatMul's bias: an initializer added to the MatMul's output.
            if any(producer.get(i) is not None and producer[i].op_type == "MatMul" for i in n.input):
                params += sum(int(np.prod(d)) for d in (dims(i) for i in n.input) if d is not None)
        elif n.op_type == "Mul":
            # Layer scale: a per-channel initializer (more than one element). Scalars are constants.
            for i in n.input:
                d = dims(i)
                if d is not None and int(np.prod(d)) > 1:
                    params += int(np.prod(d))
        elif n.op_type == "BatchNormalization":
            c = dims(n.input[1])[0]; params += 2 * c; buffers += 2 * c
        elif n.op_type == "LayerNormalization":
            params += sum(int(np.prod(dims(i))) for i in n.input[1:] if i and dims(i) is not None)
    return params, buffers, macs
