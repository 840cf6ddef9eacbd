"""Prints an ONNX model for FileCheck after onnx.checker accepted it.

Usage: dump_onnx.py MODEL.onnx [--no-metadata]
Lines: `opset`, `input`/`output` with shapes, `init NAME [dims]`, one
`node OP(in, ...) -> out {attr=value, ...}` per node in graph order, then
`meta KEY = VALUE`.
"""
import sys

import onnx
import onnx.checker
import onnx.helper
import onnx.numpy_helper


def shape(value_info):
    dims = value_info.type.tensor_type.shape.dim
    return "[" + ", ".join(d.dim_param or str(d.dim_value) for d in dims) + "]"


def attr(a):
    v = onnx.helper.get_attribute_value(a)
    if isinstance(v, onnx.TensorProto):
        arr = onnx.numpy_helper.to_array(v)
        return "tensor%s(%s)" % (list(arr.shape), " ".join("%g" % x for x in arr.flatten()))
    if isinstance(v, bytes):
        v = v.decode()
    return str(v)


def main():
    model = onnx.load(sys.argv[1])
    onnx.checker.check_model(model, full_check=True)
    print("checker ok")
    print("ir_version", model.ir_version, "opset",
          ", ".join("%s:%d" % (o.domain or "ai.onnx", o.version) for o in model.opset_import))
    g = model.graph
    for i in g.input:
        print("input", i.name, shape(i))
    for o in g.output:
        print("output", o.name, shape(o))
    for t in g.initializer:
        print("init", t.name, list(t.dims))
    for n in g.node:
        attrs = ", ".join("%s=%s" % (a.name, attr(a)) for a in n.attribute)
        print("node %s(%s) -> %s {%s}" % (n.op_type, ", ".join(n.input),
                                         ", ".join(n.output), attrs))
    if "--no-metadata" not in sys.argv:
        for p in model.metadata_props:
            print("meta", p.key, "=", p.value)


if __name__ == "__main__":
    main()
