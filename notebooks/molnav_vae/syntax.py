"""SMILES syntax mask for decoding: per row, the tokens that keep the string a well-formed SMILES.

The decoder picks tokens freely, and a few percent of its strings break SMILES syntax: an unclosed branch or ring
bond, `()`, a ring closure right after `(`, `<eos>` inside a branch, and many more break chemistry: a fluorine with
two bonds, an aromatic ring without a Kekulé structure. The mask removes those choices before the
sampler sees them (the logits of disallowed tokens become -inf), so greedy decoding takes the best allowed token.
It cannot see everything (a row may still paint its aromatic system into a corner): RDKit still judges validity.
This is grammar-constrained decoding in the spirit of Kusner et al., Grammar VAE (ICML 2017, arXiv:1703.01925) and
Dai et al., SD-VAE (ICLR 2018, arXiv:1802.08786), reduced to the bracket and ring-bond structure of SMILES (Weininger, J. Chem. Inf. Comput. Sci.
1988, 28, 31, doi:10.1021/ci00057a005).

The rules are the contract with src/model/syntax.ts, which implements the same table; golden outputs of masked
greedy decoding and a trace of the allowed sets over 120 decodes (molnav_vae/syntax_trace.py,
test/model/syntax-parity.spec.ts) check that the two agree token for token.

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
both atoms have room for it. Room is counted against the atom's largest RDKit valence: B 3, C 4, N 3, O 2, P 5, S 6,
F Cl Br I 1, aromatic c 4, n 3, o 2, s 4, p 4, b 3; a bracket atom as its element with its charge (a charged atom
as its isoelectronic neighbour: N+ as C, O+ and C- as N, O- and N- as O, S+ as P, P+ as Si, S- as Cl) less its
written hydrogens ([NH3+] 1, [C@@H] 3, [nH] 2, [O-] 1); other bracket atoms (isotopes, other elements) are not counted.
Dead ends: a token is refused when, after it, a ring label is still open while neither the current atom nor any atom
with an open branch has room for another bond (`C1CC(F)(F)F`, `O1` after a chain bond): nothing could close it.
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
Kekulé rule: an aromatic system must keep a Kekulé structure: kekulisation as a matching of aromatic bonds, as RDKit
does it, checked on a partial SMILES in the way of Noel O'Boyle's partialsmiles package. Each aromatic atom
is c (takes one double bond of the system unless it has a double bond outside it, as in c=O), n (one with two bonds,
none with three), a cation [n+] [nH+] [o+] [s+] (one), or o s [nH] [n-] (none). An atom is finished once it can take
no further bond (it is not the current atom, has no open branch and no open ring label). A token is refused if, after
it, some aromatic system it touches has no matching of its aromatic bonds that gives every finished atom needing a
double bond one, where unfinished atoms may take one if they still can (they may also end without one). Checked for
the tokens that take the possibility of a double bond away from an atom that had it (finishing it, giving it a double
bond outside the system or a third bond on n): an atom after an aromatic atom, `)`, a ring closure, <eos> (a system
already without a Kekulé structure does not refuse the tokens that change nothing in it); the search gives up and
allows past 2,000 steps. A closer (`)`, a ring closure, <eos>) that is the network's own argmax is not refused by the
Kekulé rule alone: such a row's aromatic system is beyond repair, and refusing the closure only made it grow atoms
to the length limit (16 of 1,000 prior decodes reached 100 tokens, 7 with this exception, 3 under the earlier mask).
Tiers: the Kekulé rule is dropped first when it would leave no token, then the valence-class rules (valence, dead
ends, aromatic rings), then only syntax remains.
Over 45,000 ZINC250k molecules (5,000 test, 40,000 training) the Kekulé, dead-end and bracket-valence rules refused
no real token (the aromatic-ring rule refused one, a fused polycycle).
Closing mode: once the network's unmasked argmax is <eos> while <eos> is not allowed, the row only takes `)`, closures
of open ring labels and <eos> (where one of them is allowed; an atom otherwise), so it closes what it left open
instead of running on to the length limit. Closers the Kekulé rule refuses are taken from the valence tier when no
other closer is left: such a row ends (invalid) rather than growing atoms until the length limit.
"""
import functools
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
# Bracket atoms: largest valence by element and formal charge (a charged atom as its isoelectronic neighbour: N+ as C,
# O+ and C- as N, O- and N- as O, S+ as P, P+ as Si, S- as Cl), less the hydrogens written in the bracket.
BRACKET_VALENCE = {("C", 0): 4, ("C", -1): 3, ("C", 1): 3, ("N", 0): 3, ("N", 1): 4, ("N", -1): 2, ("O", 0): 2,
                   ("O", 1): 3, ("O", -1): 1, ("S", 0): 6, ("S", 1): 5, ("S", -1): 1, ("P", 0): 5, ("P", 1): 4}
