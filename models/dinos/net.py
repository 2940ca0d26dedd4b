"""The fast path of Dinosaur Island: a batched character-level language model in numpy.

The same maths as the course's model (:mod:`seqtui_models.dinos.course`), computed for many names at
once. Notation as in the course: n_x = n_y = vocabulary size, n_a hidden units, m names in the
batch, T time steps. A name of L characters is L + 1 steps: the input at t = 0 is the all-zero
vector (the course's X[0] = None), then the name's characters; the targets are the characters
then '\\n'. Shorter names are padded at the end and masked out of the loss: padding comes after
a name's last real step, so it cannot change any real step's hidden state, and since padded
steps never reach the loss their gradients are exactly zero — nothing else needs masking.

Three cells, each written with the course's parameter names and shapes (``W`` acting on a column
``[a_prev; x]``), so a model file reads like the course:

    rnn   a⟨t⟩ = tanh(Waa a⟨t-1⟩ + Wax x⟨t⟩ + b)                      (the course's Dinosaur RNN)
    lstm  the course's LSTM (Wf, Wi, Wc, Wo on [a_prev; x]; c⟨t⟩ = Γf c⟨t-1⟩ + Γi c̃⟨t⟩)
    gru   Γr = σ(Wr [a⟨t-1⟩; x⟨t⟩] + br),  Γu = σ(Wu [a⟨t-1⟩; x⟨t⟩] + bu)
          c̃⟨t⟩ = tanh(Wc [Γr * a⟨t-1⟩; x⟨t⟩] + bc)
          a⟨t⟩ = Γu * c̃⟨t⟩ + (1 − Γu) * a⟨t-1⟩                        (the course's full GRU)
    ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by)   (``Wya`` for the rnn, as in the course)

How it is fast (measured; the tests hold these functions to centred differences and to the
course's functions):

- The course's columns: a step's state is a (n_a, m) slab, and the gates of a step are stacked
  row blocks of one (k n_a, m) slab, so every gate is a *contiguous* block. (Rows (m, n_a) with
  the gates side by side made each gate a strided slice, and element-wise numpy on strided
  slices cost 3x more; that was half the time.) Buffers are time-major: (T, ·, m).
- The input is one character, so ``Wx x⟨t⟩ + b`` is a column of a table ``Ex`` of
  (k n_a, n_x + 1) whose last column is the bias alone (the zero input at t = 0): no one-hot
  matmul, and the whole sequence's input terms are one gather before the loop. Backward, the
  table's gradient sums the pre-activation gradients per character (a one-hot matmul;
  ``np.add.at`` was 6x slower); the bias gradient is their sum (every column carries the bias).
- σ(z) = ½ tanh(z/2) + ½ with the halving folded into the forward weights, so one ``tanh``
  activates every gate of a step.
- The gates of a step share one matmul; the weight gradients are one contraction over all T·m
  columns after the loop.
- The head (Wy, the softmax, the loss) only runs on unpadded steps.
- No gradient w.r.t. the input is computed: characters are not parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

Parameters = dict[str, np.ndarray]
Cell = Literal["rnn", "lstm", "gru"]
CELLS: tuple[str, ...] = ("rnn", "lstm", "gru")

GATES = {"rnn": 1, "lstm": 4, "gru": 3}
"""How many n_a-wide blocks a cell's pre-activation has."""

CELL_WEIGHTS = {
    "rnn": ("Wax", "Waa", "b"),
    "lstm": ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo"),
    "gru": ("Wr", "br", "Wu", "bu", "Wc", "bc"),
}
"""Each cell's recurrent parameters, by their course names."""

HEAD = {"rnn": ("Wya", "by"), "lstm": ("Wy", "by"), "gru": ("Wy", "by")}
"""Each cell's output-layer parameter names (the course calls the RNN's ``Wya``)."""

_LSTM_ORDER = "ifoc"  # fused block order of the LSTM: three σ gates, then the candidate
_GRU_ORDER = "ruc"  # fused block order of the GRU: reset, update, candidate


