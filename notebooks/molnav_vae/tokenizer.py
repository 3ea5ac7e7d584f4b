"""Regex SMILES tokenizer and vocabulary.

The pattern is the one used by Schwaller et al. (Molecular Transformer, ACS Cent. Sci. 2019, 5, 1572,
doi:10.1021/acscentsci.9b00576): bracket atoms are single tokens, Cl and Br are two-letter atoms, ring-bond
numbers are one digit or `%nn`. The TypeScript side (src/model/tokenizer.ts) uses the same pattern; the vocabulary
file written beside the ONNX model is the contract between the two.
"""
import json
import re
from typing import Dict, Iterable, List

SMILES_PATTERN = (
    r"(\[[^\]]+]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\(|\)|\.|=|#|-|\+|\\|\/|:|~|@|\?|>|\*|\$|%[0-9]{2}|[0-9])"
)
_REGEX = re.compile(SMILES_PATTERN)

PAD, BOS, EOS, UNK = "<pad>", "<bos>", "<eos>", "<unk>"
SPECIALS = [PAD, BOS, EOS, UNK]


def tokenize(smiles: str) -> List[str]:
    """Split a SMILES string into tokens. Raises ValueError if the tokens do not cover the string."""
    tokens = _REGEX.findall(smiles)
    if "".join(tokens) != smiles:
        raise ValueError(f"untokenizable SMILES: {smiles!r}")
    return tokens


class Vocab:
    """Token <-> id table. Ids 0..3 are <pad>, <bos>, <eos>, <unk>."""

    def __init__(self, tokens: List[str]):
        self.itos = list(tokens)
        self.stoi: Dict[str, int] = {t: i for i, t in enumerate(self.itos)}

    @classmethod
    def build(cls, smiles: Iterable[str]) -> "Vocab":
        seen = set()
        for s in smiles:
            seen.update(tokenize(s))
        return cls(SPECIALS + sorted(seen))

    def __len__(self) -> int:
        return len(self.itos)

    @property
    def pad(self) -> int:
        return 0

    @property
    def bos(self) -> int:
        return 1

    @property
    def eos(self) -> int:
        return 2

    @property
    def unk(self) -> int:
        return 3

    def encode(self, smiles: str) -> List[int]:
        return [self.stoi.get(t, self.unk) for t in tokenize(smiles)]

    def decode(self, ids: Iterable[int]) -> str:
        out = []
        for i in ids:
            if i == self.eos:
                break
            if i in (self.pad, self.bos):
                continue
            out.append(self.itos[i])
        return "".join(out)

    def to_json(self) -> str:
        return json.dumps({"tokens": self.itos, "pad": 0, "bos": 1, "eos": 2, "unk": 3, "pattern": SMILES_PATTERN}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "Vocab":
        return cls(json.loads(text)["tokens"])
