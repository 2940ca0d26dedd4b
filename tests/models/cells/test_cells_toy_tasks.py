"""Toy-task training of the numpy cells: data, loss falling, save/load, the vanishing-gradient demo."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from seqtui_models.cells.toy_tasks import (
    FORMAT, TrainConfig, forward_loss, init_parameters, load_model, make_batch, save_model, train,
)
from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.core.model_files import read_meta, save_npz
from seqtui_models.core.optim import Optimizer
from seqtui_models.core.training import Control


def test_recall_targets_are_the_inputs_k_steps_back() -> None:
    config = TrainConfig(task="recall", k=3, length=10, vocab=5)
    batch = make_batch(config, 4, np.random.default_rng(0))
    symbols = batch.x.argmax(axis=0)  # (m, T)
    assert batch.x.shape == (5, 4, 10)
    np.testing.assert_array_equal(batch.targets[:, 3:], symbols[:, :-3])
    assert not batch.mask[:, :3].any() and batch.mask[:, 3:].all()


def test_parity_targets_are_running_xor() -> None:
    batch = make_batch(TrainConfig(task="parity", length=12), 5, np.random.default_rng(1))
    bits = batch.x.argmax(axis=0)
    np.testing.assert_array_equal(batch.targets, np.bitwise_xor.accumulate(bits, axis=1))


def test_sine_targets_are_the_next_clean_value() -> None:
    batch = make_batch(TrainConfig(task="sine", length=30), 3, np.random.default_rng(2))
    # inputs are the targets shifted by one step, plus noise of std 0.1
    noise = batch.x[0, :, 1:] - batch.targets[:, :-1]
    assert 0.05 < noise.std() < 0.15


@pytest.mark.parametrize("task", ["recall", "parity", "sine"])
@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_head_gradients_match_centred_differences(task: str, cell: str) -> None:
    """The output head and loss added here backpropagate correctly into the cell's parameters."""
    config = TrainConfig(task=task, cell=cell, k=2, length=6, hidden=4)  # type: ignore[arg-type]
    rng = np.random.default_rng(0)
    params = {k: v.astype(np.float64) for k, v in init_parameters(config, rng).items()}
    batch = make_batch(config, 3, rng)
    batch = type(batch)(batch.x.astype(np.float64), batch.targets, batch.mask)
    _, _, _, grads = forward_loss(config, params, batch)
    eps = 1e-6
    for name, grad in grads.items():
        numeric = np.zeros_like(grad)
        for index in np.ndindex(grad.shape):
            old = params[name][index]
            params[name][index] = old + eps
            up = forward_loss(config, params, batch, backward=False)[0]
            params[name][index] = old - eps
            down = forward_loss(config, params, batch, backward=False)[0]
            params[name][index] = old
            numeric[index] = (up - down) / (2 * eps)
        error = np.linalg.norm(numeric - grad) / (np.linalg.norm(numeric) + np.linalg.norm(grad) + 1e-300)
        assert error < 1e-6, (name, error)


def test_clipping_rescales_to_the_threshold() -> None:
    params = {"w": np.zeros(3)}
    optimizer = Optimizer(params, "sgd", lr=1.0, clip=1.0)
    norm = optimizer.step(params, {"w": np.array([3.0, 4.0, 0.0])})
    assert norm == pytest.approx(5.0)
    np.testing.assert_allclose(params["w"], [-0.6, -0.8, 0.0])


@pytest.mark.parametrize("task, cell", [("recall", "lstm"), ("parity", "rnn"), ("sine", "rnn")])
def test_loss_falls(task: str, cell: str, tmp_path: Path) -> None:
    config = TrainConfig(task=task, cell=cell, k=2, length=10, hidden=16, steps=400, eval_every=50,  # type: ignore[arg-type]
                         out=str(tmp_path / "m.npz"))
    events = []
    result = train(config, control=Control(), on_progress=events.append)
    first = np.mean([loss for _, loss in result.history[:10]])
    last = np.mean([loss for _, loss in result.history[-10:]])
    assert result.status == "finished" and last < 0.7 * first, (first, last)
    assert any(e.samples for e in events)
    assert Path(result.model_path or "").is_file()


