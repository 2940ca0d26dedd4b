"""The fast path (seqtui_models.dinos.net): the course's loss, the cells backend's LSTM, exact gradients."""

from __future__ import annotations

import numpy as np
import pytest
from dinos_helpers import NAMES, course_parameters, gradient_errors, random_model

from seqtui_models.cells import lstm_forward
from seqtui_models.dinos import Vocab, name_logprob
from seqtui_models.dinos import course as dinos_course
from seqtui_models.dinos import net as dinos_net


def test_fast_rnn_computes_the_course_loss() -> None:
    """Batched, padded and masked, the fast path's loss is the course's summed loss per character."""
    vocab = Vocab.from_names(NAMES)
    params = course_parameters(6, vocab.size, seed=2)
    names = NAMES[:5]
    course_total = 0.0
    for X, Y in dinos_course.course_examples(list(names), vocab.char_to_ix):
        course_total += dinos_course.rnn_forward(X, Y, np.zeros((6, 1)), params)[0]
    batch = dinos_net.make_batch([vocab.encode(n) for n in names], vocab.size)
    total, count = dinos_net.total_nll("rnn", params, batch)
    assert count == sum(len(n) + 1 for n in names)
    assert total == pytest.approx(course_total, rel=1e-10)


def test_fast_lstm_hidden_states_match_the_cells_backend() -> None:
    """The fast LSTM is the course's LSTM (seqtui_models.cells.lstm_forward) with a zero first input and one-hot chars."""
    rng = np.random.default_rng(4)
    n_x, n_a = 7, 5
    params = dinos_net.init_parameters("lstm", n_x, n_a, rng, dtype=np.float64)
    for name in params:
        if name.startswith("b"):
            params[name] += rng.standard_normal(params[name].shape)
    encoded = [np.array([1, 2, 3]), np.array([4, 5, 6])]
    batch = dinos_net.make_batch(encoded, start=n_x)
    ours = dinos_net.forward(dinos_net.fuse("lstm", params), batch.inputs).A[1:]  # (T, n_a, m)
    x = np.zeros((n_x, 2, 4))
    for j, e in enumerate(encoded):
        x[e, j, np.arange(1, 4)] = 1
    theirs = lstm_forward(x, np.zeros((n_a, 2)), params)[0]  # (n_a, m, T)
    np.testing.assert_allclose(ours.transpose(1, 2, 0), theirs, atol=1e-12)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_fast_path_gradients_match_centred_differences(cell: str, dropout: float) -> None:
    """Every parameter, through padding, masking, the head and (with a fixed mask) dropout."""
    rng = np.random.default_rng(0)
    n_x = 6
    params = dinos_net.init_parameters(cell, n_x, 4, rng, dtype=np.float64)
    for name in params:
        if name.startswith("b"):
            params[name] += 0.3 * rng.standard_normal(params[name].shape)
    batch = dinos_net.make_batch([rng.integers(1, n_x, size=n) for n in (3, 5, 1, 4)], start=n_x)

    def loss(backward: bool = False) -> tuple[float, dict[str, np.ndarray]]:
        return dinos_net.loss_and_gradients(cell, params, batch, dropout=dropout, rng=np.random.default_rng(5),
                                            backward_pass=backward)

    _, grads = loss(backward=True)
    assert set(grads) == set(params) == set(dinos_net.parameter_names(cell))
    errors = gradient_errors(lambda: loss()[0], params, grads, eps=1e-5)
    assert max(errors.values()) < 1e-7, (cell, errors)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_step_by_step_inference_matches_the_batched_forward(cell: str) -> None:
    model = random_model(cell)
    names = ["stegosaurus", "mei", "troodon"]
    batch = dinos_net.make_batch([model.vocab.encode(n) for n in names], model.vocab.size)
    total, _ = dinos_net.total_nll(cell, dict(model.params), batch)
    assert -total == pytest.approx(sum(name_logprob(model, n) for n in names), abs=1e-9)
