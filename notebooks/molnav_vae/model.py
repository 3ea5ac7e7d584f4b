"""SMILES VAE: bidirectional GRU encoder -> (mu, logvar) -> GRU decoder conditioned on z at every step.

Shapes (B = batch, L = tokens, D = latent_dim, H = dec_hidden, V = vocabulary):
  encode(tokens [B, L] int64, lengths [B] int64) -> mu [B, D], logvar [B, D]
  init_hidden(z [B, D]) -> h0 [layers, B, H]
  step(z [B, D], prev_token [B] int64, h [layers, B, H]) -> logits [B, V], h' [layers, B, H]

The backward encoder direction is a second GRU run on each sequence reversed within its own length, which gives
the bidirectional result without pack_padded_sequence (slow on CPU and awkward to export to ONNX).
Every GRU gets an explicit zero initial state built from the input's batch size, so the ONNX graph keeps a dynamic
batch axis (torch 1.13's exporter otherwise bakes in the export batch size).
"""
import torch
from torch import nn

from .syntax import SyntaxMask


class SmilesVAE(nn.Module):
    def __init__(self, vocab_size: int, embed_dim: int, enc_hidden: int, latent_dim: int, dec_hidden: int, dec_layers: int):
        super().__init__()
        self.vocab_size = vocab_size
        self.enc_hidden = enc_hidden
        self.dec_hidden = dec_hidden
        self.dec_layers = dec_layers
        self.latent_dim = latent_dim
        self.enc_embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.enc_fwd = nn.GRU(embed_dim, enc_hidden, batch_first=True)
        self.enc_bwd = nn.GRU(embed_dim, enc_hidden, batch_first=True)
        self.to_mu = nn.Linear(2 * enc_hidden, latent_dim)
        self.to_logvar = nn.Linear(2 * enc_hidden, latent_dim)
        self.dec_embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.z_to_h = nn.Linear(latent_dim, dec_layers * dec_hidden)
        self.dec_gru = nn.GRU(embed_dim + latent_dim, dec_hidden, num_layers=dec_layers, batch_first=True)
        self.out = nn.Linear(dec_hidden, vocab_size)

    # ---- encoder ----
    def encode(self, tokens: torch.Tensor, lengths: torch.Tensor):
        B, L = tokens.shape
        pos = torch.arange(L, device=tokens.device).unsqueeze(0).expand(B, L)
        last = (lengths - 1).clamp(min=0).unsqueeze(1)  # [B, 1]
        rev_idx = torch.where(pos < lengths.unsqueeze(1), last - pos, pos)
        rev_tokens = torch.gather(tokens, 1, rev_idx)
        h0 = torch.zeros(1, B, self.enc_hidden, device=tokens.device, dtype=torch.float32)
        out_f, _ = self.enc_fwd(self.enc_embed(tokens), h0)
        out_b, _ = self.enc_bwd(self.enc_embed(rev_tokens), h0)
        gather_idx = last.unsqueeze(2).expand(B, 1, self.enc_hidden)
        h_f = torch.gather(out_f, 1, gather_idx).squeeze(1)
        h_b = torch.gather(out_b, 1, gather_idx).squeeze(1)
        h = torch.cat([h_f, h_b], dim=1)
        return self.to_mu(h), self.to_logvar(h)

    # ---- decoder ----
    def init_hidden(self, z: torch.Tensor) -> torch.Tensor:
        B = z.shape[0]
        h = torch.tanh(self.z_to_h(z))  # [B, layers*H]
        return h.view(B, self.dec_layers, self.dec_hidden).transpose(0, 1).contiguous()

    def step(self, z: torch.Tensor, prev_token: torch.Tensor, h: torch.Tensor):
        x = torch.cat([self.dec_embed(prev_token), z], dim=1).unsqueeze(1)  # [B, 1, E+D]
        out, h_new = self.dec_gru(x, h)
        return self.out(out.squeeze(1)), h_new

    def decode_teacher_forced(self, z: torch.Tensor, dec_in: torch.Tensor) -> torch.Tensor:
        """dec_in [B, T] (<bos> + tokens) -> logits [B, T, V]."""
        B, T = dec_in.shape
        x = torch.cat([self.dec_embed(dec_in), z.unsqueeze(1).expand(B, T, z.shape[1])], dim=2)
        out, _ = self.dec_gru(x, self.init_hidden(z))
        return self.out(out)

    @torch.no_grad()
    def greedy(self, z: torch.Tensor, max_steps: int, bos: int = 1, eos: int = 2, syntax_itos=None) -> torch.Tensor:
        """Greedy decode of a latent batch: returns token ids [B, <=max_steps] (stops once every row hit <eos>).

        syntax_itos: the vocabulary's token list to decode under the SMILES syntax mask (molnav_vae.syntax), or None.
        """
        return self.sample(z, max_steps, temperature=0.0, bos=bos, eos=eos, syntax_itos=syntax_itos)

    @torch.no_grad()
    def sample(self, z: torch.Tensor, max_steps: int, temperature: float = 1.0, generator=None, bos: int = 1, eos: int = 2,
               syntax_itos=None):
        B = z.shape[0]
        mask = SyntaxMask(syntax_itos, B, max_steps) if syntax_itos is not None else None
        h = self.init_hidden(z)
        tok = torch.full((B,), bos, dtype=torch.long, device=z.device)
        done = torch.zeros(B, dtype=torch.bool, device=z.device)
        out = []
        for _ in range(max_steps):
            logits, h = self.step(z, tok, h)
            if mask is not None:
                logits = mask.apply(logits, done)
            if temperature <= 0:
                tok = logits.argmax(dim=1)
            else:
                probs = torch.softmax(logits / temperature, dim=1)
                tok = torch.multinomial(probs, 1, generator=generator).squeeze(1)
            tok = torch.where(done, torch.full_like(tok, eos), tok)
            if mask is not None:
                mask.advance(tok, done)
            out.append(tok)
            done = done | (tok == eos)
            if bool(done.all()):
                break
        return torch.stack(out, dim=1)


def build_model(cfg, vocab_size: int) -> SmilesVAE:
    return SmilesVAE(vocab_size, cfg.embed_dim, cfg.enc_hidden, cfg.latent_dim, cfg.dec_hidden, cfg.dec_layers)
