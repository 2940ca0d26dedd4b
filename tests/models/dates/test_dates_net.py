"""The networks: the course's model layer for layer, ours, attention and masking (Keras)."""

from __future__ import annotations

import numpy as np
import pytest

from seqtui_models.dates import BEST_VOCAB, COURSE_VOCAB, MACHINE_CHARS, TY, DateModel
from seqtui_models.core.training import RunResult

pytestmark = pytest.mark.slow


def course_batch(*texts: str) -> list[str]:
    """``texts`` repeated to the 30 rows the course fixture's scoring compiled (one more compile costs seconds)."""
    return [texts[i % len(texts)] for i in range(30)]


def test_course_model_has_the_assignments_52960_parameters() -> None:
    from seqtui_models.dates import net as dates_net

    model = dates_net.modelf(30, 10, 32, 64, COURSE_VOCAB.size, len(MACHINE_CHARS))
    assert model.count_params() == 52_960
    assert [tuple(t.shape) for t in model.inputs] == [(None, 30, 37), (None, 64), (None, 64)]
    assert len(model.outputs) == 10 and all(tuple(t.shape) == (None, 11) for t in model.outputs)
    counts = {layer.name: layer.count_params() for layer in model.layers if layer.count_params()}
    assert counts == {"encoder": 17_920, "densor1": 1_290, "densor2": 11, "post_attention_lstm": 33_024,
                      "output_layer": 715}


def test_attention_rows_are_distributions(tiny_course: RunResult) -> None:
    from seqtui_models.dates import net as dates_net

    course: DateModel = tiny_course.payload["model"]
    probs, attention = course.predict(course_batch("saturday may 9 2018", "9/10/70", "1 jan 1999"))
    assert attention.shape == (30, TY, 30) and probs.shape == (30, TY, 11)
    np.testing.assert_allclose(attention.sum(-1), 1.0, atol=1e-5)  # the course attends over all 30 positions
    np.testing.assert_allclose(probs.sum(-1), 1.0, atol=1e-5)

    _, best = dates_net.build_best(BEST_VOCAB.size, TY, 11, n_a=8, n_s=8, units=8, embedding=4)
    ids = np.stack([BEST_VOCAB.encode("may 9 2018"), BEST_VOCAB.encode("9/10/70")])
    _, attention = best.predict_on_batch(ids)
    np.testing.assert_allclose(attention.sum(-1), 1.0, atol=1e-5)
    assert np.all(attention[0, :, 10:] == 0) and np.all(attention[1, :, 7:] == 0)  # padding gets nothing
    assert np.all(attention[1, :, :7] > 0)


def test_our_model_ignores_padding() -> None:
    """The mask makes a date's translation independent of how far it is padded."""
    from seqtui_models.dates import net as dates_net

    _, best = dates_net.build_best(BEST_VOCAB.size, TY, 11, n_a=8, n_s=8, units=8, embedding=4)
    ids = BEST_VOCAB.encode("the 4th of july 1976")[None, :]  # (1, 40)
    full, attention_full = best.predict_on_batch(ids)
    short, attention_short = best.predict_on_batch(ids[:, :20])
    np.testing.assert_allclose(full, short, atol=1e-6)
    np.testing.assert_allclose(attention_full[:, :, :20], attention_short, atol=1e-6)


def _course_inputs(*texts: str) -> list[np.ndarray]:
    onehot = np.eye(COURSE_VOCAB.size, dtype=np.float32)[COURSE_VOCAB.encode_all(list(texts))]  # (m, 30, 37)
    zeros = np.zeros((len(texts), 64), np.float32)
    return [onehot, zeros, zeros]


def test_course_outputs_change_with_the_input(tiny_course: RunResult) -> None:
    """The Keras-3 port failure: a model that gives the same output whatever the input."""
    model: DateModel = tiny_course.payload["model"]
    probs, attention = model.predict(course_batch("saturday may 9 2018", "9/10/70", "1 jan 1999"))
    assert np.abs(probs[0] - probs[1]).max() > 1e-3 and np.abs(probs[1] - probs[2]).max() > 1e-3
    # The attention of a fresh course network follows the input too. (After a few steps the
    # course's ReLU energies may all die, and its attention is then uniform whatever the input:
    # the course's own dynamics, not a port failure.)
    from seqtui_models.dates import net as dates_net

    _, fresh = dates_net.build_course(30, TY, 32, 64, COURSE_VOCAB.size, len(MACHINE_CHARS))
    _, fresh_attention = fresh.predict_on_batch(_course_inputs("saturday may 9 2018", "9/10/70"))
    assert np.abs(fresh_attention[0] - fresh_attention[1]).max() > 1e-4
    # ... and from step to step: the post-attention state carries on (not restarted at zero)
    assert np.abs(probs[0, 0] - probs[0, 5]).max() > 1e-3
    assert tiny_course.summary()["loss"] < 2.3  # below a uniform guess, log(11) = 2.4
