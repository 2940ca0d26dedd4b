"""The Dinosaur Island assignment's character-level RNN, function for function.

Sequence Models, week 1, "Character level language model - Dinosaurus Island". The names,
signatures, parameter keys and return values are the assignment's, so a learner can paste
their own solution next to these and compare. Notation:

    vocab_size = n_x = n_y characters ('\\n' ends a name and is index 0), n_a hidden units.
    A name is one example: X = [None] + [ix of each char], Y = [ix of each char] + [ix of '\\n'].
    X[0] = None is the all-zero input at t = 0, so the first character is predicted from
    nothing but the bias and the carried-in state.

    a⟨t⟩     = tanh(Wax x⟨t⟩ + Waa a⟨t-1⟩ + b)          (n_a, 1)
    ŷ⟨t⟩     = softmax(Wya a⟨t⟩ + by)                   (vocab_size, 1)
    loss     = −Σ_t log ŷ⟨t⟩[Y[t]]                      (one name, summed over its characters)

Parameters are a dict with ``Wax`` (n_a, n_x), ``Waa`` (n_a, n_a), ``Wya`` (n_y, n_a),
``b`` (n_a, 1) and ``by`` (n_y, 1) — note ``b``, not ``ba``, as in the assignment; gradients
carry a ``d`` in front. Training is per-example SGD: one name, one update, with every gradient
entry clipped to [−5, 5] against exploding gradients.

Two departures from the assignment, neither visible in the results: randomness never touches
numpy's global state (``sample`` and ``initialize_parameters`` draw from a local
``np.random.RandomState`` seeded exactly as the assignment seeds the global one, so the
numbers are the same), and ``rnn_forward`` takes ``vocab_size`` from the parameters when it
is not given (the assignment hard-codes 27).
"""

from __future__ import annotations

from typing import Any

import numpy as np

Parameters = dict[str, np.ndarray]
Gradients = dict[str, np.ndarray]
# cache = (y_hat, a, x): dicts keyed by time step; a also holds a[-1] = a0.
Cache = tuple[dict[int, np.ndarray], dict[int, np.ndarray], dict[int, np.ndarray]]

COURSE_PARAMETERS = ("Wax", "Waa", "Wya", "b", "by")
"""The assignment's parameter keys, in its order."""


def softmax(x: np.ndarray) -> np.ndarray:
    """softmax(x) = exp(x − max x) / Σ exp(x − max x), over axis 0 (the assignment's utils)."""
    e_x = np.exp(x - np.max(x))
    return e_x / e_x.sum(axis=0)  # type: ignore[no-any-return]


def smooth(loss: float, cur_loss: float) -> float:
    """The assignment's running loss: an exponential moving average with weight 0.001."""
    return loss * 0.999 + cur_loss * 0.001


def get_initial_loss(vocab_size: int, seq_length: int) -> float:
    """Loss of a uniform guess over ``seq_length`` characters: −seq_length · log(1/vocab_size)."""
    return float(-np.log(1.0 / vocab_size) * seq_length)


def initialize_parameters(n_a: int, n_x: int, n_y: int, seed: int = 1) -> Parameters:
    """W ~ N(0, 0.01²), b = 0, drawn in the assignment's order from ``RandomState(seed)``.

    Small weights start every tanh in its linear range and every softmax near uniform. The
    default seed 1 reproduces the assignment's ``np.random.seed(1)`` draws exactly.
    """
    rs = np.random.RandomState(seed)
    Wax = rs.randn(n_a, n_x) * 0.01  # (n_a, n_x)  input to hidden
    Waa = rs.randn(n_a, n_a) * 0.01  # (n_a, n_a)  hidden to hidden
    Wya = rs.randn(n_y, n_a) * 0.01  # (n_y, n_a)  hidden to output
    b = np.zeros((n_a, 1))  # (n_a, 1)
    by = np.zeros((n_y, 1))  # (n_y, 1)
    return {"Wax": Wax, "Waa": Waa, "Wya": Wya, "b": b, "by": by}


