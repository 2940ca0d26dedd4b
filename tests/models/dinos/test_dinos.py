"""Dinosaur Island: names files, the course's functions, the fast path, sampling, models on disk."""

from __future__ import annotations

import math
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest

from seqtui_models import dinos
from seqtui_models.dinos import course as dinos_course
from seqtui_models.dinos import net as dinos_net
from seqtui_models.dinos import (
    CharModel, TrainConfig, Vocab, beam_search, evaluate, inspect_name, load_model, load_names,
    name_logprob, next_char_candidates, preset_config, sample_names, save_model, train,
)
from seqtui_models.dinos.data import normalise_name, read_names, split_names
from seqtui_models.core.errors import DataFileError, InvalidInput, ModelFileError
from seqtui_models.core.training import Control, Progress, TrainingJob, run_job

NAMES = (
    "tyrannosaurus", "triceratops", "stegosaurus", "velociraptor", "allosaurus", "brachiosaurus",
    "diplodocus", "iguanodon", "spinosaurus", "ankylosaurus", "parasaurolophus", "gallimimus",
    "pachycephalosaurus", "protoceratops", "oviraptor", "coelophysis", "compsognathus", "baryonyx",
    "carnotaurus", "giganotosaurus", "maiasaura", "edmontosaurus", "troodon", "deinonychus",
)


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def names_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("names") / "dinos.txt", "\n".join(NAMES) + "\n")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> CharModel:
    """A small GRU trained for a moment on the bundled names: enough to have real preferences."""
    out = tmp_path_factory.mktemp("model") / "tiny.npz"
    config = preset_config("fast", hidden=16, steps=120, patience=0, eval_every=40, sample_every=1000, out=str(out))
    result = train(config, control=Control())
    return result.payload["model"]  # type: ignore[no-any-return]


def random_model(cell: str, names: tuple[str, ...] = NAMES, hidden: int = 6, seed: int = 0) -> CharModel:
    """An untrained model with lively (not near-uniform) weights."""
    vocab = Vocab.from_names(names)
    params = dinos_net.init_parameters(cell, vocab.size, hidden, np.random.default_rng(seed), dtype=np.float64)
    params = {k: 3 * v if k.startswith("W") else v for k, v in params.items()}
    train_names, val_names = split_names(names)
    return CharModel(cell, vocab, params, TrainConfig(cell=cell, hidden=hidden), train_names, val_names)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Names files


def test_normalisation_lowercases_strips_accents_and_odd_characters() -> None:
    assert normalise_name("  Ñandú-Guazú \t") == "nandu-guazu"
    assert normalise_name("T. rex 2") == "t rex"
    assert normalise_name("O’Brien") == "o'brien"
    assert normalise_name("Ærøsaurus!!") == "ærøsaurus"  # letters without a decomposition stay
    assert normalise_name("--  --") == ""


def test_bom_crlf_blank_lines_accents_and_duplicates_are_normalised(tmp_path: Path) -> None:
    text = "\ufeffTyrannosaurus\r\n\r\n  Éoraptor  \r\nTYRANNOSAURUS\r\n123\r\nmei"
    report = read_names(write(tmp_path / "names.txt", text))
    assert report.names == ("tyrannosaurus", "eoraptor", "mei")
    assert (report.blank, report.duplicates) == (2, 1)


def test_utf16_and_latin1_files_are_read(tmp_path: Path) -> None:
    utf16 = write(tmp_path / "u16.txt", "Zuul\r\nZby\r\n".encode("utf-16"))
    latin1 = write(tmp_path / "l1.txt", "Ñandú\nmei\n".encode("latin-1"))
    assert read_names(utf16).names == ("zuul", "zby")
    assert read_names(latin1).names == ("nandu", "mei")


def test_vocabulary_is_built_from_the_data(tmp_path: Path) -> None:
    data = load_names(write(tmp_path / "people.txt", "Mary-Jane\nJosé\nann\nbo\nkim\nli\n"))
    assert data.vocab.chars[0] == "\n" and "-" in data.vocab.chars and "é" not in data.vocab.chars
    assert data.vocab.describe().endswith("'-'")


