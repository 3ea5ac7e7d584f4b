"""The lean decoder graphs (molnav_vae.export) equal SmilesVAE.step, and the int8 rewrite (molnav_vae.quantize) has the
expected structure. Numerical checks of the int8 graph run in TypeScript (test/model/onnx-parity.spec.ts), where
ONNX Runtime is installed."""
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # notebooks/, for molnav_vae

from molnav_vae.export import OPSET, _LeanInit, _LeanStep, check_lean_decoder  # noqa: E402
from molnav_vae.model import SmilesVAE  # noqa: E402
from molnav_vae.quantize import ACTIVATION_SCALE, ACTIVATION_ZERO_POINT, quantize_columns, quantize_decoder_step  # noqa: E402


def small_model(layers: int) -> SmilesVAE:
    torch.manual_seed(layers)
    return SmilesVAE(vocab_size=11, embed_dim=5, enc_hidden=6, latent_dim=4, dec_hidden=8, dec_layers=layers).eval()


class LeanDecoderTest(unittest.TestCase):
    def test_matches_step_for_one_and_two_layers(self):
        for layers in (1, 2):
            self.assertLess(check_lean_decoder(small_model(layers), atol=1e-5), 1e-5)

    def test_check_fails_when_the_graphs_differ(self):
        m = small_model(1)
        original = _LeanStep.__init__

        def wrong_init(self, model):
            original(self, model)
            self.b_out = self.b_out + 0.1  # a shifted output bias

        _LeanStep.__init__ = wrong_init
        try:
            with self.assertRaises(AssertionError):
                check_lean_decoder(m)
        finally:
            _LeanStep.__init__ = original
        self.assertLess(check_lean_decoder(m), 1e-5)

    def test_ctx_is_the_z_part_of_the_first_layers_input_gates(self):
        m = small_model(1)
        z = torch.randn(3, 4)
        _, ctx = _LeanInit(m)(z)
        w = m.dec_gru.weight_ih_l0.detach()
        expected = z @ w[:, 5:].t() + m.dec_gru.bias_ih_l0.detach()
        self.assertEqual(tuple(ctx.shape), (3, 24))
        self.assertTrue(torch.allclose(ctx, expected, atol=1e-6))


class QuantizeTest(unittest.TestCase):
    def test_columns_are_symmetric_int8_with_half_step_error(self):
        w = np.array([[0.5, -2.0, 0.0], [-0.25, 1.0, 0.0], [0.1, 0.3, 0.0]], np.float32)
        q, scale = quantize_columns(w)
        self.assertEqual(q.dtype, np.int8)
        self.assertEqual(list(np.abs(q).max(axis=0)), [127, 127, 0])  # the largest magnitude of a column maps to 127
        self.assertEqual(scale[2], 1.0)  # an all-zero column keeps a finite scale
        self.assertLessEqual(float(np.abs(q * scale - w).max()), float(scale.max()) / 2 + 1e-7)

    def test_activation_range_cannot_saturate_int16_pairs(self):
        top = round(1 / ACTIVATION_SCALE + ACTIVATION_ZERO_POINT)  # the quantised value of h = 1
        bottom = round(-1 / ACTIVATION_SCALE + ACTIVATION_ZERO_POINT)
        self.assertGreaterEqual(bottom, 0)
        self.assertLessEqual(2 * max(top, 128) * 127, 32767)

    def test_two_layer_step_becomes_integer_matmuls(self):
        import onnx

        m = small_model(2)
        step = _LeanStep(m).eval()
        h, ctx = _LeanInit(m)(torch.zeros(2, 4))
        with tempfile.TemporaryDirectory() as d:
            src, dst = Path(d) / "step.onnx", Path(d) / "step.int8.onnx"
            torch.onnx.export(step, (ctx, torch.ones(2, dtype=torch.long), h), str(src), input_names=["ctx", "token", "h"],
                              output_names=["logits", "h_out"], opset_version=OPSET,
                              dynamic_axes={"ctx": {0: "b"}, "token": {0: "b"}, "h": {1: "b"}})
            report = quantize_decoder_step(src, dst)
            g = onnx.load(str(dst))
            onnx.checker.check_model(g)
        ops = [n.op_type for n in g.graph.node]
        # weights w_hh0, w_ih1, w_hh1, w_out; inputs h[0], h[1], layer 0's output (into w_ih1), layer 1's (into w_out)
        self.assertEqual(sorted(r["weight"] for r in report), ["w_hh0", "w_hh1", "w_ih1", "w_out"])
        self.assertEqual(ops.count("MatMulIntegerToFloat"), 4)
        self.assertEqual(ops.count("MatMul"), 0)
        self.assertEqual(ops.count("QuantizeLinear"), 4)
        self.assertEqual(len({n.input[0] for n in g.graph.node if n.op_type == "QuantizeLinear"}), 4)
        types = {t.name: t.data_type for t in g.graph.initializer}
        self.assertEqual(types["w_hh0_int8"], onnx.TensorProto.INT8)
        self.assertTrue(all(r["max_abs_error"] > 0 for r in report))


if __name__ == "__main__":
    unittest.main()