def clip(gradients: Gradients, maxValue: float) -> Gradients:  # noqa: N803 - the assignment's name
    """Clip every entry of dWaa, dWax, dWya, db, dby to [−maxValue, maxValue], in place.

    Why: a long name multiplies many Jacobians diag(1 − a²) Waa together; when they are large
    the gradient explodes and one SGD step throws the weights far away. Clipping bounds a step.

    Returns:
        A dict of the five clipped gradients (as the assignment's ``clip`` does).
    """
    dWaa, dWax, dWya = gradients["dWaa"], gradients["dWax"], gradients["dWya"]
    db, dby = gradients["db"], gradients["dby"]
    for gradient in (dWax, dWaa, dWya, db, dby):
        np.clip(gradient, -maxValue, maxValue, out=gradient)
    return {"dWaa": dWaa, "dWax": dWax, "dWya": dWya, "db": db, "dby": dby}


def rnn_step_forward(
    parameters: Parameters, a_prev: np.ndarray, x: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One step: a_next = tanh(Wax x + Waa a_prev + b), p_t = softmax(Wya a_next + by)."""
    Waa, Wax, Wya, by, b = (parameters[k] for k in ("Waa", "Wax", "Wya", "by", "b"))
    a_next = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + b)  # (n_a, 1)
    p_t = softmax(np.dot(Wya, a_next) + by)  # (n_y, 1)
    return a_next, p_t


def rnn_step_backward(
    dy: np.ndarray,
    gradients: Gradients,
    parameters: Parameters,
    x: np.ndarray,
    a: np.ndarray,
    a_prev: np.ndarray,
) -> Gradients:
    """Backprop one step, adding into ``gradients``; dy = ŷ⟨t⟩ − onehot(Y[t]) is ∂loss/∂z_y."""
    # z_y = Wya a + by, so dWya += dy aᵀ and dby += dy.
    gradients["dWya"] += np.dot(dy, a.T)  # (n_y, n_a)
    gradients["dby"] += dy  # (n_y, 1)
    # a reaches the loss through this step's output and through the next step (da_next).
    da = np.dot(parameters["Wya"].T, dy) + gradients["da_next"]  # (n_a, 1)
    # tanh'(z) = 1 − tanh² z = 1 − a²: a is all we need to keep.
    daraw = (1 - a * a) * da  # (n_a, 1)
    gradients["db"] += daraw  # (n_a, 1)
    gradients["dWax"] += np.dot(daraw, x.T)  # (n_a, n_x)
    gradients["dWaa"] += np.dot(daraw, a_prev.T)  # (n_a, n_a)
    # a_prev enters z only through Waa a_prev.
    gradients["da_next"] = np.dot(parameters["Waa"].T, daraw)  # (n_a, 1)
    return gradients


def update_parameters(parameters: Parameters, gradients: Gradients, lr: float) -> Parameters:
    """Plain gradient descent, in place: θ ← θ − lr · dθ for the five parameters."""
    parameters["Wax"] += -lr * gradients["dWax"]
    parameters["Waa"] += -lr * gradients["dWaa"]
    parameters["Wya"] += -lr * gradients["dWya"]
    parameters["b"] += -lr * gradients["db"]
    parameters["by"] += -lr * gradients["dby"]
    return parameters


def rnn_forward(
    X: list[int | None],  # noqa: N803 - the assignment's names
    Y: list[int],  # noqa: N803
    a0: np.ndarray,
    parameters: Parameters,
    vocab_size: int | None = None,
) -> tuple[float, Cache]:
    """Run the RNN over one name and return its summed cross-entropy and the cache.

    Args:
        X: Input indices; ``None`` is the all-zero input (the assignment's X[0]).
        Y: Target indices, one per input.
        a0: Hidden state carried in, (n_a, 1).
        parameters: The five course parameters.
        vocab_size: n_x (the assignment's default is 27; here it defaults to Wax's width).

    Returns:
        ``(loss, cache)``: loss = −Σ_t log ŷ⟨t⟩[Y[t]]; cache = (y_hat, a, x) dicts by step.
    """
    if vocab_size is None:
        vocab_size = parameters["Wax"].shape[1]
    x: dict[int, np.ndarray] = {}
    a: dict[int, np.ndarray] = {-1: np.copy(a0)}
    y_hat: dict[int, np.ndarray] = {}
    loss = 0.0
    for t in range(len(X)):
        x[t] = np.zeros((vocab_size, 1))  # (n_x, 1) one-hot, or zeros for None
        if X[t] is not None:
            x[t][X[t]] = 1
        a[t], y_hat[t] = rnn_step_forward(parameters, a[t - 1], x[t])
        loss -= float(np.log(y_hat[t][Y[t], 0]))
    return loss, (y_hat, a, x)


def rnn_backward(
    X: list[int | None],  # noqa: N803 - the assignment's names
    Y: list[int],  # noqa: N803
    parameters: Parameters,
    cache: Cache,
) -> tuple[Gradients, dict[int, np.ndarray]]:
    """Backprop through time over one name.

    Returns:
        ``(gradients, a)``: dWax, dWaa, dWya, db, dby (and the leftover da_next), and the
        hidden states from the cache.
    """
    y_hat, a, x = cache
    gradients: Gradients = {
        "dWax": np.zeros_like(parameters["Wax"]),
        "dWaa": np.zeros_like(parameters["Waa"]),
        "dWya": np.zeros_like(parameters["Wya"]),
        "db": np.zeros_like(parameters["b"]),
        "dby": np.zeros_like(parameters["by"]),
        "da_next": np.zeros_like(a[0]),
    }
    for t in reversed(range(len(X))):
        # Softmax + cross-entropy: ∂loss/∂z_y = ŷ − onehot(Y[t]).
        dy = np.copy(y_hat[t])  # (n_y, 1)
        dy[Y[t]] -= 1
        gradients = rnn_step_backward(dy, gradients, parameters, x[t], a[t], a[t - 1])
    return gradients, a


def optimize(
    X: list[int | None],  # noqa: N803 - the assignment's names
    Y: list[int],  # noqa: N803
    a_prev: np.ndarray,
    parameters: Parameters,
    learning_rate: float = 0.01,
) -> tuple[float, Gradients, np.ndarray]:
    """One SGD step on one name: forward, backward, clip to [−5, 5], update (in place).

    Returns:
        ``(loss, gradients, a_last)``: the name's summed loss, the clipped gradients and the
        last hidden state, which the assignment's training loop carries into the next name.
    """
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, 5)
    parameters = update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, a[len(X) - 1]


def sample(parameters: Parameters, char_to_ix: dict[str, int], seed: int) -> list[int]:
    """Sample one name, character by character, from the softmax (never the argmax).

    As in the assignment, step ``counter`` draws with seed ``counter + seed`` (and ``seed``
    itself grows by one per step), stopping at '\\n' or after 50 characters (then '\\n' is
    appended). The draws come from a local ``RandomState``, so the assignment's expected
    output is reproduced without touching numpy's global generator.

    Returns:
        The sampled indices, ending with the index of '\\n'.
    """
    Waa, Wax, Wya, by, b = (parameters[k] for k in ("Waa", "Wax", "Wya", "by", "b"))
    vocab_size = by.shape[0]
    n_a = Waa.shape[1]
    x = np.zeros((vocab_size, 1))  # (n_x, 1): the zero input starts a name
    a_prev = np.zeros((n_a, 1))  # (n_a, 1)
    indices: list[int] = []
    idx = -1
    counter = 0
    newline_character = char_to_ix["\n"]
    while idx != newline_character and counter != 50:
        a = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + b)  # (n_a, 1)
        z = np.dot(Wya, a) + by  # (n_y, 1)
        y = softmax(z)  # (n_y, 1)
        rs = np.random.RandomState(counter + seed)
        idx = int(rs.choice(list(range(vocab_size)), p=y.ravel()))
        indices.append(idx)
        x = np.zeros((vocab_size, 1))
        x[idx] = 1
        a_prev = a
        seed += 1
        counter += 1
    if counter == 50:
        indices.append(char_to_ix["\n"])
    return indices


def print_sample(sample_ix: list[int], ix_to_char: dict[int, str]) -> str:
    """Join sampled indices into a name, capitalised, as the assignment prints it."""
    txt = "".join(ix_to_char[ix] for ix in sample_ix).strip("\n")
    return txt[0].upper() + txt[1:] if txt else txt


def course_examples(names: list[str], char_to_ix: dict[str, int]) -> list[tuple[list[Any], list[int]]]:
    """Turn names into the assignment's (X, Y) pairs: X = [None] + chars, Y = chars + ['\\n']."""
    pairs: list[tuple[list[Any], list[int]]] = []
    for name in names:
        chars = [char_to_ix[ch] for ch in name]
        pairs.append(([None] + chars, chars + [char_to_ix["\n"]]))
    return pairs
