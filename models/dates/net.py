"""The two date translators as Keras 3 graphs: the course's model and ours.

Notation (the course's): the input has T_x characters, the output T_y = 10 ("YYYY-MM-DD");
``a⟨t'⟩`` is the encoder's activation at input position t' (both directions concatenated),
``s⟨t⟩`` the state behind output step t, ``α⟨t,t'⟩`` the attention output step t pays to input
position t', and ``context⟨t⟩ = Σ_t' α⟨t,t'⟩ a⟨t'⟩``.

**course** — the assignment, layer for layer (52,960 parameters with its 37-character input
vocabulary and 11-character output vocabulary)::

    X (m, T_x, 37) one-hot ── Bidirectional(LSTM(n_a=32, return_sequences)) ── a (m, T_x, 64)
    for t in 1 … T_y:                                    (one_step_attention, layers shared by all t)
        e⟨t,t'⟩ = relu(W2 · tanh(W1 [a⟨t'⟩; s⟨t−1⟩] + b1) + b2)   RepeatVector, Concatenate, Dense(10), Dense(1)
        α⟨t,·⟩ = softmax over t' of e⟨t,·⟩                        Softmax(axis=1)
        context⟨t⟩ = Σ_t' α⟨t,t'⟩ a⟨t'⟩                          Dot(axes=1)
        s⟨t⟩, c⟨t⟩ = LSTM(n_s=64)(context⟨t⟩, initial_state=[s⟨t−1⟩, c⟨t−1⟩])   the post-attention LSTM
        ŷ⟨t⟩ = softmax(W_y s⟨t⟩ + b_y)                            Dense(11, softmax)

The post-attention state ``s⟨t−1⟩`` enters the attention, so the steps run one after another.

**best** — ours. The same encoder (characters embedded, case folded into the vocabulary, padding
masked), then all T_y attention rows at once::

    g = mean over real positions of a⟨t'⟩                                  (m, 2 n_a)  "what format is this?"
    e⟨t,t'⟩ = v · tanh(W a⟨t'⟩ + q⟨t⟩ + U_t g)                            additive (Bahdanau) energies
    α⟨t,·⟩ = softmax over the real positions t' of e⟨t,·⟩                  padding gets exactly 0
    ŷ⟨t⟩ = softmax(W_y relu(W_s (context⟨t⟩ + p⟨t⟩) + b_s) + b_y)           p⟨t⟩: a learned vector per step

Instead of the post-attention LSTM's previous state, each step's query is a learned vector ``q⟨t⟩``
("I want the tens of the day") shifted by a summary ``g`` of the whole input ("…and in this
format it is the last number"). Without ``g`` the model never learned year-first inputs; with it
they are learned like the rest (docs/design.md). No step waits for the previous one, so a batch
trains faster, and the whole graph has no Python-unrolled loop.

Both are saved as one "translator" model whose outputs are the character probabilities and the
attention matrix (m, T_y, T_x), built from the very layers that were trained. Custom layers are
registered Keras classes (no Lambda), so files load with ``safe_mode=True``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seqtui_models.core.frameworks import quiet_tensorflow

# TensorFlow writes start-up notices straight to file descriptor 2 when first imported; in the
# app that is the screen (a user's own settings win).
quiet_tensorflow()

import keras  # noqa: E402
from keras import layers, ops  # noqa: E402


# --------------------------------------------------------------------------------------------
# The course's model


@dataclass
class CourseLayers:
    """The layers the course shares across all T_y steps (the assignment keeps them as globals).

    A fresh set per model: module-level layers would make every model built in one process share
    (and overwrite) the same weights.
    """

    repeator: Any
    concatenator: Any
    densor1: Any
    densor2: Any
    activator: Any
    dotor: Any
    post_activation_LSTM_cell: Any
    output_layer: Any

    @classmethod
    def create(cls, Tx: int, n_s: int, machine_vocab_size: int) -> CourseLayers:
        """The assignment's shared layers (its names and sizes)."""
        return cls(
            repeator=layers.RepeatVector(Tx, name="repeator"),
            concatenator=layers.Concatenate(axis=-1, name="concatenator"),
            densor1=layers.Dense(10, activation="tanh", name="densor1"),
            densor2=layers.Dense(1, activation="relu", name="densor2"),
            activator=layers.Softmax(axis=1, name="attention_weights"),  # softmax over T_x, not the last axis
            dotor=layers.Dot(axes=1, name="dotor"),
            post_activation_LSTM_cell=layers.LSTM(n_s, return_state=True, name="post_attention_lstm"),
            output_layer=layers.Dense(machine_vocab_size, activation="softmax", name="output_layer"),
        )


