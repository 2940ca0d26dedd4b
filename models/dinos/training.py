"""Training a Dinosaur Island model: the course's per-name loop or the batched fast path.

One :func:`train` for both presets, on the protocol of :mod:`seqtui_models.core.training`.
``course`` runs the assignment's own ``optimize`` (one name per SGD step, the hidden state
carried from name to name); ``fast`` runs :mod:`seqtui_models.dinos.net` on shuffled batches of
names of similar length, with Adam or SGD. Both evaluate the validation NLL every
``eval_every`` steps, keep the best checkpoint, and may stop early when it stops improving.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.optim import Optimizer
from seqtui_models.core.paths import data_file
from seqtui_models.core.model_files import open_npz, save_npz
from seqtui_models.core.runs import Run, find_run, start_run, train_command
from seqtui_models.core.training import Control, ProgressCallback, Reporter, RunResult
from seqtui_models.dinos import net
from seqtui_models.dinos.config import CLI_FLAGS, PRESETS, TrainConfig
from seqtui_models.dinos.course import course_examples, initialize_parameters, optimize
from seqtui_models.dinos.data import DEFAULT_NAMES, NameSet, Vocab, load_names
from seqtui_models.dinos.evaluation import nll_sum
from seqtui_models.dinos.model import CharModel, load_model, save_model
from seqtui_models.dinos.sampling import sample_names


def _make_model(config: TrainConfig, data: NameSet, params: Mapping[str, np.ndarray], metrics: Mapping[str, Any] | None = None) -> CharModel:
    return CharModel(config.cell, data.vocab, dict(params), config, data.train, data.val, dict(metrics or {}))


def _batches(encoded: Sequence[np.ndarray], size: int, start: int, rng: np.random.Generator) -> Iterator[net.Batch]:
    """Endless epochs of shuffled batches; names of similar length share a batch.

    Each epoch shuffles the names, sorts each run of 8 batches' worth by length and cuts it into
    batches (so padding is small but batches still differ epoch to epoch), then shuffles the
    batches. Batches are sliced from one padded matrix of all the names (no Python loop per name).
    """
    size = min(size, len(encoded))
    lengths = np.array([len(e) for e in encoded])  # (n,)
    padded = np.zeros((len(encoded), int(lengths.max()) + 1), dtype=np.intp)  # (n, L + 1), 0 = end
    for i, e in enumerate(encoded):
        padded[i, : len(e)] = e
    while True:
        perm = rng.permutation(len(encoded))
        cuts: list[np.ndarray] = []
        for s in range(0, len(perm), 8 * size):
            chunk = perm[s : s + 8 * size]
            chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
            cuts.extend(chunk[j : j + size] for j in range(0, len(chunk), size))
        for k in rng.permutation(len(cuts)):
            idx = cuts[k]
            T = int(lengths[idx].max()) + 1
            targets = np.ascontiguousarray(padded[idx, :T].T)  # (T, m)
            inputs = np.empty_like(targets)
            inputs[0] = start
            inputs[1:] = targets[:-1]
            yield net.Batch(inputs, targets, np.arange(T)[:, None] <= lengths[idx][None, :])


def _diverged(step: int, lr: float) -> InvalidInput:
    """The error for a loss that became NaN or infinite (the step was too big)."""
    return InvalidInput(f"The loss diverged at step {step}: lower the learning rate (now {lr}).")


def _encode_all(vocab: Vocab, names: Iterable[str]) -> list[np.ndarray]:
    return [vocab.encode(n) for n in names]


RESUME_FILE = "resume.npz"
RESUME_FORMAT = "seqtui-dinos-resume/1"


@dataclass
class _Resumed:
    """What a run leaves for another to continue: its last weights, its best so far, its optimiser."""

    step: int
    params: dict[str, np.ndarray]
    best: dict[str, np.ndarray]
    best_val: float
    t: int
    m: dict[str, np.ndarray]
    v: dict[str, np.ndarray]
    a_prev: np.ndarray


def _save_resume_state(path: Path, step: int, params: Mapping[str, np.ndarray], best_val: float,
                       optimizer: Optimizer | None, a_prev: np.ndarray | None) -> None:
    """Keep what :func:`train` needs to continue this run (``--resume``), next to its model."""
    arrays: dict[str, np.ndarray] = {f"param.{k}": v for k, v in params.items()}
    if optimizer is not None:
        arrays |= {f"m.{k}": v for k, v in optimizer.m.items()} | {f"v.{k}": v for k, v in optimizer.v.items()}
    if a_prev is not None:
        arrays["a_prev"] = a_prev
    meta = {"format": RESUME_FORMAT, "step": step, "t": optimizer.t if optimizer is not None else 0,
            "best_val": best_val}
    save_npz(path, arrays, meta, "resume state")


def _resume_state(config: TrainConfig, vocab: Vocab) -> _Resumed:
    """Read the state of the run ``config.resume`` names, checking it fits this config.

    Raises:
        InvalidInput: an unknown, incomplete or other-task run; one saved before runs could be
            resumed; or one whose cell, size or alphabet differ from this config's.
    """
    run: Run = find_run(str(config.resume), "dinos")
    if not run.complete or run.model_path is None:
        raise InvalidInput(f"Run {run.id} is {run.status} ({run.problem or 'no model'}): it cannot be resumed.")
    path = run.folder / RESUME_FILE
    if not path.is_file():
        raise InvalidInput(f"Run {run.id} kept no state to resume from (it was trained before runs could be resumed).")
    saved = load_model(run.model_path)
    mismatch = [f"{name} {mine!r} (the run's: {theirs!r})" for name, mine, theirs in (
        ("cell", config.cell, saved.cell), ("hidden size", config.hidden, saved.hidden),
        ("preset", config.preset, saved.config.preset)) if mine != theirs]
    if saved.vocab.chars != vocab.chars:
        mismatch.append("the names' alphabet")
    if mismatch:
        raise InvalidInput(f"Run {run.id} cannot be resumed with another " + "; ".join(mismatch) +
                           ": resume with its own settings, or start a new run.")
    with open_npz(path, RESUME_FORMAT, "resume state", "train a new run instead") as (data, meta):
        arrays = {name: np.array(data[name]) for name in data.files}
    pick = lambda prefix: {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)}  # noqa: E731
    return _Resumed(
        step=int(meta["step"]), params=pick("param."), best={k: np.array(v) for k, v in saved.params.items()},
        best_val=float(run.metrics.get("val_nll", math.inf)), t=int(meta.get("t", 0)), m=pick("m."), v=pick("v."),
        a_prev=arrays.get("a_prev", np.zeros((config.hidden, 1))),
    )


def train(config: TrainConfig, *, control: Control, on_progress: ProgressCallback | None = None) -> RunResult:
    """Train a character-level model on a names file (the protocol of :mod:`seqtui_models.core.training`).

    Progress: ``loss`` is the step's training NLL (nats/char); every ``eval_every`` steps the
    metrics carry ``val_nll`` and ``train_nll`` (the latter on up to 500 training names,
    without dropout) and ``best_val_nll``; every ``sample_every`` steps ``samples`` holds fresh
    names. The model with the lowest validation loss seen is kept and saved, also when the run
    is stopped (status "stopped") or stops early (patience; status "finished").

    Run it through ``run_job(TrainingJob("seqtui_models.dinos:train", config))``: the spawned process
    keeps the UI responsive and has one BLAS thread, which trains these small matrices 2.7x
    faster than two threads fighting over two cores (measured).

    Every run is recorded in the run registry (:mod:`seqtui_models.core.runs`): its own folder
    with its model, config, command, data hash, metrics and loss history; with ``config.out`` the
    model is also saved there.

    Returns:
        The run's result; ``metrics`` has train_nll, val_nll (full sets, kept model),
        perplexities, chars, chars_per_s (characters per second of training steps,
        evaluation excluded), best_step and stopped_early; ``payload["model"]`` is the
        :class:`CharModel`.
    """
    config = config.validated()
    data = load_names(config.names, val_fraction=config.val_fraction, split_seed=config.split_seed)
    resumed = _resume_state(config, data.vocab) if config.resume else None
    record = start_run("dinos", config, train_command("dinos", config, PRESETS[config.preset], CLI_FLAGS),
                       data_path=config.names or data_file(DEFAULT_NAMES), resumed_from=config.resume)
    vocab = data.vocab
    n_x = vocab.size
    # a resumed run draws new batches and dropout masks: its streams are seeded by (seed, first step)
    entropy = (config.seed, resumed.step) if resumed is not None else config.seed
    init_seq, order_seq, drop_seq, preview_seq = np.random.SeedSequence(entropy).spawn(4)
    preview_rng = np.random.default_rng(preview_seq)
    train_enc = _encode_all(vocab, data.train)
    val_enc = _encode_all(vocab, data.val)
    # A fixed subset of the training names, to follow the training loss without dropout.
    probe_rng = np.random.default_rng(config.split_seed + 1)
    probe = [train_enc[i] for i in probe_rng.permutation(len(train_enc))[:500]]
    chars_per_name = float(np.mean([len(e) + 1 for e in train_enc]))

    if config.preset == "course":
        # The assignment's N(0, 0.01²) initialisation, in float64 like the assignment.
        params = initialize_parameters(config.hidden, n_x, n_x, seed=config.seed)
        items_per_step = chars_per_name
        unit = "name"
    else:
        params = net.init_parameters(config.cell, n_x, config.hidden, np.random.default_rng(init_seq))
        items_per_step = chars_per_name * min(config.batch, len(train_enc))
        unit = "batch"
    first_step = 0
    best: dict[str, np.ndarray] = {k: v.copy() for k, v in params.items()}
    best_val, best_step, evals_since_best, evaluated_at = math.inf, 0, 0, 0
    if resumed is not None:  # the run goes on where the other stopped: its weights, its best, its step count
        params, best = resumed.params, resumed.best
        first_step = best_step = evaluated_at = resumed.step
        best_val = resumed.best_val
    last_step = first_step + config.steps
    reporter = Reporter(last_step, on_progress, control, unit=unit, items_per_step=items_per_step,
                        item_unit="chars", min_interval=0.1)
    chars_done, step_seconds = 0, 0.0
    stopped = stopped_early = False
    metrics: dict[str, float] = {}

    def evaluate_now(step: int) -> bool:
        """Validation check; returns True when patience has run out."""
        nonlocal best, best_val, best_step, evals_since_best, evaluated_at
        evaluated_at = step
        val_total, val_count = nll_sum(config.cell, params, val_enc, n_x)
        probe_total, probe_count = nll_sum(config.cell, params, probe, n_x)
        val_nll = val_total / val_count
        if not math.isfinite(val_nll):
            raise _diverged(step, config.lr)
        if val_nll < best_val - 1e-4:
            best = {k: v.copy() for k, v in params.items()}
            best_val, best_step, evals_since_best = val_nll, step, 0
        else:
            evals_since_best += 1
        metrics.update(val_nll=val_nll, train_nll=probe_total / probe_count, best_val_nll=best_val)
        return config.patience > 0 and evals_since_best >= config.patience

    def preview() -> tuple[str, ...]:
        if not config.preview:
            return ()
        model = _make_model(config, data, params)
        return tuple(s.name for s in sample_names(model, config.preview, seed=preview_rng))

    step = first_step
    if config.preset == "course":
        examples = course_examples(list(data.train), vocab.char_to_ix)
        order = np.random.default_rng(order_seq).permutation(len(examples))
        a_prev = np.zeros((config.hidden, 1))  # carried from name to name, as in the assignment
        if resumed is not None:
            a_prev = resumed.a_prev
    else:
        batches = _batches(train_enc, config.batch, n_x, np.random.default_rng(order_seq))
        optimizer = Optimizer(params, config.optimizer, config.lr, config.clip, config.weight_decay)
        if resumed is not None:  # Adam's moments and step count go on, so the first step is no fresh start
            optimizer.t, optimizer.m, optimizer.v = resumed.t, resumed.m, resumed.v
        drop_rng = np.random.default_rng(drop_seq)
    while step < last_step:
        if control.checkpoint():
            stopped = True
            break
        if config.max_seconds is not None and reporter.elapsed >= config.max_seconds:
            break
        began = time.perf_counter()
        if config.preset == "course":
            X, Y = examples[order[step % len(examples)]]
            loss_sum, _grads, a_prev = optimize(X, Y, a_prev, params, config.lr)
            loss, chars = loss_sum / len(Y), len(Y)
        else:
            batch = next(batches)
            loss, grads = net.loss_and_gradients(config.cell, params, batch, dropout=config.dropout, rng=drop_rng)
            optimizer.step(params, grads)
            chars = batch.count
        step_seconds += time.perf_counter() - began
        chars_done += chars
        step += 1
        if not math.isfinite(loss):
            raise _diverged(step, config.lr)
        force = False
        if step % config.eval_every == 0 or step == last_step:
            stopped_early = evaluate_now(step)
            force = True
        samples = preview() if step % config.sample_every == 0 else ()
        reporter.report(step, loss, metrics, samples=samples, force=force or bool(samples))
        if stopped_early:
            break

    if step > evaluated_at:
        evaluate_now(step)  # the last steps may hold the best model
    train_total, train_count = nll_sum(config.cell, best, train_enc, n_x)
    val_total, val_count = nll_sum(config.cell, best, val_enc, n_x)
    final: dict[str, Any] = {
        "train_nll": train_total / train_count,
        "val_nll": val_total / val_count,
        "train_ppl": math.exp(train_total / train_count),
        "val_ppl": math.exp(val_total / val_count),
        "best_step": best_step,
        "chars": chars_done,
        "chars_per_s": chars_done / step_seconds if step_seconds > 0 else 0.0,
        "stopped_early": stopped_early,
    }
    uniform = math.log(n_x)  # a model that guesses every character equally often
    if final["val_nll"] > uniform:
        final["warning"] = (
            f"The model scores {final['val_nll']:.3f} nats/char on held-out names, worse than guessing every "
            f"character equally often (ln {n_x} = {uniform:.3f}): it did not learn — lower the learning rate "
            f"(now {config.lr:g}) or train longer."
        )
    model = _make_model(config, data, best, final)
    path = save_model(record.model_path(".npz"), model)
    _save_resume_state(record.folder / RESUME_FILE, step, params, best_val,
                       optimizer if config.preset != "course" else None, a_prev if config.preset == "course" else None)
    if config.out:
        path = save_model(config.out, model)
    last = tuple(s.name for s in sample_names(model, config.preview, seed=preview_rng)) if config.preview else ()
    # The kept model is the best one: its figures are the run's last word, best_val_nll included
    # (an earlier evaluation's best must not sit next to them).
    reporter.report(step, reporter.last_loss if step else float("nan"),
                    {"train_nll": final["train_nll"], "val_nll": final["val_nll"], "best_val_nll": final["val_nll"]},
                    samples=last, force=True)
    result = reporter.result(stopped, step, metrics={**final, "run": record.id}, model_path=str(path),
                             payload={"model": model})
    record.finish(result, headline="val_nll")
    return result