@pytest.mark.parametrize(
    "content, needle",
    [
        (b"", "empty"),
        (b"\n\n   \n\r\n", "empty"),
        (b"123\n456\n", "no line has a letter"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (bytes(range(256)) * 4, "binary"),
        (("x" * 200 + "\n").encode(), "longer than"),
        (b"onlyone\n", "at least 2"),
    ],
)
def test_unusable_names_files_get_a_clear_error(tmp_path: Path, content: bytes, needle: str) -> None:
    path = write(tmp_path / "bad.txt", content)
    with pytest.raises(DataFileError) as info:
        load_names(path)
    assert needle in str(info.value)
    assert "one name per line" in str(info.value) or "2 different names" in str(info.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="No such file"):
        load_names(tmp_path / "nope.txt")
    with pytest.raises(DataFileError, match="folder"):
        load_names(tmp_path)


def test_bundled_names_are_many_real_lowercase_and_unique() -> None:
    data = load_names()
    assert len(data.names) >= 1000 and len(set(data.names)) == len(data.names)
    assert data.vocab.chars == "\n" + "abcdefghijklmnopqrstuvwxyz"
    assert data.report.blank == data.report.duplicates == 0
    assert {"tyrannosaurus", "triceratops", "velociraptor"} <= set(data.names)


def test_split_is_fixed_disjoint_and_ninety_ten(names_file: Path) -> None:
    a, b = load_names(names_file), load_names(names_file)
    assert a.train == b.train and a.val == b.val
    assert not set(a.train) & set(a.val) and set(a.names) == set(NAMES)
    assert len(a.val) == round(0.1 * len(NAMES))
    assert load_names(names_file, split_seed=1).val != a.val
    assert a.novelty(a.train[0]) == "train" and a.novelty(a.val[0]) == "val" and a.novelty("zzz") == "new"


# --------------------------------------------------------------------------------------------
# The course's functions


def course_parameters(n_a: int, vocab_size: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "Wax": rng.standard_normal((n_a, vocab_size)) * 0.5,
        "Waa": rng.standard_normal((n_a, n_a)) * 0.5,
        "Wya": rng.standard_normal((vocab_size, n_a)) * 0.5,
        "b": rng.standard_normal((n_a, 1)) * 0.5,
        "by": rng.standard_normal((vocab_size, 1)) * 0.5,
    }


def test_course_rnn_backward_matches_centred_differences() -> None:
    params = course_parameters(5, 7, seed=0)
    X, Y = [None, 3, 1, 4, 1], [3, 1, 4, 1, 0]
    a0 = np.random.default_rng(1).standard_normal((5, 1))
    _, cache = dinos_course.rnn_forward(X, Y, a0, params)
    grads, _ = dinos_course.rnn_backward(X, Y, params, cache)
    eps = 1e-6
    for name, value in params.items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            kept = value[index]
            value[index] = kept + eps
            up = dinos_course.rnn_forward(X, Y, a0, params)[0]
            value[index] = kept - eps
            down = dinos_course.rnn_forward(X, Y, a0, params)[0]
            value[index] = kept
            numeric[index] = (up - down) / (2 * eps)
        analytic = grads["d" + name]
        error = np.linalg.norm(numeric - analytic) / (np.linalg.norm(numeric) + np.linalg.norm(analytic))
        assert error < 1e-7, (name, error)


def test_course_clip_and_optimize() -> None:
    grads = {k: np.full((2, 2), v) for k, v in (("dWaa", 10.0), ("dWax", -10.0), ("dWya", 0.5), ("db", 7.0), ("dby", -0.1))}
    clipped = dinos_course.clip(grads, 5)
    assert set(clipped) == {"dWaa", "dWax", "dWya", "db", "dby"}
    assert clipped["dWaa"].max() == 5 and clipped["dWax"].min() == -5 and clipped["dby"][0, 0] == -0.1
    params = dinos_course.initialize_parameters(8, 6, 6)
    before = {k: v.copy() for k, v in params.items()}
    loss, grads, a_last = dinos_course.optimize([None, 1, 2, 3], [1, 2, 3, 0], np.zeros((8, 1)), params, 0.01)
    assert loss == pytest.approx(4 * math.log(6), rel=0.01)  # small weights: near-uniform guesses
    assert a_last.shape == (8, 1) and all(np.abs(g).max() <= 5 for g in grads.values())
    for name in params:
        np.testing.assert_allclose(params[name], before[name] - 0.01 * grads["d" + name])


def test_course_initialisation_and_sample_reproduce_the_assignment_global_seeding() -> None:
    """Our local RandomState draws are exactly the assignment's np.random.seed draws."""
    saved = np.random.get_state()
    try:
        np.random.seed(1)
        expected_Wax = np.random.randn(10, 27) * 0.01
        params = course_parameters(10, 27, seed=3)
        char_to_ix = {ch: i for i, ch in enumerate("\nabcdefghijklmnopqrstuvwxyz")}
        # The assignment's sample(), with its global seeding, written out.
        x, a_prev, indices, idx, counter, seed = np.zeros((27, 1)), np.zeros((10, 1)), [], -1, 0, 0
        while idx != 0 and counter != 50:
            a = np.tanh(params["Wax"] @ x + params["Waa"] @ a_prev + params["b"])
            y = dinos_course.softmax(params["Wya"] @ a + params["by"])
            np.random.seed(counter + seed)
            idx = np.random.choice(list(range(27)), p=y.ravel())
            indices.append(idx)
            x = np.zeros((27, 1))
            x[idx] = 1
            a_prev, seed, counter = a, seed + 1, counter + 1
        if counter == 50:
            indices.append(0)
        state_after = np.random.get_state()[1].copy()
        ours = dinos_course.sample(params, char_to_ix, 0)
        assert np.array_equal(np.random.get_state()[1], state_after)  # global state untouched
    finally:
        np.random.set_state(saved)
    np.testing.assert_array_equal(dinos_course.initialize_parameters(10, 27, 27)["Wax"], expected_Wax)
    assert ours == [int(i) for i in indices] and ours[-1] == 0


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
    from seqtui_models.cells import lstm_forward

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


# --------------------------------------------------------------------------------------------
# The fast path


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
    eps = 1e-5
    for name, value in params.items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            kept = value[index]
            value[index] = kept + eps
            up = loss()[0]
            value[index] = kept - eps
            down = loss()[0]
            value[index] = kept
            numeric[index] = (up - down) / (2 * eps)
        error = np.linalg.norm(numeric - grads[name]) / (np.linalg.norm(numeric) + np.linalg.norm(grads[name]))
        assert error < 1e-7, (cell, name, error)


@pytest.mark.parametrize("preset, overrides", [
    ("fast", dict(cell="gru", hidden=12, steps=40)),
    ("fast", dict(cell="lstm", hidden=8, steps=80, optimizer="sgd", lr=1.0)),
    ("course", dict(hidden=12, steps=600)),
])
def test_loss_falls_in_a_short_seeded_run(names_file: Path, tmp_path: Path, preset: str, overrides: dict) -> None:
    seen: list[Progress] = []
    config = preset_config(preset, names=str(names_file), eval_every=20 if preset == "fast" else 300,
                           patience=0, out=str(tmp_path / "m.npz"), seed=3, **overrides)
    result = train(config, control=Control(), on_progress=seen.append)
    losses = [loss for _, loss in result.history]
    assert np.mean(losses[-10:]) < np.mean(losses[:10]) - 0.3
    assert result.status == "finished" and Path(result.model_path or "").is_file()
    assert {"train_nll", "val_nll", "chars_per_s", "val_ppl"} <= set(result.metrics)
    assert any("val_nll" in p.metrics and "train_nll" in p.metrics for p in seen)
    assert any(p.samples for p in seen)
    assert result.metrics["val_ppl"] == pytest.approx(math.exp(result.metrics["val_nll"]))


def test_same_seed_same_run(names_file: Path, tmp_path: Path) -> None:
    config = preset_config("fast", names=str(names_file), hidden=8, steps=15, seed=9, out=str(tmp_path / "a.npz"))
    first = train(config, control=Control()).metrics
    second = train(config, control=Control()).metrics
    assert first["val_nll"] == second["val_nll"] and first["train_nll"] == second["train_nll"]


def test_early_stopping_keeps_the_best_checkpoint(names_file: Path, tmp_path: Path) -> None:
    # 21 training names, no dropout, a big step: it memorises them and the held-out loss turns up.
    config = preset_config("fast", names=str(names_file), hidden=16, dropout=0.0, lr=0.05, eval_every=5,
                           patience=3, steps=5000, out=str(tmp_path / "m.npz"), sample_every=10_000)
    result = train(config, control=Control())
    assert result.metrics["stopped_early"] and result.steps < 5000
    assert result.metrics["best_step"] <= result.steps - 15
    # The saved model is the best one seen, not the last.
    assert evaluate(load_model(result.model_path or ""), list(result.payload["model"].val_names)).nll_per_char == \
        pytest.approx(result.metrics["val_nll"], rel=1e-6)


def test_stop_saves_the_model_and_reports_stopped(names_file: Path, tmp_path: Path) -> None:
    control = Control()
    seen: list[Progress] = []

    def on_progress(progress: Progress) -> None:
        seen.append(progress)
        if progress.step >= 5:
            control.stop()

    config = preset_config("fast", names=str(names_file), hidden=8, steps=10_000, out=str(tmp_path / "s.npz"))
    result = train(config, control=control, on_progress=on_progress)
    assert result.status == "stopped" and result.steps < 10_000
    model = load_model(tmp_path / "s.npz")
    assert model.cell == "gru" and math.isfinite(model.metrics["val_nll"])


def test_pause_and_resume_across_threads(names_file: Path, tmp_path: Path) -> None:
    control = Control()
    control.pause()
    config = preset_config("fast", names=str(names_file), hidden=8, steps=20, out=str(tmp_path / "p.npz"))
    box: dict[str, object] = {}
    worker = threading.Thread(target=lambda: box.update(result=train(config, control=control)))
    worker.start()
    worker.join(0.3)
    assert worker.is_alive()  # waiting at the first checkpoint
    control.resume()
    worker.join(30)
    assert box["result"].status == "finished"  # type: ignore[attr-defined]


def test_training_runs_in_a_spawned_process(names_file: Path, tmp_path: Path) -> None:
    config = preset_config("fast", names=str(names_file), hidden=8, steps=20, out=str(tmp_path / "iso.npz"))
    seen: list[Progress] = []
    result = run_job(TrainingJob("seqtui_models.dinos:train", config, isolate=True), on_progress=seen.append)
    assert result.status == "finished" and seen and (tmp_path / "iso.npz").is_file()
    assert isinstance(result.payload["model"], CharModel)


def test_bad_configs_are_refused(names_file: Path) -> None:
    with pytest.raises(InvalidInput, match="course preset"):
        preset_config("course", cell="lstm")
    with pytest.raises(InvalidInput, match="course preset"):
        preset_config("course", optimizer="adam")
    with pytest.raises(InvalidInput, match="dropout"):
        preset_config("fast", dropout=1.5)
    with pytest.raises(InvalidInput, match=".npz"):
        preset_config("fast", out="model.txt")
    with pytest.raises(InvalidInput, match="Unknown preset"):
        preset_config("huge")
    assert preset_config("course").hidden == 50 and preset_config("course").lr == 0.01


# --------------------------------------------------------------------------------------------
# Sampling, beam search, the per-character view


def test_beam_search_is_sorted_and_beats_many_samples(trained: CharModel) -> None:
    beams = beam_search(trained, 50, n=8)
    logprobs = [b.logprob for b in beams]
    assert len(beams) == 8 and logprobs == sorted(logprobs, reverse=True)
    assert all(len(b.name) >= 3 for b in beams)
    samples = sample_names(trained, 2000, seed=0)
    best_sampled = max(s.logprob for s in samples if len(s.name) >= 3 and not s.truncated)
    assert beams[0].logprob >= best_sampled - 1e-9
    for b in beams[:3]:
        assert b.logprob == pytest.approx(name_logprob(trained, b.name), abs=1e-9)


def test_beam_search_with_a_prefix_and_raw_search(trained: CharModel) -> None:
    assert all(b.name.startswith("tyr") for b in beam_search(trained, 4, prefix="Tyr"))
    raw = beam_search(trained, 20, n=20, min_length=1)
    assert [b.logprob for b in raw] == sorted((b.logprob for b in raw), reverse=True)


def test_per_character_view_matches_the_model(trained: CharModel) -> None:
    """Each step's probability is exp of the model's log-softmax; their logs sum to the name's."""
    view = inspect_name(trained, "Tyrannosaurus", top_k=4)
    assert view.name == "tyrannosaurus" and len(view.steps) == len("tyrannosaurus") + 1
    assert view.steps[-1].char == "\n" and view.novelty in ("train", "val")
    assert view.logprob == pytest.approx(sum(math.log(s.prob) for s in view.steps), abs=1e-9)
    # The batched training forward (float32) gives the same total.
    batch = dinos_net.make_batch([trained.vocab.encode(view.name)], trained.vocab.size)
    total, count = dinos_net.total_nll(trained.cell, dict(trained.params), batch)
    assert count == len(view.steps) and -total == pytest.approx(view.logprob, abs=1e-3)
    for step in view.steps:
        probs = [c.prob for c in step.alternatives]
        assert probs == sorted(probs, reverse=True) and len(probs) == 4
        assert step.rank >= 1 and (step.rank <= 4) == (step.char in [c.char for c in step.alternatives])
    # Position by position it is the next-character distribution after the prefix.
    candidates = next_char_candidates(trained, "tyr", top_k=None)
    assert sum(c.prob for c in candidates) == pytest.approx(1.0)
    chosen = {c.char: c.prob for c in candidates}["a"]
    assert chosen == pytest.approx(view.steps[3].prob)


def test_sampled_logprob_is_the_name_logprob_and_novelty_is_right(trained: CharModel) -> None:
    samples = sample_names(trained, 40, seed=1, temperature=0.8, top_k=5)
    for s in samples[:10]:
        if not s.truncated:
            assert s.logprob == pytest.approx(name_logprob(trained, s.name), abs=1e-9)
    for s in samples:
        expected = "train" if s.name in trained.train_names else ("val" if s.name in trained.val_names else "new")
        assert s.novelty == expected
    assert trained.novelty(trained.train_names[0]) == "train" and trained.novelty(trained.val_names[0]) == "val"
    assert trained.novelty("qqqqsaurus") == "new"


def test_sampling_options(trained: CharModel) -> None:
    assert sample_names(trained, 5, seed=3) == sample_names(trained, 5, seed=3)
    greedy = sample_names(trained, 3, top_k=1, seed=None)
    assert len({g.name for g in greedy}) == 1  # top-1 is the argmax path
    assert all(s.name.startswith("tyranno") for s in sample_names(trained, 5, prefix="Tyranno", seed=0))
    short = sample_names(trained, 20, max_length=4, seed=0, temperature=3.0)
    assert all(len(s.name) <= 4 for s in short) and any(s.truncated for s in short)
    new = sample_names(trained, 5, new_only=True, seed=0)
    assert len(new) == 5 and all(s.novelty == "new" for s in new) and len({s.name for s in new}) == 5
    hot, cold = sample_names(trained, 300, temperature=2.0, seed=0), sample_names(trained, 300, temperature=0.5, seed=0)
    assert np.mean([s.logprob for s in cold]) > np.mean([s.logprob for s in hot])


@pytest.mark.parametrize("kwargs, needle", [
    (dict(temperature=0.0), "temperature"),
    (dict(top_k=-1), "top-k"),
    (dict(prefix="tyrann0!"), None),
    (dict(prefix="123"), "no letters"),
    (dict(prefix="αβ"), "does not know"),
    (dict(max_length=0), "max length"),
])
def test_bad_sampling_options(trained: CharModel, kwargs: dict, needle: str | None) -> None:
    if needle is None:
        assert sample_names(trained, 1, seed=0, **kwargs)[0].name.startswith("tyrann")
        return
    with pytest.raises(InvalidInput, match=needle):
        sample_names(trained, 1, **kwargs)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_step_by_step_inference_matches_the_batched_forward(cell: str) -> None:
    model = random_model(cell)
    names = ["stegosaurus", "mei", "troodon"]
    batch = dinos_net.make_batch([model.vocab.encode(n) for n in names], model.vocab.size)
    total, _ = dinos_net.total_nll(cell, dict(model.params), batch)
    assert -total == pytest.approx(sum(name_logprob(model, n) for n in names), abs=1e-9)


# --------------------------------------------------------------------------------------------
# Models on disk, evaluation


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_save_and_load_round_trip(tmp_path: Path, cell: str) -> None:
    model = random_model(cell)
    path = save_model(tmp_path / "m.npz", model)
    with np.load(path, allow_pickle=False) as data:  # documented keys, no pickle needed
        assert str(data["format"]) == "seqtui-dinos/1" and str(data["vocab"]) == model.vocab.chars
    loaded = load_model(path)
    assert loaded.cell == cell and loaded.vocab == model.vocab and loaded.config == model.config
    assert loaded.train_names == model.train_names and loaded.val_names == model.val_names
    assert name_logprob(loaded, "allosaurus") == pytest.approx(name_logprob(model, "allosaurus"))


def test_broken_and_foreign_model_files(tmp_path: Path) -> None:
    good = save_model(tmp_path / "good.npz", random_model("gru"))
    cases = {
        "missing": tmp_path / "missing.npz",
        "garbage": write(tmp_path / "garbage.npz", b"this is not a zip file at all"),
        "truncated": write(tmp_path / "truncated.npz", good.read_bytes()[:300]),
    }
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, Wf=np.zeros((2, 2)), config=np.array("{}"))  # e.g. another task's model
    cases["foreign"] = foreign
    for name, path in cases.items():
        with pytest.raises(ModelFileError) as info:
            load_model(path)
        assert "seqtui dinos train" in str(info.value), name
    # A parameter of the wrong shape: rewrite the archive with one array replaced.
    tampered = tmp_path / "tampered.npz"
    with np.load(good, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["Wy"] = arrays["Wy"][:5]
    np.savez(tampered, **arrays)
    with pytest.raises(ModelFileError, match="rows but its vocabulary"):
        load_model(tampered)
    assert zipfile.is_zipfile(good)


def test_a_model_of_another_vocabulary_is_refused(tmp_path: Path) -> None:
    path = save_model(tmp_path / "m.npz", random_model("rnn"))
    other = load_names(write(tmp_path / "people.txt", "Mary-Jane\nann\nbo\nkim\n")).vocab
    with pytest.raises(ModelFileError, match="alphabet"):
        load_model(path, vocab=other)
    assert load_model(path, vocab=Vocab.from_names(NAMES)).cell == "rnn"


def test_evaluate_counts_and_skips_unknown_characters(tmp_path: Path) -> None:
    model = random_model("lstm")
    path = write(tmp_path / "eval.txt", "Allosaurus\nMary-Jane\n\nallosaurus\nzzz9\n")
    result = evaluate(model, path)
    # "zzz" has z, which the test vocabulary lacks; "mary-jane" has '-', 'y', 'j'.
    assert result.names == 2 and result.skipped == 2 and "-" in result.unknown_chars
    assert result.chars == 2 * len("allosaurus\n")
    assert result.nll_per_char == pytest.approx(-name_logprob(model, "allosaurus") / 11)
    assert result.perplexity == pytest.approx(math.exp(result.nll_per_char))
    with pytest.raises(DataFileError, match="None of the"):
        evaluate(model, write(tmp_path / "none.txt", "zzz\nmary-jane\n"))


def test_bundled_model_loads_and_samples_new_names() -> None:
    model = dinos.default_model()
    assert model.vocab.chars == "\nabcdefghijklmnopqrstuvwxyz" and len(model.train_names) > 1000
    assert model.metrics["val_nll"] < 1.8
    names = sample_names(model, 50, seed=0)
    assert sum(s.novelty == "new" for s in names) >= 30