def one_step_attention(a: Any, s_prev: Any, shared: CourseLayers) -> tuple[Any, Any]:
    """One step of the course's attention: the context vector for the next output character.

    e⟨t,t'⟩ = relu(W2 tanh(W1 [a⟨t'⟩; s⟨t−1⟩] + b1) + b2), α = softmax over t', context = Σ α a.

    Args:
        a: Encoder activations, (m, T_x, 2 n_a).
        s_prev: The post-attention LSTM's previous hidden state, (m, n_s).
        shared: The model's shared layers.

    Returns:
        ``(context, alphas)``: (m, 1, 2 n_a) and (m, T_x, 1). The course returns only the context;
        the weights are returned too so the attention can be shown.
    """
    s_prev = shared.repeator(s_prev)  # (m, T_x, n_s): the same state next to every position
    concat = shared.concatenator([a, s_prev])  # (m, T_x, 2 n_a + n_s)
    e = shared.densor1(concat)  # (m, T_x, 10) the small energy network's hidden layer
    energies = shared.densor2(e)  # (m, T_x, 1)
    alphas = shared.activator(energies)  # (m, T_x, 1), sums to 1 over T_x
    context = shared.dotor([alphas, a])  # (m, 1, 2 n_a) = Σ_t' α⟨t'⟩ a⟨t'⟩
    return context, alphas


def build_course(
    Tx: int, Ty: int, n_a: int, n_s: int, human_vocab_size: int, machine_vocab_size: int
) -> tuple[keras.Model, keras.Model]:
    """The course's model and a translator built from the same layers.

    Returns:
        ``(model, translator)``. ``model`` is the assignment's: inputs ``[X, s0, c0]``, outputs a
        list of T_y tensors (m, machine_vocab_size). ``translator`` has the same inputs and two
        outputs: the probabilities stacked (m, T_y, machine_vocab_size) and the attention
        (m, T_y, T_x).
    """
    shared = CourseLayers.create(Tx, n_s, machine_vocab_size)
    X = keras.Input(shape=(Tx, human_vocab_size), name="X")  # one-hot characters
    s0 = keras.Input(shape=(n_s,), name="s0")
    c0 = keras.Input(shape=(n_s,), name="c0")
    s, c = s0, c0
    outputs, alphas = [], []
    a = layers.Bidirectional(layers.LSTM(n_a, return_sequences=True), name="encoder")(X)  # (m, T_x, 2 n_a)
    for _t in range(Ty):
        context, alpha = one_step_attention(a, s, shared)
        # The state must go in as initial_state and come back out: passing [s, c] any other way
        # (or dropping return_state) starts every step from zeros, and the model then gives the
        # same output for every input — the known Keras-3 port failure (a test guards it).
        _, s, c = shared.post_activation_LSTM_cell(context, initial_state=[s, c])  # (m, n_s) each
        outputs.append(shared.output_layer(s))  # (m, machine_vocab_size)
        alphas.append(alpha)
    model = keras.Model(inputs=[X, s0, c0], outputs=outputs, name="course")
    stacked = layers.Concatenate(axis=1, name="probabilities")(
        [layers.Reshape((1, machine_vocab_size), name=f"step_{t}")(y) for t, y in enumerate(outputs)]
    )  # (m, T_y, n_y)
    attention = layers.Permute((2, 1), name="attention")(layers.Concatenate(axis=-1, name="alphas")(alphas))  # (m, T_y, T_x)
    translator = keras.Model(inputs=[X, s0, c0], outputs=[stacked, attention], name="course_translator")
    return model, translator


def modelf(Tx: int, Ty: int, n_a: int, n_s: int, human_vocab_size: int, machine_vocab_size: int) -> keras.Model:
    """The assignment's ``modelf``: inputs ``[X, s0, c0]``, a list of T_y softmax outputs."""
    return build_course(Tx, Ty, n_a, n_s, human_vocab_size, machine_vocab_size)[0]


# --------------------------------------------------------------------------------------------
# Our model


