#!/usr/bin/env python3
"""Writes a one-node ONNX model used by `npm run bench` to measure this CPU's matrix-product peak through ONNX Runtime,
the yardstick for the decoder's attained arithmetic rate:

- float32 (default): MatMul of two float32 [N, N] inputs a and b;
- int8: the integer product of the int8 decoder step (molnav_vae/quantize.py): float32 input a [N, N], QuantizeLinear
  to uint8 (scale 2/127, zero point 64), `com.microsoft` MatMulIntegerToFloat with a constant int8 [N, N] weight with
  per-column scales, float32 out (the quantisation is part of the measured time, as in the decoder).

Usage: /usr/bin/python3 bench/make_matmul.py OUT.onnx [N] [float32|int8]   (Debian python3-onnx, python3-numpy)
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
kind = sys.argv[3] if len(sys.argv) > 3 else "float32"
c = helper.make_tensor_value_info("c", TensorProto.FLOAT, [n, n])
if kind == "float32":
    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [n, n])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [n, n])
    graph = helper.make_graph([helper.make_node("MatMul", ["a", "b"], ["c"])], "matmul", [a, b], [c])
    opsets = [helper.make_opsetid("", 17)]
elif kind == "int8":
    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [n, n])
    rng = np.random.default_rng(0)
    inits = [
        numpy_helper.from_array(rng.integers(-127, 128, size=(n, n)).astype(np.int8), "w"),
        numpy_helper.from_array(np.array(2 / 127, np.float32), "a_scale"),
        numpy_helper.from_array(np.full(n, 0.01, np.float32), "w_scale"),
        numpy_helper.from_array(np.array(64, np.uint8), "a_zero_point"),
    ]
    nodes = [
        helper.make_node("QuantizeLinear", ["a", "a_scale", "a_zero_point"], ["a_uint8"]),
        helper.make_node("MatMulIntegerToFloat", ["a_uint8", "w", "a_scale", "w_scale", "a_zero_point"], ["c"], domain="com.microsoft"),
    ]
    graph = helper.make_graph(nodes, "matmul_int8", [a], [c], initializer=inits)
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
else:
    sys.exit(f"unknown kind {kind!r}: float32 or int8")
model = helper.make_model(graph, opset_imports=opsets)
model.ir_version = 8
onnx.save(model, out)
