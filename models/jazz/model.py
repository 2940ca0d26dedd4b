"""The course's jazz LSTM in Keras, and a numpy twin of its cell for fast sampling.

Notation (the course's): n_values musical values, one-hot x⟨t⟩ (n_values,), hidden state a⟨t⟩
and cell state c⟨t⟩ (n_a,). One shared LSTM cell and one Dense softmax layer:

    Γi, Γf, Γo = σ(x⟨t⟩ Wx + a⟨t−1⟩ Wa + b)  (their slices)      c̃⟨t⟩ = tanh(… its slice …)
    c⟨t⟩ = Γf ∗ c⟨t−1⟩ + Γi ∗ c̃⟨t⟩          a⟨t⟩ = Γo ∗ tanh(c⟨t⟩)
    ŷ⟨t⟩ = softmax(a⟨t⟩ Wy + by)              the probability of each value next

(Keras keeps the four gates side by side in one kernel, in the order i, f, c̃, o.)

Training data (the course's ``data_processing``): ``m`` windows of ``Tx`` values taken at random
from the training sequences; the input at t = 0 is all zeros and at t ≥ 1 the value t of the
window; the target at t is value t + 1. The course leaves the last target empty; here it is the
value that follows the window, so every step teaches something.

Course names: :func:`djmodel` (the cell unrolled over Tx steps), :func:`music_inference_model`
(Ty greedy steps, each output fed back as the next input) and :func:`predict_and_sample`. What is
saved (``.keras``, safe mode) is :func:`step_model` — one step of the cell plus the Dense layer,
built-in layers only; the unrolled models are rebuilt from its layers when needed, because the
inference model's argmax/one-hot cannot be saved without a ``Lambda``.

Sampling uses :class:`NumpyCell`, the same cell in numpy with the trained weights: one step is
two small matrix products, ~20 µs, where a Keras ``predict`` call costs milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from seqtui_models.core.errors import InvalidInput

#: The layer names the saved step model uses (and :func:`layers_of` looks up).
RESHAPER, CELL, DENSOR = "reshaper", "lstm_cell", "densor"


def data_processing(
    sequences: Sequence[Sequence[int]], n_values: int, m: int = 60, Tx: int = 30, rng: np.random.Generator | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Cut ``m`` random windows of the training sequences into one-hot inputs and targets.

    A window is taken from one sequence (chosen with probability proportional to how many
    windows it holds), so no window spans two pieces.

    Returns:
        X of shape (m, Tx, n_values): zeros at t = 0, value t of the window after;
        Y of shape (m, Tx, n_values): value t + 1 of the window.

    Raises:
        InvalidInput: no sequence is longer than Tx values.
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    usable = [s for s in sequences if len(s) >= Tx + 1]
    if not usable:
        longest = max((len(s) for s in sequences), default=0)
        raise InvalidInput(
            f"The music gives only {longest} values in one piece; a training window needs {Tx + 1} — "
            "use a longer melody or a smaller Tx."
        )
    counts = np.array([len(s) - Tx for s in usable], dtype=np.float64)  # windows each piece holds
    X = np.zeros((m, Tx, n_values), dtype=np.float32)  # (m, Tx, n_values)
    Y = np.zeros((m, Tx, n_values), dtype=np.float32)  # (m, Tx, n_values)
    for i in range(m):
        seq = usable[int(rng.choice(len(usable), p=counts / counts.sum()))]
        start = int(rng.integers(len(seq) - Tx))
        window = seq[start:start + Tx + 1]  # Tx + 1 values: inputs 1..Tx-1, targets 1..Tx
        for t in range(Tx):
            if t > 0:
                X[i, t, window[t]] = 1.0
            Y[i, t, window[t + 1]] = 1.0
    return X, Y


# --------------------------------------------------------------------------------------------
# Keras models (keras is imported inside each function: it takes seconds)


def _initializers(seed: int | None) -> dict[str, Any]:
    """Seeded versions of Keras' default initializers (so a run repeats without global seeding)."""
    import keras

    if seed is None:
        return {}
    return {
        "kernel_initializer": keras.initializers.GlorotUniform(seed=seed),
        "recurrent_initializer": keras.initializers.Orthogonal(seed=seed + 1),
    }