def parameter_names(cell: str) -> tuple[str, ...]:
    """All parameter names of a cell's model, recurrent ones first, then the head."""
    return CELL_WEIGHTS[cell] + HEAD[cell]


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + exp(−x)), as ½ tanh(x/2) + ½ (never overflows)."""
    return 0.5 * np.tanh(0.5 * x) + 0.5


def init_parameters(cell: str, n_x: int, n_a: int, rng: np.random.Generator, dtype: Any = np.float32) -> Parameters:
    """W ~ N(0, 1/fan_in), b = 0 (the LSTM's forget bias 1), for a char model of one cell.

    1/fan_in keeps each pre-activation of order one at the start, so neither tanh nor σ starts
    saturated; bf = 1 starts the LSTM remembering (Jozefowicz et al. 2015). The course preset
    uses the course's own N(0, 0.01²) instead (:func:`seqtui_models.dinos.course.initialize_parameters`).
    """
    fan_in = n_a + n_x
    draw = lambda *shape: (rng.standard_normal(shape) / np.sqrt(fan_in)).astype(dtype)  # noqa: E731
    params: Parameters = {}
    if cell == "rnn":
        params["Wax"] = draw(n_a, n_x)  # (n_a, n_x)
        params["Waa"] = draw(n_a, n_a)  # (n_a, n_a)
        params["b"] = np.zeros((n_a, 1), dtype)  # (n_a, 1)
    else:
        for gate in _LSTM_ORDER if cell == "lstm" else _GRU_ORDER:
            params["W" + gate] = draw(n_a, n_a + n_x)  # (n_a, n_a + n_x)
            params["b" + gate] = np.full((n_a, 1), 1.0 if (cell, gate) == ("lstm", "f") else 0.0, dtype)
    w, b = HEAD[cell]
    params[w] = (rng.standard_normal((n_x, n_a)) / np.sqrt(n_a)).astype(dtype)  # (n_y, n_a)
    params[b] = np.zeros((n_x, 1), dtype)  # (n_y, 1)
    return params


def sizes(cell: str, params: Parameters) -> tuple[int, int]:
    """(n_x, n_a) of a model's parameters."""
    w, _ = HEAD[cell]
    n_y, n_a = params[w].shape
    return n_y, n_a


# --------------------------------------------------------------------------------------------
# Fused weights


@dataclass(frozen=True)
class Fused:
    """A cell's weights arranged for columns: pre-activation = Wa a_prev + Ex[:, char].

    Attributes:
        cell: "rnn", "lstm" or "gru".
        Wa: (k n_a, n_a) the recurrent weights, gates stacked (LSTM: i, f, o, c̃; the GRU's r
            and u only: its candidate reads Γr * a_prev through ``Wc_a``).
        Ex: (k n_a, n_x + 1) input weights plus bias, one column per character; column n_x is
            the bias alone, the zero input of step 0.
        Wc_a: (n_a, n_a) the GRU candidate's recurrent weights.
        Wa_fwd, Ex_fwd, Wc_a_fwd: the same with the σ-gates' rows halved, for the forward pass.
    """

    cell: str
    Wa: np.ndarray
    Ex: np.ndarray
    Wc_a: np.ndarray | None
    Wa_fwd: np.ndarray
    Ex_fwd: np.ndarray

    @property
    def n_a(self) -> int:
        """Hidden size."""
        return int(self.Ex.shape[0] // GATES[self.cell])

    @property
    def start(self) -> int:
        """The input index of the zero vector (step 0)."""
        return int(self.Ex.shape[1] - 1)


def fuse(cell: str, params: Parameters) -> Fused:
    """Rearrange course-layout parameters into :class:`Fused` columns (copies; params untouched)."""
    if cell == "rnn":
        # z = Waa a + Wax x + b: the table's column for char x is Wax[:, x] + b.
        b = params["b"]  # (n_a, 1)
        Ex = np.concatenate([params["Wax"] + b, b], axis=1)  # (n_a, n_x + 1)
        Wa = np.ascontiguousarray(params["Waa"])  # (n_a, n_a)
        return Fused(cell, Wa, Ex, None, Wa, Ex)
    order = _LSTM_ORDER if cell == "lstm" else _GRU_ORDER
    n_a = params["b" + order[0]].shape[0]
    W = np.concatenate([params["W" + g] for g in order], axis=0)  # (k n_a, n_a + n_x)
    b = np.concatenate([params["b" + g] for g in order], axis=0)  # (k n_a, 1)
    Ex = np.concatenate([W[:, n_a:] + b, b], axis=1)  # (k n_a, n_x + 1)
    n_sigma = 3 * n_a if cell == "lstm" else 2 * n_a  # i, f, o / r, u are σ-gates
    # σ(z) = ½ tanh(z/2) + ½: halve those rows once, and one tanh serves every gate.
    half = np.ones((W.shape[0], 1), W.dtype)
    half[:n_sigma] = 0.5
    if cell == "lstm":
        Wa = np.ascontiguousarray(W[:, :n_a])  # (4 n_a, n_a)
        return Fused(cell, Wa, Ex, None, Wa * half, Ex * half)
    Wa = np.ascontiguousarray(W[: 2 * n_a, :n_a])  # (2 n_a, n_a)  r and u
    Wc_a = np.ascontiguousarray(W[2 * n_a :, :n_a])  # (n_a, n_a)  the candidate, on Γr * a_prev
    return Fused(cell, Wa, Ex, Wc_a, Wa * 0.5, Ex * half)


def unfuse_gradients(cell: str, dWa: np.ndarray, dEx: np.ndarray, dWc_a: np.ndarray | None) -> Parameters:
    """Turn gradients w.r.t. the fused columns back into the course's names and shapes."""
    # Every column of Ex carries the bias once, so ∂L/∂b is the sum of ∂L/∂Ex over columns.
    db = dEx.sum(axis=1, keepdims=True)  # (k n_a, 1)
    dWx = dEx[:, :-1]  # (k n_a, n_x)
    if cell == "rnn":
        return {"Wax": dWx, "Waa": dWa, "b": db}
    n_a = dWa.shape[1]
    dWa_all = dWa if cell == "lstm" else np.concatenate([dWa, dWc_a], axis=0)  # type: ignore[list-item]
    grads: Parameters = {}
    for k, gate in enumerate(_LSTM_ORDER if cell == "lstm" else _GRU_ORDER):
        rows = slice(k * n_a, (k + 1) * n_a)
        grads["W" + gate] = np.concatenate([dWa_all[rows], dWx[rows]], axis=1)  # (n_a, n_a + n_x)
        grads["b" + gate] = db[rows]  # (n_a, 1)
    return grads


# --------------------------------------------------------------------------------------------
# Sequences: forward and backward over a batch


@dataclass
class Tape:
    """What the backward pass needs from the forward pass (time-major, columns).

    Attributes:
        inputs: (T, m) input indices (``Fused.start`` at t = 0).
        A: (T + 1, n_a, m) hidden states; A[0] = a⟨0⟩ = 0, A[t + 1] = a after step t.
        G: (T, k n_a, m) activated gates (LSTM: i, f, o, c̃; GRU: r, u, c̃), or None (RNN).
        C: (T + 1, n_a, m) LSTM cell states (C[0] = 0), or None.
        X: (T, n_a, m) tanh(c⟨t⟩) (LSTM) or Γr * a⟨t-1⟩ (GRU), or None.
    """

    inputs: np.ndarray
    A: np.ndarray
    G: np.ndarray | None = None
    C: np.ndarray | None = None
    X: np.ndarray | None = None


def _gather(table: np.ndarray, inputs: np.ndarray) -> np.ndarray:
    """Every step's input term at once, as rows: (T, m, k n_a), step t's term is ``[t].T``.

    A row gather is fast; turning it into columns costs a transposing copy, so each step reads
    its slab transposed inside an add it does anyway (measured: 2.5x cheaper than the copy).
    """
    return np.ascontiguousarray(table.T)[inputs]


def forward(fused: Fused, inputs: np.ndarray) -> Tape:
    """Run the cell over every step of a batch of names, from a zero state.

    Args:
        fused: The cell's weights.
        inputs: (T, m) input indices; ``fused.start`` is the zero input.

    Returns:
        The tape; ``A[1:]`` are the hidden states a⟨t⟩ the head reads.
    """
    T, m = inputs.shape
    n_a = fused.n_a
    dtype = fused.Ex.dtype
    X = _gather(fused.Ex_fwd, inputs)  # (T, m, k n_a)  Wx x⟨t⟩ + b as rows, σ rows halved
    A = np.empty((T + 1, n_a, m), dtype)  # (T + 1, n_a, m)
    A[0] = 0
    if fused.cell == "rnn":
        for t in range(T):
            a = A[t + 1]
            np.matmul(fused.Wa, A[t], out=a)
            a += X[t].T
            np.tanh(a, out=a)  # a⟨t⟩ = tanh(Waa a⟨t-1⟩ + Wax x⟨t⟩ + b)
        return Tape(inputs, A)
    k = GATES[fused.cell]
    G = np.empty((T, k * n_a, m), dtype)  # (T, k n_a, m)  the activated gates
    tmp = np.empty((n_a, m), dtype)
    if fused.cell == "lstm":
        C = np.empty((T + 1, n_a, m), dtype)  # (T + 1, n_a, m)
        C[0] = 0
        TC = np.empty((T, n_a, m), dtype)  # (T, n_a, m)
        for t in range(T):
            z = G[t]  # (4 n_a, m): the gates overwrite their pre-activations
            np.matmul(fused.Wa_fwd, A[t], out=z)
            z += X[t].T
            np.tanh(z, out=z)
            s = z[: 3 * n_a]  # tanh(z/2) of i, f, o → σ(z)
            s *= 0.5
            s += 0.5
            i, f, o, cc = z[:n_a], z[n_a : 2 * n_a], z[2 * n_a : 3 * n_a], z[3 * n_a :]
            c = C[t + 1]
            np.multiply(f, C[t], out=c)  # c⟨t⟩ = Γf c⟨t-1⟩ + Γi c̃⟨t⟩
            np.multiply(i, cc, out=tmp)
            c += tmp
            np.tanh(c, out=TC[t])
            np.multiply(o, TC[t], out=A[t + 1])  # a⟨t⟩ = Γo tanh(c⟨t⟩)
        return Tape(inputs, A, G=G, C=C, X=TC)
    Wc_a = fused.Wc_a
    assert Wc_a is not None
    RA = np.empty((T, n_a, m), dtype)  # (T, n_a, m)  Γr * a⟨t-1⟩, the candidate's input
    for t in range(T):
        z = G[t]  # (3 n_a, m)
        ru = z[: 2 * n_a]
        np.matmul(fused.Wa_fwd, A[t], out=ru)
        ru += X[t, :, : 2 * n_a].T
        np.tanh(ru, out=ru)
        ru *= 0.5
        ru += 0.5
        r, u, cc = z[:n_a], z[n_a : 2 * n_a], z[2 * n_a :]
        np.multiply(r, A[t], out=RA[t])
        np.matmul(Wc_a, RA[t], out=cc)
        cc += X[t, :, 2 * n_a :].T
        np.tanh(cc, out=cc)  # c̃ = tanh(Wc [Γr * a_prev; x] + bc)
        a = A[t + 1]
        np.subtract(cc, A[t], out=a)  # a = Γu c̃ + (1 − Γu) a_prev = a_prev + Γu (c̃ − a_prev)
        a *= u
        a += A[t]
    return Tape(inputs, A, G=G, X=RA)


def backward(fused: Fused, tape: Tape, dA: np.ndarray) -> Parameters:
    """Backprop through time, given dA = ∂L/∂a⟨t⟩ (T, n_a, m) from the head.

    Returns:
        Gradients of the cell's recurrent parameters, in the course's names and shapes.
    """
    A, inputs = tape.A, tape.inputs
    T, n_a, m = dA.shape
    dtype = A.dtype
    k = GATES[fused.cell]
    dZ = np.empty((T, k * n_a, m), dtype)  # (T, k n_a, m)  ∂L/∂ pre-activations
    da_rec = np.zeros((n_a, m), dtype)  # ∂L/∂a⟨t⟩ through step t + 1; none after the end
    da = np.empty((n_a, m), dtype)
    p = np.empty((n_a, m), dtype)
    q = np.empty((n_a, m), dtype)
    WaT = np.ascontiguousarray(fused.Wa.T)  # (n_a, k' n_a)
    dWc_a = None
    if fused.cell == "rnn":
        for t in reversed(range(T)):
            # a⟨t⟩ feeds the head (dA) and the next step (da_rec): the gradients add.
            np.add(dA[t], da_rec, out=da)
            # tanh' = 1 − a², with a = a⟨t⟩.
            dz = dZ[t]
            np.multiply(A[t + 1], A[t + 1], out=dz)
            np.subtract(1, dz, out=dz)
            dz *= da
            # z = Waa a_prev + ..., so ∂L/∂a_prev = Waaᵀ dz.
            np.matmul(WaT, dz, out=da_rec)
    elif fused.cell == "lstm":
        G, C, TC = tape.G, tape.C, tape.X
        assert G is not None and C is not None and TC is not None
        dc = np.zeros((n_a, m), dtype)  # ∂L/∂c⟨t⟩ through step t + 1
        for t in reversed(range(T)):
            g, dz = G[t], dZ[t]
            i, f, o, cc = g[:n_a], g[n_a : 2 * n_a], g[2 * n_a : 3 * n_a], g[3 * n_a :]
            di, df, do, dcc = dz[:n_a], dz[n_a : 2 * n_a], dz[2 * n_a : 3 * n_a], dz[3 * n_a :]
            tc, a = TC[t], A[t + 1]
            np.add(dA[t], da_rec, out=da)
            # a = Γo tanh(c): ∂/∂z_o = da tanh(c) Γo (1 − Γo) = p − p Γo with p = da tanh(c) Γo.
            np.multiply(da, tc, out=p)
            p *= o
            np.multiply(p, o, out=q)
            np.subtract(p, q, out=do)
            # c reaches the loss through a, where ∂a/∂c = Γo (1 − tanh² c) = Γo − a tanh(c),
            # and through the next cell state (dc): add both.
            np.multiply(a, tc, out=p)
            np.subtract(o, p, out=p)
            p *= da
            dc += p
            # c = Γf c_prev + Γi c̃: each factor gets dc times its partner, times its σ' or tanh'.
            np.multiply(dc, C[t], out=p)  # dc c_prev Γf (1 − Γf)
            p *= f
            np.multiply(p, f, out=q)
            np.subtract(p, q, out=df)
            np.multiply(dc, i, out=p)  # p = dc Γi, q = dc Γi c̃
            np.multiply(p, cc, out=q)
            np.multiply(q, i, out=di)  # ∂/∂z_i = q (1 − Γi)
            np.subtract(q, di, out=di)
            np.multiply(q, cc, out=q)  # ∂/∂z_c̃ = p (1 − c̃²) = p − q c̃
            np.subtract(p, q, out=dcc)
            # c_prev enters c only through Γf c_prev.
            dc *= f
            # Every gate reads a_prev through Wa.
            np.matmul(WaT, dz, out=da_rec)
    else:
        G, RA = tape.G, tape.X
        Wc_a = fused.Wc_a
        assert G is not None and RA is not None and Wc_a is not None
        Wc_aT = np.ascontiguousarray(Wc_a.T)  # (n_a, n_a)
        dra = np.empty((n_a, m), dtype)
        for t in reversed(range(T)):
            g, dz = G[t], dZ[t]
            r, u, cc = g[:n_a], g[n_a : 2 * n_a], g[2 * n_a :]
            dr, du, dcc = dz[:n_a], dz[n_a : 2 * n_a], dz[2 * n_a :]
            a_prev = A[t]
            np.add(dA[t], da_rec, out=da)
            # a = a_prev + Γu (c̃ − a_prev): ∂/∂z_c̃ = da Γu (1 − c̃²) = p − p c̃², p = da Γu.
            np.multiply(da, u, out=p)
            np.multiply(p, cc, out=q)
            q *= cc
            np.subtract(p, q, out=dcc)
            # ∂/∂z_u = da (c̃ − a_prev) Γu (1 − Γu) = q − q Γu, q = da (c̃ − a_prev) Γu.
            np.subtract(cc, a_prev, out=q)
            q *= p
            np.multiply(q, u, out=du)
            np.subtract(q, du, out=du)
            # The candidate reads Γr * a_prev through Wc_a.
            np.matmul(Wc_aT, dcc, out=dra)
            # ∂/∂z_r = dra a_prev Γr (1 − Γr) = q − q Γr, q = dra a_prev Γr.
            np.multiply(dra, a_prev, out=q)
            q *= r
            np.multiply(q, r, out=dr)
            np.subtract(q, dr, out=dr)
            # a_prev reaches a directly ((1 − Γu) da), through Γr * a_prev (dra Γr), and
            # through the r and u gates' recurrent weights.
            np.matmul(WaT, dz[: 2 * n_a], out=da_rec)
            np.multiply(dra, r, out=q)
            da_rec += q
            np.subtract(da, p, out=q)  # (1 − Γu) da = da − p
            da_rec += q
        # Wc_a acts on Γr * a_prev at every step: Σ_t dz_c̃⟨t⟩ (Γr * a⟨t-1⟩)ᵀ.
        dWc_a = np.matmul(dZ[:, 2 * n_a :], RA.transpose(0, 2, 1)).sum(axis=0)  # (n_a, n_a)
    # Weights are shared by every step: their gradients sum over steps (one batched matmul over
    # the steps' contiguous slabs, then a sum; tensordot's transposing copies were slower).
    width = 2 * n_a if fused.cell == "gru" else k * n_a
    dWa = np.matmul(dZ[:, :width], A[:T].transpose(0, 2, 1)).sum(axis=0)  # (width, n_a)
    # Ex[:, char] was added at every step reading that char: sum those columns (one-hot matmul).
    onehot = np.zeros((T, m, fused.Ex.shape[1]), dtype)  # (T, m, n_x + 1)
    onehot.reshape(T * m, -1)[np.arange(T * m), inputs.reshape(-1)] = 1
    dEx = np.matmul(dZ, onehot).sum(axis=0)  # (k n_a, n_x + 1)
    return unfuse_gradients(fused.cell, dWa, dEx, dWc_a)


# --------------------------------------------------------------------------------------------
# The head and the loss


@dataclass(frozen=True)
class Batch:
    """A batch of names as padded, time-major index arrays.

    Attributes:
        inputs: (T, m) input indices: ``start`` at t = 0, then the characters; padding repeats
            the end token (its value never matters).
        targets: (T, m) target indices: the characters, then the end token.
        mask: (T, m) booleans: True on the len(name) + 1 real steps of each column.
    """

    inputs: np.ndarray
    targets: np.ndarray
    mask: np.ndarray

    @property
    def count(self) -> int:
        """Real (unpadded) targets: the characters scored, end tokens included."""
        return int(self.mask.sum())


def make_batch(encoded: list[np.ndarray], start: int, end: int = 0) -> Batch:
    """Pad encoded names (arrays of indices without the end token) into a :class:`Batch`."""
    m = len(encoded)
    lengths = np.array([len(e) for e in encoded])
    T = int(lengths.max()) + 1
    targets = np.full((T, m), end, dtype=np.intp)  # (T, m)
    for j, e in enumerate(encoded):
        targets[: len(e), j] = e
    inputs = np.empty((T, m), dtype=np.intp)  # (T, m)
    inputs[0] = start
    inputs[1:] = targets[:-1]
    mask = np.arange(T)[:, None] <= lengths[None, :]  # (T, m)
    return Batch(inputs, targets, mask)


def log_softmax(z: np.ndarray) -> np.ndarray:
    """log softmax(z) over the last axis: z − max z − log Σ exp(z − max z)."""
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))  # type: ignore[no-any-return]