@keras.saving.register_keras_serializable(package="seqtui")
class GlobalQueryAttention(layers.Layer):
    """Attention for all T_y output steps at once, with queries that depend on the whole input.

    e⟨t,t'⟩ = v · tanh(W a⟨t'⟩ + q⟨t⟩ + U_t g); α⟨t,·⟩ = softmax over unmasked t'; context = α a.

    Call with ``[a, g]``: a (m, T_x, d) encoder activations (their mask marks real characters),
    g (m, d_g) a summary of the input. Returns ``[context (m, T_y, d), alphas (m, T_y, T_x)]``.

    Args:
        steps: T_y.
        units: Size of the energy network's hidden layer.
    """

    def __init__(self, steps: int, units: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.steps = steps
        self.units = units

    def build(self, input_shape: Any) -> None:
        a_shape, g_shape = input_shape
        d, d_g = int(a_shape[-1]), int(g_shape[-1])
        self.W = self.add_weight(shape=(d, self.units), initializer="glorot_uniform", name="W")
        self.q = self.add_weight(shape=(self.steps, self.units), initializer="glorot_uniform", name="q")
        self.U = self.add_weight(shape=(d_g, self.steps * self.units), initializer="glorot_uniform", name="U")
        self.v = self.add_weight(shape=(self.units,), initializer="glorot_uniform", name="v")

    def call(self, inputs: Any, mask: Any = None) -> list[Any]:
        a, g = inputs
        keys = ops.matmul(a, self.W)  # (m, T_x, u)
        shift = ops.reshape(ops.matmul(g, self.U), (-1, self.steps, self.units))  # (m, T_y, u)
        queries = self.q[None, :, :] + shift  # (m, T_y, u)
        hidden = ops.tanh(keys[:, None, :, :] + queries[:, :, None, :])  # (m, T_y, T_x, u)
        energies = ops.tensordot(hidden, self.v, axes=[[3], [0]])  # (m, T_y, T_x)
        a_mask = mask[0] if isinstance(mask, (list, tuple)) else mask
        if a_mask is not None:
            # Padding gets no attention at all: a large negative energy is exp'd to exactly 0.
            energies = ops.where(a_mask[:, None, :], energies, ops.full_like(energies, -1e9))
        alphas = ops.softmax(energies, axis=-1)  # (m, T_y, T_x), each row sums to 1
        context = ops.matmul(alphas, a)  # (m, T_y, d)
        return [context, alphas]

    def compute_output_shape(self, input_shape: Any) -> list[tuple[Any, ...]]:
        a_shape, _ = input_shape
        return [(a_shape[0], self.steps, a_shape[-1]), (a_shape[0], self.steps, a_shape[1])]

    def compute_mask(self, inputs: Any, mask: Any = None) -> list[None]:
        return [None, None]

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "steps": self.steps, "units": self.units}


@keras.saving.register_keras_serializable(package="seqtui")
class StepEmbedding(layers.Layer):
    """Adds a learned vector p⟨t⟩ to each output step's context: (m, T_y, d) → (m, T_y, d)."""

    def build(self, input_shape: Any) -> None:
        self.p = self.add_weight(shape=(int(input_shape[1]), int(input_shape[2])), initializer="glorot_uniform", name="p")

    def call(self, inputs: Any) -> Any:
        return inputs + self.p[None, :, :]

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape


def build_best(
    vocab_size: int, Ty: int, machine_vocab_size: int, *, n_a: int, n_s: int, units: int, embedding: int
) -> tuple[keras.Model, keras.Model]:
    """Our translator: see the module docstring.

    Args:
        vocab_size: Input characters, padding (0) and unknown (1) included.
        Ty: Output characters.
        machine_vocab_size: Output vocabulary.
        n_a: Encoder LSTM units per direction.
        n_s: Hidden units of the per-step output layer.
        units: Hidden units of the attention's energy network.
        embedding: Size of a character's embedding.

    Returns:
        ``(model, translator)``: ``model`` maps indices (m, T) to probabilities (m, T_y, n_y);
        ``translator`` has the outputs ``[probabilities, attention (m, T_y, T)]``.
    """
    ids = keras.Input(shape=(None,), dtype="int32", name="chars")
    x = layers.Embedding(vocab_size, embedding, mask_zero=True, name="embedding")(ids)  # (m, T, e); 0 = padding
    a = layers.Bidirectional(layers.LSTM(n_a, return_sequences=True), name="encoder")(x)  # (m, T, 2 n_a)
    g = layers.GlobalAveragePooling1D(name="summary")(a)  # (m, 2 n_a), the mean over real positions
    context, alphas = GlobalQueryAttention(Ty, units, name="attention")([a, g])  # (m, T_y, 2 n_a), (m, T_y, T)
    h = StepEmbedding(name="step")(context)  # (m, T_y, 2 n_a)
    h = layers.Dense(n_s, activation="relu", name="post")(h)  # (m, T_y, n_s)
    probs = layers.Dense(machine_vocab_size, activation="softmax", name="output_layer")(h)  # (m, T_y, n_y)
    return keras.Model(ids, probs, name="best"), keras.Model(ids, [probs, alphas], name="best_translator")
