#!/usr/bin/env python3
"""Writes a one-node ONNX model (MatMul of two float32 [N, N] inputs) used by `npm run bench` to measure this CPU's
matrix-product peak through ONNX Runtime, the yardstick for the decoder's attained FLOP rate.

Usage: /usr/bin/python3 bench/make_matmul.py OUT.onnx [N]   (Debian python3-onnx)
"""
import sys

import onnx
from onnx import TensorProto, helper

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [n, n])
b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [n, n])
c = helper.make_tensor_value_info("c", TensorProto.FLOAT, [n, n])
graph = helper.make_graph([helper.make_node("MatMul", ["a", "b"], ["c"])], "matmul", [a, b], [c])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
onnx.save(model, out)