def loss_and_gradients(
    cell: str,
    params: Parameters,
    batch: Batch,
    *,
    dropout: float = 0.0,
    rng: np.random.Generator | None = None,
    backward_pass: bool = True,
) -> tuple[float, Parameters]:
    """Mean cross-entropy per real step of a batch, and its gradients.

    L = −(1/N) Σ_{real steps} log ŷ⟨t⟩[target], N = batch.count. With ``dropout`` p > 0 each
    hidden unit reaching the head is zeroed with probability p and the rest scaled by 1/(1 − p)
    (inverted dropout: nothing changes at evaluation time).

    Returns:
        ``(loss, grads)``; grads is empty when ``backward_pass`` is false.
    """
    fused = fuse(cell, params)
    tape = forward(fused, batch.inputs)
    T, m = batch.inputs.shape
    w_name, b_name = HEAD[cell]
    Wy, by = params[w_name], params[b_name]  # (n_y, n_a), (n_y, 1)
    # The head stays time-major like the cell: logits (T, n_y, m) come from one batched matmul
    # over the steps' (n_a, m) slabs, and ∂L/∂a comes back as the (T, n_a, m) the backward loop
    # reads. Padded steps are computed and masked out (a few percent of the columns), which is
    # cheaper than gathering the real ones and scattering their gradients back (measured).
    H = tape.A[1:]  # (T, n_a, m)
    keep = None
    if dropout > 0:
        if rng is None:
            raise ValueError("dropout needs an rng")
        # Bernoulli draws from raw random bytes (8 per 64-bit draw: ~10x cheaper than
        # rng.random): p is rounded to a multiple of 1/256, the survivors scaled by the exact rate.
        cut = int(round(dropout * 256))
        raw = rng.bit_generator.random_raw(-(-H.size // 8)).view(np.uint8)[: H.size]
        keep = (raw >= cut).reshape(H.shape)  # (T, n_a, m)
        H = H * keep
        H *= 256.0 / (256 - cut)
    mask = batch.mask  # (T, m)
    N = batch.count
    z = np.matmul(Wy, H)  # (T, n_y, m)  the logits
    z += by
    z -= z.max(axis=1, keepdims=True)  # log-softmax is shift-invariant; exp cannot overflow
    e = np.exp(z)  # (T, n_y, m)
    total = e.sum(axis=1)  # (T, m)
    tt, jj = np.indices((T, m))
    picked = tt, batch.targets, jj  # each step's target logit
    # log ŷ[target] = z[target] − log Σ exp z, summed over real steps.
    loss = float(((np.log(total) - z[picked]) * mask).sum(dtype=np.float64) / N)
    if not backward_pass:
        return loss, {}
    # Softmax + cross-entropy: ∂L/∂logits = (ŷ − onehot(target)) / N on real steps, 0 on padding.
    weight = mask / (N * total)  # (T, m)
    dz = e  # (T, n_y, m)  reused in place
    dz *= weight[:, None, :]
    dz[picked] -= mask / N
    grads: Parameters = {
        w_name: np.matmul(dz, H.transpose(0, 2, 1)).sum(axis=0),  # (n_y, n_a)
        b_name: dz.sum(axis=(0, 2))[:, None],  # (n_y, 1)
    }
    dA = np.matmul(Wy.T, dz)  # (T, n_a, m)
    if keep is not None:
        dA *= keep  # a dropped unit passed nothing forward, so it gets nothing back
        dA *= 256.0 / (256 - cut)
    grads.update(backward(fused, tape, dA))
    return loss, grads


def total_nll(cell: str, params: Parameters, batch: Batch) -> tuple[float, int]:
    """Summed negative log-likelihood (nats) of a batch's real steps, and how many there are."""
    loss, _ = loss_and_gradients(cell, params, batch, backward_pass=False)
    return loss * batch.count, batch.count


# --------------------------------------------------------------------------------------------
# One step at a time (sampling, beam search, the per-character view)


State = tuple[np.ndarray, ...]


def initial_state(fused: Fused, m: int) -> State:
    """The zero state for m parallel sequences: (a,) or, for the LSTM, (a, c), each (n_a, m)."""
    a = np.zeros((fused.n_a, m), fused.Ex.dtype)
    return (a, a.copy()) if fused.cell == "lstm" else (a,)


def step(fused: Fused, state: State, inputs: np.ndarray) -> State:
    """Advance m sequences by one input each: the same maths as :func:`forward`, unfused.

    Args:
        fused: The cell's weights.
        state: From :func:`initial_state` or a previous step.
        inputs: (m,) input indices.
    """
    n_a = fused.n_a
    a_prev = state[0]  # (n_a, m)
    x = fused.Ex[:, inputs]  # (k n_a, m)  Wx x + b
    if fused.cell == "rnn":
        return (np.tanh(fused.Wa @ a_prev + x),)
    if fused.cell == "lstm":
        z = fused.Wa @ a_prev + x  # (4 n_a, m)
        i, f, o = (sigmoid(z[k * n_a : (k + 1) * n_a]) for k in range(3))
        c = f * state[1] + i * np.tanh(z[3 * n_a :])
        return (o * np.tanh(c), c)
    assert fused.Wc_a is not None
    ru = sigmoid(fused.Wa @ a_prev + x[: 2 * n_a])  # (2 n_a, m)
    r, u = ru[:n_a], ru[n_a:]
    cc = np.tanh(fused.Wc_a @ (r * a_prev) + x[2 * n_a :])
    return (a_prev + u * (cc - a_prev),)


def head_log_probs(cell: str, params: Parameters, a: np.ndarray) -> np.ndarray:
    """log ŷ = log softmax(Wy a + by) for the columns a (n_a, m); returns rows (m, n_y)."""
    w_name, b_name = HEAD[cell]
    logits = (params[w_name] @ a + params[b_name]).T  # (m, n_y)
    return log_softmax(logits)