_BRACKET_RE = re.compile(r"^\[([0-9]*)([A-Z][a-z]?|[a-z][a-z]?)(@*)(H[0-9]?)?([+-][0-9]?)?\]$")
# Aromatic atom kinds for the Kekulé rule (see the module doc): whether the atom takes one double bond of a Kekule
# structure of its aromatic system.
PI_NONE, PI_CARBON, PI_NITROGEN, PI_CATION = 0, 1, 2, 3  # not aromatic or never (o s [nH] [n-]); c; n; [n+] [nH+] [o+] [s+]
PI_KIND = {"c": PI_CARBON, "n": PI_NITROGEN, "[n+]": PI_CATION, "[nH+]": PI_CATION, "[o+]": PI_CATION, "[s+]": PI_CATION}
KEKULE_BUDGET = 2000  # matching search calls per check; past it the check allows the token


@functools.lru_cache(maxsize=None)
def max_valence(tok: str) -> int:
    """Largest bond-order sum an atom token can take (UNLIMITED when not known: isotopes, other elements)."""
    if tok in MAX_VALENCE:
        return MAX_VALENCE[tok]
    m = _BRACKET_RE.match(tok)
    if not m or m.group(1):
        return UNLIMITED
    element = m.group(2)
    element = element[0].upper() + element[1:] if element in ("c", "n", "o", "s", "p", "b") else element
    h = 0 if not m.group(4) else int(m.group(4)[1:] or 1)
    charge = 0 if not m.group(5) else int(m.group(5)[1:] or 1) * (1 if m.group(5)[0] == "+" else -1)
    v = BRACKET_VALENCE.get((element, charge))
    return UNLIMITED if v is None else v - h


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
        self.pi = []  # per atom: PI_* kind (Kekulé rule)
        self.exo = []  # per atom: has a double or triple bond that is not aromatic (the c of c=O)
        self.aadj = []  # per atom: neighbours through aromatic bonds (aromatic atoms joined without a bond symbol or by ':')
        self.labels_at = []  # per atom: ring labels it opened that are still open
        self.pending_sym = None  # the bond token before the next bond, or None
        self.ring_sym = {}  # open label -> the bond token written where it opened, or None

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

    def allowed(self, wants: int = -1) -> List[bool]:
        """Per token id, whether it may come next. Never all False: when the Kekulé rule leaves nothing it is dropped
        for this step, and when the valence-class rules leave nothing the syntax rules alone decide.

        wants: the network's unmasked argmax (a token id; -1 when unknown). A closer it wants (`)`, the closure of an
        open ring label, <eos>) is not refused by the Kekulé rule alone: a row whose aromatic system cannot be
        completed goes on as the network intends (and ends invalid) instead of growing atoms to the length limit.
        If it wants <eos> while <eos> is not allowed yet, the row enters closing mode
        for good: from then on only `)`, closures of open ring labels and <eos> are allowed where any of them is
        (an atom otherwise), so a row that wanted to stop closes what is open instead of running on."""
        left = self.max_steps - self.generated  # tokens still to generate, this one included
        can_grow = left - 1 > self.depth + len(self.open_rings)
        closed = self.depth == 0 and not self.open_rings
        prev = self.prev
        room = self.room[self.cur] if self.cur >= 0 else UNLIMITED
        order = self.pending
        # Dead ends: a ring label still open while neither the current atom nor an atom with an open branch has room
        # left for a bond: nothing could close it (a bond token takes `order` from the current atom).
        stack_live = any(self.room[b] - (order if b == self.cur else 0) > 0 for b in self.branch_points)

        def dead(labels_after: int, cur_room_after: int, stack_live_after: bool) -> bool:
            return labels_after > 0 and cur_room_after <= 0 and not stack_live_after

        syntax, valence, kekule = [], [], []
        # Kekulé verdict of an ATOM token: the same for all new atoms that can take a double bond (c, n, cations) and for
        # all that cannot (o, s, [nH], non-aromatic atoms)
        atom_kek = {}
        for tid, c in enumerate(self.classes):
            tok = self.itos[tid]
            ok, fits, kek = False, True, True
            if c == ATOM:
                ok = True
                if self.cur >= 0:
                    fits = room >= order and max_valence(tok) >= order
                    fits = fits and not dead(len(self.open_rings), max_valence(tok) - order, stack_live)
                    if fits:
                        aromatic, pi = bool(_AROMATIC_RE.match(tok)), PI_KIND.get(tok, PI_NONE)
                        key = aromatic and pi != PI_NONE
                        if key not in atom_kek:
                            atom_kek[key] = self._kekule_after_atom(aromatic, pi)
                        kek = atom_kek[key]
            elif c == BOND:
                ok = prev in (ATOM, RING, CLOSE, OPEN)
                fits = room >= BOND_ORDER[tok]
            elif c == OPEN:
                ok = prev in (ATOM, RING, CLOSE) and can_grow
                fits = room >= 1
            elif c == CLOSE:
                ok = prev in (ATOM, RING, CLOSE) and self.depth > 0
                if ok:
                    top = self.branch_points[-1]
                    fits = not dead(len(self.open_rings), self.room[top], any(self.room[b] > 0 for b in self.branch_points[:-1]))
                    kek = self._kekule_after_close()
            elif c == RING and prev in (ATOM, RING, BOND):
                if tok in self.open_rings:
                    at = self.open_rings[tok]
                    ok = at != self.cur and at != self.parent[self.cur]
                    fits = room >= order and (not ok or self.aromatic_ring_ok(tok))
                    fits = fits and not dead(len(self.open_rings) - 1, room - order, stack_live)
                    kek = not (ok and fits) or self._kekule_after_ring_close(tok)
                else:
                    ok = can_grow
                    fits = room >= order and not dead(len(self.open_rings) + 1, room - order, stack_live)
            elif c == END:
                ok = prev in (ATOM, RING, CLOSE) and closed
                kek = not ok or not self._could_take(self.cur) or self._kekule_ok([self.cur], newly=(self.cur,))
            syntax.append(ok)
            valence.append(ok and fits)
            kekule.append(ok and fits and kek)
        if any(kekule) and 0 <= wants < len(kekule) and valence[wants] and not kekule[wants] and self._closer(wants):
            kekule[wants] = True
        out = kekule if any(kekule) else valence if any(valence) else syntax
        wants_end = wants == self.end_id
        if wants_end and not out[self.end_id]:
            self.closing = True
        if self.closing:
            # closers allowed by the Kekulé tier, else by the valence tier: a row whose aromatic system cannot be
            # completed ends (invalid) instead of running on to the length limit
            for tier in (out, valence) if out is kekule else (out,):
                closers = [ok and self._closer(tid) for tid, ok in enumerate(tier)]
                if any(closers):
                    return closers
        return out

    def _closer(self, tid: int) -> bool:
        c = self.classes[tid]
        return c in (CLOSE, END) or (c == RING and self.itos[tid] in self.open_rings)

    def advance(self, tid: int) -> None:
        c = self.classes[tid]
        self.generated += 1
        if c == ATOM:
            tok = self.itos[tid]
            self.parent.append(self.cur)
            self.room.append(max_valence(tok))
            self.aromatic.append(bool(_AROMATIC_RE.match(tok)))
            self.donor.append(1 if tok in DONOR_TOKENS else 2 if tok == "n" else 0)
            self.degree.append(0)
            self.adj.append([])
            self.pi.append(PI_KIND.get(tok, PI_NONE))
            self.exo.append(False)
            self.aadj.append([])
            self.labels_at.append(0)
            if self.cur >= 0:
                self.room[self.cur] -= self.pending
                self.room[-1] -= self.pending
                self._bond(self.cur, self.atoms, self.pending_sym, self.pending)
            self.pending = 1
            self.pending_sym = None
            self.cur = self.atoms
            self.atoms += 1
        elif c == BOND:
            self.pending = BOND_ORDER[self.itos[tid]]
            self.pending_sym = self.itos[tid]
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
                self.labels_at[at] -= 1
                sym = self.ring_sym.pop(label)
                self._bond(self.cur, at, sym if self.pending_sym is None else self.pending_sym,
                           max(self.pending, BOND_ORDER.get(sym, 1)))
            else:
                self.open_rings[label] = self.cur
                self.labels_at[self.cur] += 1
                self.ring_sym[label] = self.pending_sym
            self.room[self.cur] -= self.pending
            self.pending = 1
            self.pending_sym = None
        self.prev = c


    def _bond(self, a: int, b: int, sym, order: int) -> None:
        self.adj[a].append(b)
        self.adj[b].append(a)
        self.degree[a] += 1
        self.degree[b] += 1
        if self.aromatic[a] and self.aromatic[b] and sym in (None, ":"):
            self.aadj[a].append(b)
            self.aadj[b].append(a)
        elif order >= 2:
            self.exo[a] = self.exo[a] or self.aromatic[a]
            self.exo[b] = self.exo[b] or self.aromatic[b]

    def _finished(self, a: int) -> bool:
        """Whether atom a takes no further bond: not the current atom, no open branch on it, no open ring label."""
        return a != self.cur and a not in self.branch_points and self.labels_at[a] == 0

    # Kekulé rule: the what-if of a token, then _kekule_ok on the aromatic systems it touches.

    def _could_take(self, a: int) -> bool:
        """Whether atom a may still take a double bond of its aromatic system (before the token)."""
        kind = self.pi[a]
        if kind == PI_NONE or self.exo[a]:
            return False
        return kind != PI_NITROGEN or self.degree[a] + self.labels_at[a] <= 2

    def _kekule_after_atom(self, aromatic: bool, pi: int) -> bool:
        cur = self.cur
        if not self._could_take(cur):
            return True  # only an atom that could take a double bond can lose it (a new atom only adds options)
        finishes = cur not in self.branch_points and self.labels_at[cur] == 0
        sym, order = self.pending_sym, self.pending
        arom_bond = aromatic and sym in (None, ":")
        exo = [] if arom_bond or order < 2 else [cur] + ([self.atoms] if aromatic else [])
        if not (finishes or exo or self.pi[cur] == PI_NITROGEN):
            return True  # nothing in the system lost a way to take a double bond
        return self._kekule_ok([cur], edge=(cur, self.atoms, arom_bond), exo=exo, newly=(cur,) if finishes else (),
                               new_pi=pi if aromatic else PI_NONE)

    def _kekule_after_close(self) -> bool:
        last = self.cur
        if not self._could_take(last):
            return True
        top = self.branch_points[-1]
        finishes = last != top and last not in self.branch_points[:-1] and self.labels_at[last] == 0
        return not finishes or self._kekule_ok([last], newly=(last,))

    def _kekule_after_ring_close(self, label: str) -> bool:
        cur, at = self.cur, self.open_rings[label]
        if not (self.aromatic[cur] or self.aromatic[at]):
            return True
        sym = self.pending_sym if self.pending_sym is not None else self.ring_sym[label]
        order = max(self.pending, BOND_ORDER.get(self.ring_sym[label], 1))
        arom_bond = self.aromatic[cur] and self.aromatic[at] and sym in (None, ":")
        exo = [] if arom_bond or order < 2 else [a for a in (cur, at) if self.aromatic[a]]
        finishes = at not in self.branch_points and self.labels_at[at] == 1
        # only atoms that could take a double bond can lose it: cur by a double bond or a third bond on n, the
        # opener by a double bond or by being finished (its label turns into the bond: its count stays)
        if not ((self._could_take(cur) and (cur in exo or self.pi[cur] == PI_NITROGEN))
                or (self._could_take(at) and (at in exo or finishes))):
            return True
        seeds = [a for a in (cur, at) if self.aromatic[a]]
        return self._kekule_ok(seeds, edge=(cur, at, arom_bond), exo=exo, newly=(at,) if finishes else (),
                               closing=at)

    def _kekule_ok(self, seeds, edge=None, exo=(), newly=(), new_pi=None, closing=-1) -> bool:
        """Whether each aromatic system holding a seed still has a Kekulé structure after the token: a matching of
        aromatic bonds that gives every finished atom that needs a double bond exactly one, where unfinished atoms
        may take one if they still can (they may also end up without one: a c can still take =O, an n a third bond).
        edge: (a, b, aromatic) the bond the token adds (b = self.atoms for a new atom of kind new_pi); exo: atoms the
        token gives a non-aromatic double bond; newly: atoms the token finishes; closing: an atom losing one open
        ring label to the edge. A depth-first search over the finished atoms in index order, giving up (allowing) past
        KEKULE_BUDGET calls."""
        n_atoms = self.atoms

        def nbrs(a: int) -> List[int]:
            out = list(self.aadj[a]) if a < n_atoms else []
            if edge is not None and edge[2]:
                if a == edge[0]:
                    out.append(edge[1])
                elif a == edge[1]:
                    out.append(edge[0])
            return out

        def fin(a: int) -> bool:
            return a < n_atoms and (a in newly or self._finished(a))

        def takes(a: int) -> bool:
            kind = self.pi[a] if a < n_atoms else new_pi
            if kind == PI_NONE or a in exo or (a < n_atoms and self.exo[a]):
                return False
            if kind != PI_NITROGEN:
                return True
            bonds = (self.degree[a] if a < n_atoms else 0) + (edge is not None and a in (edge[0], edge[1]))
            if not fin(a) and a < n_atoms:
                bonds += self.labels_at[a] - (a == closing)
            return bonds <= 2

        seen = set()
        for s0 in seeds:
            if s0 in seen:
                continue
            comp = [s0]
            seen.add(s0)
            for a in comp:
                for b in nbrs(a):
                    if b not in seen:
                        seen.add(b)
                        comp.append(b)
            req = sorted(a for a in comp if fin(a) and takes(a))
            if not req:
                continue
            free = {a for a in comp if takes(a)}
            calls = [0]

            def solve(i: int) -> bool:
                calls[0] += 1
                if calls[0] > KEKULE_BUDGET:
                    return True
                while i < len(req) and req[i] not in free:
                    i += 1
                if i == len(req):
                    return True
                r = req[i]
                free.discard(r)
                for b in nbrs(r):
                    if b in free:
                        free.discard(b)
                        if solve(i + 1):
                            return True
                        free.add(b)
                free.add(r)
                return False

            if not solve(0):
                return False
        return True


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
                mask[i] = torch.tensor(st.allowed(int(torch.argmax(logits[i]))), dtype=torch.bool)
        return logits.masked_fill(~mask, float("-inf"))

    def advance(self, tokens: torch.Tensor, done: torch.Tensor) -> None:
        for i, st in enumerate(self.rows):
            if not bool(done[i]):
                st.advance(int(tokens[i]))