def test_stop_saves_a_loadable_model(tmp_path: Path) -> None:
    control = Control()
    config = TrainConfig(task="recall", cell="rnn", steps=10_000, hidden=5, out=str(tmp_path / "stop.npz"))

    def on_progress(p) -> None:  # type: ignore[no-untyped-def]
        if p.step >= 20:
            control.stop()

    result = train(config, control=control, on_progress=on_progress)
    assert result.status == "stopped" and 20 <= result.steps < 10_000
    loaded_config, params = load_model(Path(result.model_path or ""))
    assert loaded_config == config
    np.testing.assert_array_equal(params["Waa"], result.payload["params"]["Waa"])


def test_model_file_round_trip_keeps_config_and_parameters(tmp_path: Path) -> None:
    config = TrainConfig(task="parity", cell="lstm", hidden=3, steps=7, lr=0.02, seed=5)
    params = init_parameters(config, np.random.default_rng(0))
    path = save_model(tmp_path / "model.npz", config, params)
    assert read_meta(path, FORMAT, "cells model", "x") == {"format": "seqtui-cells/1", "config": asdict(config)}
    loaded_config, loaded = load_model(path)
    assert loaded_config == config and set(loaded) == set(params)
    for name, value in params.items():
        assert loaded[name].dtype == value.dtype
        np.testing.assert_array_equal(loaded[name], value)


def test_files_saved_before_the_format_still_load(tmp_path: Path) -> None:
    """The old layout: np.savez of the parameters plus the config as a JSON string array."""
    config = TrainConfig(task="sine", cell="rnn", hidden=4, steps=3)
    params = init_parameters(config, np.random.default_rng(1))
    old = tmp_path / "old.npz"
    np.savez(old, config=np.array(json.dumps(asdict(config))), **params)
    loaded_config, loaded = load_model(old)
    assert loaded_config == config and set(loaded) == set(params)
    np.testing.assert_array_equal(loaded["Waa"], params["Waa"])


def test_wrong_broken_and_missing_model_files_get_clear_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip file")
    with pytest.raises(ModelFileError, match="not a cells model"):
        load_model(broken)
    with pytest.raises(ModelFileError, match="No such model file"):
        load_model(tmp_path / "missing.npz")
    other = save_npz(tmp_path / "dinos.npz", {"Wax": np.zeros((2, 2))}, {"format": "seqtui-dinos/2"}, "Dinosaur model")
    with pytest.raises(ModelFileError, match="'seqtui-dinos/2' file, not a cells model"):
        load_model(other)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, weights=np.zeros(3))
    with pytest.raises(ModelFileError, match="no seqtui.json inside"):
        load_model(foreign)
    old_and_bad = tmp_path / "old-bad.npz"
    np.savez(old_and_bad, config=np.array(json.dumps({"task": "recall", "k": 0})), Waa=np.zeros((2, 2)))
    with pytest.raises(ModelFileError, match="k must be between .* train one with 'seqtui cells train'"):
        load_model(old_and_bad)
    with pytest.raises(InvalidInput, match=".npz"):
        save_model(tmp_path / "x.pkl", TrainConfig(), {})


def test_bad_config_values_are_refused() -> None:
    with pytest.raises(InvalidInput, match="k must be between"):
        TrainConfig(k=0).validated()
    with pytest.raises(InvalidInput, match="Unknown task"):
        TrainConfig(task="copy").validated()  # type: ignore[arg-type]


@pytest.mark.slow
def test_long_delays_defeat_the_rnn_but_not_the_lstm(tmp_path: Path) -> None:
    """Vanishing gradients made visible: recall from 20 steps back."""
    accuracy = {}
    for cell in ("rnn", "lstm"):
        config = TrainConfig(task="recall", cell=cell, k=20, steps=1500, out=str(tmp_path / f"{cell}.npz"))  # type: ignore[arg-type]
        accuracy[cell] = train(config, control=Control()).metrics["val_acc"]
    assert accuracy["rnn"] < 0.5  # near chance (0.25)
    assert accuracy["lstm"] > 0.9