def make_layers(n_values: int, n_a: int = 64, seed: int | None = None) -> tuple[Any, Any, Any]:
    """The course's three shared layers: ``reshaper``, ``LSTM_cell`` and ``densor``."""
    import keras

    init = _initializers(seed)
    reshaper = keras.layers.Reshape((1, n_values), name=RESHAPER)  # (m, n_values) → (m, 1, n_values)
    LSTM_cell = keras.layers.LSTM(n_a, return_state=True, name=CELL, **init)
    dense_init = {} if seed is None else {"kernel_initializer": keras.initializers.GlorotUniform(seed=seed + 2)}
    densor = keras.layers.Dense(n_values, activation="softmax", name=DENSOR, **dense_init)
    return reshaper, LSTM_cell, densor


def djmodel(Tx: int, LSTM_cell: Any, densor: Any, reshaper: Any) -> Any:
    """The course's training model: one LSTM cell unrolled over Tx steps (outputs: a list of Tx).

    Inputs ``[X (m, Tx, n_values), a0 (m, n_a), c0 (m, n_a)]``; output t is ŷ⟨t⟩ (m, n_values).
    """
    import keras

    n_values = densor.units
    n_a = LSTM_cell.units
    X = keras.Input(shape=(Tx, n_values))
    a0 = keras.Input(shape=(n_a,), name="a0")
    c0 = keras.Input(shape=(n_a,), name="c0")
    a, c = a0, c0
    outputs = []
    for t in range(Tx):
        x = reshaper(X[:, t, :])  # (m, 1, n_values)
        _, a, c = LSTM_cell(x, initial_state=[a, c])  # a, c: (m, n_a)
        outputs.append(densor(a))  # (m, n_values)
    return keras.Model(inputs=[X, a0, c0], outputs=outputs)


def unrolled_training_model(Tx: int, LSTM_cell: Any, densor: Any, reshaper: Any) -> Any:
    """:func:`djmodel` with its Tx outputs stacked into one (m, Tx, n_values) output.

    One output means one loss, the mean cross-entropy per value (Keras would otherwise report
    Tx losses, and sum them: the course's loss is Tx times this one).
    """
    import keras

    model = djmodel(Tx, LSTM_cell, densor, reshaper)
    n_values = densor.units
    stacked = keras.layers.Concatenate(axis=1, name="stack")(
        [keras.layers.Reshape((1, n_values))(out) for out in model.outputs]
    )  # (m, Tx, n_values)
    return keras.Model(inputs=model.inputs, outputs=stacked)


def fused_training_model(Tx: int, n_values: int, n_a: int, seed: int | None = None) -> tuple[Any, Any]:
    """The same model as :func:`djmodel`, with Keras running the cell over the window itself.

    ``LSTM(return_sequences=True)`` computes exactly the unrolled cell (the same weights, the
    state handed from step to step) in one loop that compiles in seconds, where the 30-fold
    unrolled graph takes half a minute. Returns ``(model, lstm_layer)``; the Dense layer is
    ``model.get_layer(DENSOR)``.
    """
    import keras

    X = keras.Input(shape=(Tx, n_values))
    a0 = keras.Input(shape=(n_a,), name="a0")
    c0 = keras.Input(shape=(n_a,), name="c0")
    _, cell_like, dense_like = make_layers(n_values, n_a, seed)  # the same initial weights as the course's layers
    lstm = keras.layers.LSTM.from_config({**cell_like.get_config(), "return_sequences": True, "return_state": False,
                                          "name": "lstm_sequence"})
    densor = keras.layers.Dense.from_config(dense_like.get_config())
    a = lstm(X, initial_state=[a0, c0])  # (m, Tx, n_a)
    out = densor(a)  # (m, Tx, n_values)
    return keras.Model(inputs=[X, a0, c0], outputs=out), lstm


def step_model(LSTM_cell: Any, densor: Any, reshaper: Any) -> Any:
    """One step of the cell: ``[x (n_values,), a0, c0] → [ŷ, a, c]``. This is what is saved."""
    import keras

    n_values = densor.units
    n_a = LSTM_cell.units
    x = keras.Input(shape=(n_values,), name="x")
    a0 = keras.Input(shape=(n_a,), name="a0")
    c0 = keras.Input(shape=(n_a,), name="c0")
    _, a, c = LSTM_cell(reshaper(x), initial_state=[a0, c0])
    return keras.Model(inputs=[x, a0, c0], outputs=[densor(a), a, c], name="jazz_step")


