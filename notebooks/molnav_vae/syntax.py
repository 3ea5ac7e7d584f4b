"""SMILES syntax mask for decoding: per row, the tokens that keep the string a well-formed SMILES.

The decoder picks tokens freely, and a few percent of its strings break SMILES syntax: an unclosed branch or ring
bond, `()`, a ring closure right after `(`, `<eos>` inside a branch. The mask removes those choices before the
sampler sees them (the logits of disallowed tokens become -inf), so greedy decoding takes the best allowed token.
It cannot fix chemistry (valence, aromaticity): RDKit still judges validity. This is grammar-constrained decoding
in the spirit of Kusner et al., Grammar VAE (ICML 2017, arXiv:1703.01925) and Dai et al., SD-VAE (ICLR 2018,
arXiv:1802.08786), reduced to the bracket and ring-bond structure of SMILES (Weininger, J. Chem. Inf. Comput. Sci.
1988, 28, 31, doi:10.1021/ci00057a005).

The rules are the contract with src/model/syntax.ts, which implements the same table; golden outputs of masked
greedy decoding check that the two agree token for token.

Token classes: ATOM (organic-subset, aromatic and bracket atoms), BOND (- = # / \\ :), OPEN `(`, CLOSE `)`, RING
(a digit or %nn), END (<eos>), NEVER (<pad>, <bos>, <unk>, and anything else, such as `.`).

Allowed after          ATOM  BOND  OPEN  CLOSE  RING  END
  start (no token)      x
  ATOM or RING          x     x     x     x*     x     x**
  CLOSE                 x     x     x     x*           x**
  OPEN                  x     x
  BOND                  x                        x
  *  only inside a branch (depth > 0)
  ** only with depth 0 and no open ring bond
Valence: a bond (chain, branch or ring bond; order 1 unless `=` 2 or `#` 3 came before it) is allowed only where
both atoms have room for it. Room is counted for organic-subset atoms only, against their largest RDKit valence:
B 3, C 4, N 3, O 2, P 5, S 6, F Cl Br I 1, aromatic c 4, n 3, o 2, s 4, p 4, b 3. Bracket atoms are not counted.
RING: closing an open label is allowed unless it was opened on the current atom (C11) or on the atom the current
atom is bonded to in the chain (CC1(C)C1, c1C1: a second bond between the same two atoms); opening a new label, and
OPEN, are allowed only while the tokens left after this one can still close everything: left - 1 > depth + open
labels (one token each to close, plus <eos>).
Aromatic rings: closing a ring bond between two aromatic atoms (lowercase, or a bracket atom with a lowercase
element) is allowed only if the shortest path between them through aromatic atoms, when there is one, makes a ring
of 4, 5 or 6 atoms, and a 5-ring only if one of its atoms can give the pair of pi electrons of a pyrrole-type ring: o,
s, [nH], [n-], or an n that has or may still get three bonds (counting the new bond and its open ring labels; the
current atom may still take a substituent, an atom with an open branch one more), on some shortest path. The path
is searched along the bonds so far, and again with each other open ring label as a bond from the current atom (it
may close on it next, as in c12); any pass allows the closure. This is a valence-class
rule: dropped with the others when nothing would be left.
Closing mode: once the network's unmasked argmax is <eos> while <eos> is not allowed, the row only takes `)`, closures
of open ring labels and <eos> (where one of them is allowed; an atom otherwise), so it closes what it left open
instead of running on to the length limit.
"""
import re
from typing import Dict, List, Sequence

import torch

ATOM, BOND, OPEN, CLOSE, RING, END, NEVER = range(7)
_ATOM_RE = re.compile(r"^(\[[^\]]+\]|Br|Cl|[BCNOPSFI]|[bcnops]|\*)$")
_RING_RE = re.compile(r"^([0-9]|%[0-9]{2})$")
_AROMATIC_RE = re.compile(r"^(\[[0-9]*(se|as|te|[bcnops])([^a-z].*)?\]|[bcnops])$")
DONOR_TOKENS = {"o", "s", "[nH]", "[n-]"}
MAX_VALENCE = {"B": 3, "C": 4, "N": 3, "O": 2, "P": 5, "S": 6, "F": 1, "Cl": 1, "Br": 1, "I": 1,
               "b": 3, "c": 4, "n": 3, "o": 2, "p": 4, "s": 4}