def layers_of(model: Any) -> tuple[Any, Any, Any]:
    """``(reshaper, LSTM_cell, densor)`` of a step model (as loaded from a ``.keras`` file)."""
    return model.get_layer(RESHAPER), model.get_layer(CELL), model.get_layer(DENSOR)


def music_inference_model(LSTM_cell: Any, densor: Any, Ty: int = 50) -> Any:
    """The course's inference model: Ty steps, each step's argmax fed back one-hot as the next input.

    Inputs ``[x0 (1, 1, n_values), a0 (1, n_a), c0 (1, n_a)]``; outputs the Ty distributions.
    """
    import keras

    n_values = densor.units
    n_a = LSTM_cell.units
    x0 = keras.Input(shape=(1, n_values))
    a0 = keras.Input(shape=(n_a,), name="a0")
    c0 = keras.Input(shape=(n_a,), name="c0")
    a, c, x = a0, c0, x0
    outputs = []
    for _ in range(Ty):
        _, a, c = LSTM_cell(x, initial_state=[a, c])
        out = densor(a)  # (1, n_values)
        outputs.append(out)
        x = keras.ops.one_hot(keras.ops.argmax(out, axis=-1), n_values)  # greedy: the likeliest value
        x = keras.layers.RepeatVector(1)(x)  # (1, 1, n_values)
    return keras.Model(inputs=[x0, a0, c0], outputs=outputs)


def predict_and_sample(
    inference_model: Any, x_initializer: np.ndarray, a_initializer: np.ndarray, c_initializer: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The course's ``predict_and_sample``: run the inference model, return one-hots and indices.

    Returns:
        results (Ty, n_values) one-hot, indices (Ty, 1).
    """
    pred = inference_model.predict([x_initializer, a_initializer, c_initializer], verbose=0)
    indices = np.argmax(np.stack([np.asarray(p) for p in pred]), axis=-1)  # (Ty, 1)
    n_values = x_initializer.shape[-1]
    results = np.eye(n_values, dtype=np.float32)[indices[:, 0]]  # (Ty, n_values)
    return results, indices


# --------------------------------------------------------------------------------------------
# The cell in numpy


@dataclass(frozen=True)
class CellWeights:
    """The trained weights, in Keras' layout.

    Attributes:
        kernel: Wx (n_values, 4 n_a), gates i, f, c̃, o side by side.
        recurrent: Wa (n_a, 4 n_a).
        bias: b (4 n_a,).
        dense_kernel: Wy (n_a, n_values).
        dense_bias: by (n_values,).
    """

    kernel: np.ndarray
    recurrent: np.ndarray
    bias: np.ndarray
    dense_kernel: np.ndarray
    dense_bias: np.ndarray

    @property
    def n_values(self) -> int:
        """Size of the vocabulary."""
        return int(self.kernel.shape[0])

    @property
    def n_a(self) -> int:
        """Hidden units."""
        return int(self.recurrent.shape[0])

    def check(self) -> CellWeights:
        """Raise ``InvalidInput`` unless the shapes agree with each other."""
        n_values, n_a = self.n_values, self.n_a
        expected = {
            "kernel": (n_values, 4 * n_a), "recurrent": (n_a, 4 * n_a), "bias": (4 * n_a,),
            "dense_kernel": (n_a, n_values), "dense_bias": (n_values,),
        }
        for name, shape in expected.items():
            if getattr(self, name).shape != shape:
                raise InvalidInput(f"The model's {name} has shape {getattr(self, name).shape}, expected {shape}.")
        return self

    def as_arrays(self) -> dict[str, np.ndarray]:
        """The weights by name."""
        return {
            "kernel": self.kernel, "recurrent": self.recurrent, "bias": self.bias,
            "dense_kernel": self.dense_kernel, "dense_bias": self.dense_bias,
        }


def weights_of(LSTM_cell: Any, densor: Any) -> CellWeights:
    """Copy the trained weights out of Keras layers (float64, for exact sampling)."""
    kernel, recurrent, bias = (np.asarray(w, dtype=np.float64) for w in LSTM_cell.get_weights())
    dense_kernel, dense_bias = (np.asarray(w, dtype=np.float64) for w in densor.get_weights())
    return CellWeights(kernel, recurrent, bias, dense_kernel, dense_bias).check()


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # σ(z), without overflow for large |z|


class NumpyCell:
    """The trained LSTM cell and Dense layer, stepped one value at a time in numpy.

    Args:
        weights: From :func:`weights_of` (or a saved model).
    """

    def __init__(self, weights: CellWeights) -> None:
        self.w = weights
        self.n_a = weights.n_a
        self.a = np.zeros(self.n_a)  # (n_a,)
        self.c = np.zeros(self.n_a)  # (n_a,)

    def reset(self) -> None:
        """a⟨0⟩ = c⟨0⟩ = 0, as the course's a0 and c0."""
        self.a = np.zeros(self.n_a)
        self.c = np.zeros(self.n_a)

    def step(self, index: int | None) -> np.ndarray:
        """Feed one value (its index; ``None`` is the all-zero x⟨0⟩) and return the logits of the next.

        Returns:
            z = a⟨t⟩ Wy + by, shape (n_values,): ŷ⟨t⟩ = softmax(z).
        """
        n = self.n_a
        gates = self.a @ self.w.recurrent + self.w.bias  # (4 n_a,)
        if index is not None:
            gates = gates + self.w.kernel[index]  # x⟨t⟩ Wx for a one-hot x is a row of Wx
        i = _sigmoid(gates[:n])
        f = _sigmoid(gates[n:2 * n])
        g = np.tanh(gates[2 * n:3 * n])
        o = _sigmoid(gates[3 * n:])
        self.c = f * self.c + i * g  # c⟨t⟩ = Γf ∗ c⟨t−1⟩ + Γi ∗ c̃⟨t⟩
        self.a = o * np.tanh(self.c)  # a⟨t⟩ = Γo ∗ tanh(c⟨t⟩)
        return self.a @ self.w.dense_kernel + self.w.dense_bias  # (n_values,)


def window_loss(weights: CellWeights, X: np.ndarray, Y: np.ndarray) -> float:
    """Mean cross-entropy per value, −(1/(m·Tx)) Σ log ŷ⟨t⟩[y⟨t⟩], over windows, in numpy.

    Args:
        X: Inputs (m, Tx, n_values), one-hot or all zeros at t = 0 (from :func:`data_processing`).
        Y: Targets (m, Tx, n_values).
    """
    m, Tx, _ = X.shape
    n = weights.n_a
    a = np.zeros((m, n))  # (m, n_a)
    c = np.zeros((m, n))  # (m, n_a)
    total = 0.0
    for t in range(Tx):
        gates = X[:, t] @ weights.kernel + a @ weights.recurrent + weights.bias  # (m, 4 n_a)
        i, f = _sigmoid(gates[:, :n]), _sigmoid(gates[:, n:2 * n])
        g, o = np.tanh(gates[:, 2 * n:3 * n]), _sigmoid(gates[:, 3 * n:])
        c = f * c + i * g
        a = o * np.tanh(c)
        z = a @ weights.dense_kernel + weights.dense_bias  # (m, n_values)
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))  # log softmax
        total -= float((Y[:, t] * log_p).sum())
    return total / (m * Tx)


def softmax(z: np.ndarray) -> np.ndarray:
    """softmax(z) = exp(z − max z) / Σ exp(z − max z)."""
    e = np.exp(z - z.max())
    return e / e.sum()


def choose(logits: np.ndarray, temperature: float, top_k: int, rng: np.random.Generator) -> int:
    """Draw the next value from softmax(z / T), keeping only the top-k (T = 0: the argmax).

    Raises:
        InvalidInput: a negative temperature or top-k.
    """
    if temperature < 0 or not np.isfinite(temperature):
        raise InvalidInput(f"The temperature must be ≥ 0 (got {temperature}); 0 is greedy.")
    if top_k < 0:
        raise InvalidInput(f"top-k must be ≥ 0 (got {top_k}); 0 keeps every value.")
    if temperature == 0:
        return int(np.argmax(logits))
    z = logits / temperature  # (n_values,)
    if 0 < top_k < z.size:
        cut = np.partition(z, -top_k)[-top_k]
        z = np.where(z >= cut, z, -np.inf)
    p = softmax(z)
    return int(rng.choice(p.size, p=p))