BOND_ORDER = {"-": 1, "=": 2, "#": 3, "/": 1, "\\": 1, ":": 1}
UNLIMITED = 99


def token_class(tok: str) -> int:
    if tok == "<eos>":
        return END
    if tok == "(":
        return OPEN
    if tok == ")":
        return CLOSE
    if tok in ("-", "=", "#", "/", "\\", ":"):
        return BOND
    if _RING_RE.match(tok):
        return RING
    if _ATOM_RE.match(tok):
        return ATOM
    return NEVER


class SyntaxState:
    """Syntax state of one row being decoded."""

    def __init__(self, classes: Sequence[int], itos: Sequence[str], max_steps: int):
        self.classes = classes
        self.itos = itos
        self.max_steps = max_steps
        self.generated = 0
        self.prev = None  # class of the previous token; None at the start
        self.atoms = 0
        self.depth = 0
        self.open_rings = {}  # label -> index of the atom that opened it
        self.cur = -1  # the atom the next atom, branch or ring bond attaches to
        self.parent = []  # per atom, the atom it is bonded to in the chain (-1 for the first)
        self.branch_points = []  # cur at each open branch
        self.room = []  # per atom, bond order it can still take
        self.pending = 1  # order of the next bond: set by a BOND token, back to 1 once used
        self.closing = False  # set once the network wanted <eos> before it was allowed
        self.end_id = list(classes).index(END)
        self.aromatic = []  # per atom: aromatic?
        self.donor = []  # per atom: 0 no, 1 pyrrole-type donor token, 2 plain n (a donor with three bonds)
        self.degree = []  # per atom: bonds so far
        self.adj = []  # per atom: neighbours

    def _distances(self, start: int, extra: Dict[int, List[int]]) -> List[int]:
        """BFS distances (bonds) from start over aromatic atoms, along bonds and the `extra` edges; -1 if unreachable."""
        dist = [-1] * len(self.adj)
        dist[start] = 0
        queue = [start]
        for a in queue:
            for b in self.adj[a] + extra.get(a, []):
                if dist[b] < 0 and self.aromatic[b]:
                    dist[b] = dist[a] + 1
                    queue.append(b)
        return dist

    def aromatic_ring_ok(self, label: str) -> bool:
        """Whether closing ring `label` on the current atom passes the aromatic-ring rule, judged on the bonds so
        far, or else with one of the other ring labels still open counted as a bond from the current atom (it may
        close on it next, as in c12): the rule errs on the side of allowing."""
        cur, at = self.cur, self.open_rings[label]
        if not (self.aromatic[cur] and self.aromatic[at]):
            return True
        if self._aromatic_ring_ok(at, {}):
            return True
        for other, opener in self.open_rings.items():
            if other != label and opener != cur and self._aromatic_ring_ok(at, {cur: [opener], opener: [cur]}):
                return True
        return False

    def _aromatic_ring_ok(self, at: int, extra: Dict[int, List[int]]) -> bool:
        cur = self.cur
        d_at = self._distances(at, extra)
        if d_at[cur] < 0:
            return True  # no all-aromatic path: the ring mixes in other atoms
        size = d_at[cur] + 1
        if size in (4, 6):  # 4: squaric-acid-like rings, which RDKit perceives as aromatic
            return True
        if size != 5:
            return False
        d_cur = self._distances(cur, extra)
        open_at = [0] * len(self.adj)
        for opener in self.open_rings.values():
            open_at[opener] += 1
        for a in range(len(self.adj)):
            if d_at[a] >= 0 and d_cur[a] >= 0 and d_at[a] + d_cur[a] == d_at[cur]:
                if self.donor[a] == 1:
                    return True
                may_get = open_at[a] + self.branch_points.count(a) + (a == at)  # open labels, open branches, new bond
                if self.donor[a] == 2 and (a == cur or self.degree[a] + may_get >= 3):
                    return True
        return False

    def allowed(self, wants_end: bool = False) -> List[bool]:
        """Per token id, whether it may come next. Never all False: when the valence rules leave nothing (a saturated
        atom with a ring bond still open), they are dropped for this step and the syntax rules alone decide.

        wants_end: the network's unmasked argmax is <eos>. If <eos> is not allowed yet, the row enters closing mode
        for good: from then on only `)`, closures of open ring labels and <eos> are allowed where any of them is
        (an atom otherwise), so a row that wanted to stop closes what is open instead of running on."""
        left = self.max_steps - self.generated  # tokens still to generate, this one included
        can_grow = left - 1 > self.depth + len(self.open_rings)
        closed = self.depth == 0 and not self.open_rings
        prev = self.prev
        room = self.room[self.cur] if self.cur >= 0 else UNLIMITED
        order = self.pending
        syntax, valence = [], []
        for tid, c in enumerate(self.classes):
            tok = self.itos[tid]
            ok, fits = False, True
            if c == ATOM:
                ok = True
                fits = self.cur < 0 or (room >= order and MAX_VALENCE.get(tok, UNLIMITED) >= order)
            elif c == BOND:
                ok = prev in (ATOM, RING, CLOSE, OPEN)
                fits = room >= BOND_ORDER[tok]
            elif c == OPEN:
                ok = prev in (ATOM, RING, CLOSE) and can_grow
                fits = room >= 1
            elif c == CLOSE:
                ok = prev in (ATOM, RING, CLOSE) and self.depth > 0
            elif c == RING and prev in (ATOM, RING, BOND):
                if tok in self.open_rings:
                    at = self.open_rings[tok]
                    ok = at != self.cur and at != self.parent[self.cur]
                    fits = room >= order and (not ok or self.aromatic_ring_ok(tok))
                else:
                    ok = can_grow
                    fits = room >= order
            elif c == END:
                ok = prev in (ATOM, RING, CLOSE) and closed
            syntax.append(ok)
            valence.append(ok and fits)
        out = valence if any(valence) else syntax
        if wants_end and not out[self.end_id]:
            self.closing = True
        if self.closing:
            closers = [ok and (c in (CLOSE, END) or (c == RING and self.itos[tid] in self.open_rings))
                       for tid, (ok, c) in enumerate(zip(out, self.classes))]
            if any(closers):
                return closers
        return out

    def advance(self, tid: int) -> None:
        c = self.classes[tid]
        self.generated += 1
        if c == ATOM:
            tok = self.itos[tid]
            self.parent.append(self.cur)
            self.room.append(MAX_VALENCE.get(tok, UNLIMITED))
            self.aromatic.append(bool(_AROMATIC_RE.match(tok)))
            self.donor.append(1 if tok in DONOR_TOKENS else 2 if tok == "n" else 0)
            self.degree.append(0)
            self.adj.append([])
            if self.cur >= 0:
                self.room[self.cur] -= self.pending
                self.room[-1] -= self.pending
                self._bond(self.cur, self.atoms)
            self.pending = 1
            self.cur = self.atoms
            self.atoms += 1
        elif c == BOND:
            self.pending = BOND_ORDER[self.itos[tid]]
        elif c == OPEN:
            self.depth += 1
            self.branch_points.append(self.cur)
        elif c == CLOSE:
            self.depth -= 1
            self.cur = self.branch_points.pop()
        elif c == RING:
            label = self.itos[tid]
            if label in self.open_rings:
                at = self.open_rings.pop(label)  # the opener took its valence share when the label was opened
                self._bond(self.cur, at)
            else:
                self.open_rings[label] = self.cur
            self.room[self.cur] -= self.pending
            self.pending = 1
        self.prev = c


    def _bond(self, a: int, b: int) -> None:
        self.adj[a].append(b)
        self.adj[b].append(a)
        self.degree[a] += 1
        self.degree[b] += 1


class SyntaxMask:
    """Masks a batch of logits row by row; rows advance with the tokens chosen."""

    def __init__(self, itos: Sequence[str], batch: int, max_steps: int):
        classes = [token_class(t) for t in itos]
        self.rows = [SyntaxState(classes, itos, max_steps) for _ in range(batch)]

    def apply(self, logits: torch.Tensor, done: torch.Tensor) -> torch.Tensor:
        """logits [B, V] -> masked copy (disallowed = -inf); ended rows are left as they are."""
        mask = torch.ones_like(logits, dtype=torch.bool)
        for i, st in enumerate(self.rows):
            if not bool(done[i]):
                wants_end = int(torch.argmax(logits[i])) == st.end_id
                mask[i] = torch.tensor(st.allowed(wants_end), dtype=torch.bool)
        return logits.masked_fill(~mask, float("-inf"))

    def advance(self, tokens: torch.Tensor, done: torch.Tensor) -> None:
        for i, st in enumerate(self.rows):
            if not bool(done[i]):
                st.advance(int(tokens[i]))
