"""The run registry: every training run, from the app or the CLI, kept in its own folder, never overwritten.

A run lives in ``<seqtui home>/runs/<id>/`` (ids read ``dinos-20261204-091502-3fa2``: task, start
time, four random hex digits):

* ``run.json`` — format ``seqtui-run/1``: the task, when it started, its status, the config, the
  ``command`` that reproduces it, the seed, the data it used (path and SHA-256), its metrics and
  headline metric, the loss history, the model's file name and the run it resumed from;
* the model file (``model.npz`` or ``model.keras``).

Writes are atomic (a temporary file, then a rename). A run's ``run.json`` is written twice: when
it starts (status ``running``, with the process id) and after its model is saved (``finished`` or
``stopped``). A run whose process is gone while its record still says ``running`` — killed
mid-training or mid-save — is listed as ``incomplete`` and never loaded as if whole; so is a
folder whose record cannot be read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shlex
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, asdict, dataclass, field, fields, is_dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.model_files import article
from seqtui_models.core.paths import atomic_write, seqtui_home
from seqtui_models.core.training import RunResult

FORMAT = "seqtui-run/1"
RUN_FILE = "run.json"
COMPLETE = ("finished", "stopped")
"""Statuses of a run whose model was saved and whose record was completed."""


def runs_dir() -> Path:
    """The registry's folder (created on first use)."""
    folder = seqtui_home() / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, in hex (read in 1 MiB blocks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pid_alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


@dataclass(frozen=True)
class Run:
    """One run of the registry, as read from its folder.

    Attributes:
        id: The run's id (its folder's name).
        folder: Its folder.
        task: ``cells``, ``dinos``, ``jazz``, ``emojify`` or ``dates``.
        created: When it started, ISO 8601 in UTC (to the microsecond, so that runs started in one
            second still sort in order).
        status: ``running``, ``finished``, ``stopped`` or ``incomplete``.
        config: The training config, as saved.
        command: The ``seqtui … train`` command that reproduces it.
        seed: Its seed.
        data: ``{"path": …, "sha256": …}`` of the data it trained on (``path`` None: bundled).
        metrics: Its final figures.
        headline: ``(name, value)`` of the figure that sums it up, or None.
        history: ``(step, loss)`` pairs of its loss curve.
        model: The model's file name in the folder, or None before it is saved.
        resumed_from: The id of the run it continued, or None.
        problem: Why an incomplete run is incomplete.
    """

    id: str
    folder: Path
    task: str = ""
    created: str = ""
    status: str = "incomplete"
    config: Mapping[str, Any] = field(default_factory=dict)
    command: str = ""
    seed: int | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    metrics: Mapping[str, Any] = field(default_factory=dict)
    headline: tuple[str, float] | None = None
    history: tuple[tuple[int, float], ...] = ()
    model: str | None = None
    resumed_from: str | None = None
    problem: str = ""

    @property
    def complete(self) -> bool:
        """Whether the run finished (or was stopped) and its model was saved: it can be loaded."""
        return self.status in COMPLETE and self.model_path is not None

    @property
    def model_path(self) -> Path | None:
        """The model file, if the run saved one and it is there."""
        if not self.model:
            return None
        path = self.folder / self.model
        return path if path.is_file() else None

    @property
    def preset(self) -> str:
        """The preset, or the cells task, and the cell it trained with, for lists."""
        preset, cell = self.config.get("preset") or self.config.get("task"), self.config.get("cell")
        return " ".join(str(x) for x in (preset, cell) if x)

    def summary(self) -> dict[str, Any]:
        """What ``runs list`` shows: id, task, when, preset, headline metric, status."""
        return {
            "id": self.id, "task": self.task, "created": self.created, "preset": self.preset,
            "headline": {"name": self.headline[0], "value": self.headline[1]} if self.headline else None,
            "status": self.status,
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything ``runs show`` shows, JSON-ready."""
        return {
            **self.summary(), "folder": str(self.folder), "command": self.command, "seed": self.seed,
            "data": dict(self.data), "config": dict(self.config), "metrics": dict(self.metrics),
            "model": str(self.model_path) if self.model_path else None, "resumed_from": self.resumed_from,
            "history": [list(point) for point in self.history], "problem": self.problem or None,
        }


def _write_json(path: Path, value: Any) -> None:
    """Write ``value`` as JSON to ``path``, atomically."""
    text = json.dumps(value, indent=1, default=str)

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    atomic_write(path, write)


def _write_record(folder: Path, record: Mapping[str, Any]) -> None:
    _write_json(folder / RUN_FILE, record)


def read_run(folder: Path) -> Run:
    """Read one run's folder. Never raises: an unreadable record gives an ``incomplete`` run that says why."""
    try:
        record = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Run(folder.name, folder, problem="its record (run.json) is missing")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Run(folder.name, folder, problem=f"its record (run.json) cannot be read ({type(exc).__name__})")
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return Run(folder.name, folder, problem="its record (run.json) is not a seqtui run record")
    try:
        headline = record.get("headline")
        run = Run(
            id=folder.name, folder=folder, task=str(record["task"]), created=str(record["created"]),
            status=str(record["status"]), config=dict(record.get("config") or {}),
            command=str(record.get("command") or ""), seed=record.get("seed"), data=dict(record.get("data") or {}),
            metrics=dict(record.get("metrics") or {}),
            headline=(str(headline[0]), float(headline[1])) if headline else None,
            history=tuple((int(s), float(v)) for s, v in record.get("history") or ()),
            model=record.get("model"), resumed_from=record.get("resumed_from"),
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        return Run(folder.name, folder, problem=f"its record (run.json) is damaged ({type(exc).__name__})")
    if run.status == "running" and not _pid_alive(record.get("pid")):
        saved = any(run.folder.glob("model.*"))
        why = "its model was saved but its record was not completed" if saved else "no model was saved"
        return replace(run, status="incomplete", problem=f"it was killed before it finished: {why}")
    if run.status in COMPLETE and run.model_path is None:
        return replace(run, status="incomplete", problem="its model file is missing")
    return run


def list_runs(task: str | None = None) -> list[Run]:
    """Every run (of ``task``, if given), newest first."""
    runs = [read_run(folder) for folder in runs_dir().iterdir() if folder.is_dir() and not folder.name.startswith(".")]
    if task:
        runs = [r for r in runs if r.task == task or (not r.task and r.id.startswith(f"{task}-"))]
    return sorted(runs, key=lambda r: (r.created or r.id[len(r.task) + 1:], r.id), reverse=True)


def looks_like_run_id(text: str) -> bool:
    """Whether ``text`` could be a run id (or its start): a task name, a dash, digits — no path separator."""
    head, _, rest = text.partition("-")
    return bool(rest) and head in ("cells", "dinos", "jazz", "emojify", "dates") and "/" not in text and "\\" not in text


def find_run(text: str, task: str | None = None, *, unknown: str = "") -> Run:
    """The run whose id is ``text``, or the only one whose id starts with it.

    Args:
        text: A run id or its start.
        task: The task the run must be of, if any.
        unknown: The message when no run matches (default: "No run …").

    Raises:
        InvalidInput: no such run, or several start with ``text`` (they are named).
    """
    wanted = text.strip()
    if not wanted:
        raise InvalidInput("Give a run id (see 'seqtui runs list').")
    runs = list_runs()
    exact = [r for r in runs if r.id == wanted]
    matches = exact or [r for r in runs if r.id.startswith(wanted)]
    if not matches:
        raise InvalidInput(unknown or f"No run {wanted!r} — 'seqtui runs list' shows the runs there are.",
                           title="Unknown run")
    if len(matches) > 1:
        names = ", ".join(r.id for r in matches[:4]) + (" …" if len(matches) > 4 else "")
        raise InvalidInput(f"{wanted!r} starts {len(matches)} run ids ({names}): give more of it.")
    run = matches[0]
    if task and run.task and run.task != task:
        raise InvalidInput(f"Run {run.id} is {article(run.task)} {run.task} run, not {article(task)} {task} one.")
    return run


def remove_run(text: str) -> Run:
    """Delete a run's folder (found as :func:`find_run` finds it); return what it was."""
    run = find_run(text)
    shutil.rmtree(run.folder)
    return run


def model_argument(text: str, task: str) -> str:
    """What a ``--model`` option names: a file path as it is, or a run id → that run's model file.

    Raises:
        InvalidInput: a run id of another task, of an incomplete run, or unknown while no
            such file exists either.
    """
    if Path(text).expanduser().exists() or not looks_like_run_id(text):
        return text
    run = find_run(text, task, unknown=f"No such file or run: {text} — give a model file or a run id from "
                                        f"'seqtui runs list --task {task}'.")
    if not run.complete or run.model_path is None:
        raise InvalidInput(f"Run {run.id} is {run.status}: {run.problem or 'it has no model'} — it cannot be loaded.")
    return str(run.model_path)


def compare_runs(runs: Sequence[Run]) -> dict[str, Any]:
    """Configs side by side (and which settings differ) and metrics side by side."""
    keys = sorted({k for r in runs for k in r.config})
    config = {k: [r.config.get(k) for r in runs] for k in keys}
    metric_keys = sorted({k for r in runs for k in r.metrics if not isinstance(r.metrics[k], (dict, list))})
    return {
        "runs": [r.summary() for r in runs],
        "config": config,
        "differences": [k for k, values in config.items() if len({json.dumps(v, default=str) for v in values}) > 1],
        "metrics": {k: [r.metrics.get(k) for r in runs] for k in metric_keys},
    }


# --- recording a run --------------------------------------------------------------------------
def config_dict(config: Any) -> dict[str, Any]:
    """A config dataclass as JSON-ready values (tuples become lists)."""
    values = asdict(config) if is_dataclass(config) and not isinstance(config, type) else dict(config)
    return json.loads(json.dumps(values, default=str))  # type: ignore[no-any-return]


def train_command(task: str, config: Any, preset: Mapping[str, Any], flags: Mapping[str, str]) -> str:
    """The ``seqtui TASK train`` command that reproduces ``config``.

    Args:
        task: The task.
        config: The run's config dataclass (with a ``seed`` field; a ``preset`` one is written first).
        preset: The preset's values: only settings that differ from them (or, for settings a
            preset leaves out, from the config's defaults) are written, and the seed always.
        flags: Each config field's command-line option, e.g. ``{"hidden": "--hidden"}``.
    """
    parts = ["seqtui", task, "train"]
    if getattr(config, "preset", None):
        parts += ["--preset", str(config.preset)]
    for f in fields(config):
        if f.name in ("preset", "out") or f.name not in flags:
            continue
        value = getattr(config, f.name)
        default = preset.get(f.name, f.default if f.default is not MISSING else None)
        if value is None or (value == default and f.name != "seed"):
            continue
        if isinstance(value, bool):
            if value:
                parts.append(flags[f.name])
            continue
        if isinstance(value, (list, tuple)):  # an option given once per item (``--data A --data B``)
            for item in value:
                parts += [flags[f.name], str(item)]
            continue
        parts += [flags[f.name], str(value)]
    return shlex.join(parts)


def keep_model(recorder: RunRecorder, save: Callable[[Path], Path], suffix: str, out: str | None) -> Path:
    """Save a run's model in its folder with ``save`` and, if ``out`` names a file, there too;
    return where the user asked for it (``out``), else the run's copy."""
    path = save(recorder.model_path(suffix))
    return save(Path(out)) if out else path


class RunRecorder:
    """A run being recorded: its folder exists and its record says ``running``."""

    def __init__(self, run_id: str, folder: Path, record: dict[str, Any]) -> None:
        self.id = run_id
        self.folder = folder
        self._record = record

    def model_path(self, suffix: str) -> Path:
        """Where the run's model goes (``model.npz``, ``model.keras`` …)."""
        self._record["model"] = f"model{suffix}"
        return self.folder / f"model{suffix}"

    def finish(self, result: RunResult, headline: str | None = None) -> Run:
        """Complete the record with the run's result (after its model was saved)."""
        value = result.metrics.get(headline) if headline else None
        self._record.update(
            status=result.status, pid=None, metrics=json.loads(json.dumps(dict(result.metrics), default=str)),
            headline=[headline, float(value)] if isinstance(value, (int, float)) and not isinstance(value, bool) else None,
            history=[[int(s), float(v)] for s, v in result.history], steps=result.steps, total=result.total,
            seconds=round(result.seconds, 3),
        )
        _write_record(self.folder, self._record)
        return read_run(self.folder)


def new_run_id(task: str, now: datetime | None = None) -> str:
    """``task-YYYYMMDD-HHMMSS-xxxx`` (UTC; four random hex digits keep simultaneous runs apart)."""
    now = now or datetime.now(timezone.utc)
    return f"{task}-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def data_record(data_path: str | Path | Sequence[str | Path] | None) -> dict[str, Any]:
    """``{"path", "sha256"}`` of the data a run trained on (both None: nothing to name).

    Several files (merged CSVs, a corpus of pieces) are named together (``a.csv + b.csv``), their
    SHA-256 is that of their own hashes in order, and ``files`` lists each one's path and hash.
    """
    given = [data_path] if isinstance(data_path, (str, Path)) else list(data_path or ())
    paths = [str(p) for p in given if p]
    hashes = [file_sha256(p) if Path(p).is_file() else None for p in paths]
    if len(paths) <= 1:
        return {"path": paths[0] if paths else None, "sha256": hashes[0] if paths else None}
    known = [h for h in hashes if h]
    combined = hashlib.sha256("\n".join(known).encode()).hexdigest() if len(known) == len(hashes) else None
    return {"path": " + ".join(paths), "sha256": combined,
            "files": [{"path": p, "sha256": h} for p, h in zip(paths, hashes)]}


def start_run(task: str, config: Any, command: str, data_path: str | Path | Sequence[str | Path] | None = None,
              resumed_from: str | None = None) -> RunRecorder:
    """Create a new run's folder and its ``running`` record (before any training).

    ``data_path`` is the data file it trains on, or several (see :func:`data_record`).
    """
    now = datetime.now(timezone.utc)
    folder = runs_dir()
    for _ in range(100):
        run_id = new_run_id(task, now)
        with contextlib.suppress(FileExistsError):
            (folder / run_id).mkdir()
            break
    else:  # pragma: no cover - 100 collisions of 16 random bits in one second
        raise InvalidInput("Could not create a run folder: too many runs started this second.")
    data = data_record(data_path)
    config_values = config_dict(config)
    record: dict[str, Any] = {
        "format": FORMAT, "task": task, "created": now.isoformat(timespec="microseconds"), "status": "running",
        "pid": os.getpid(), "config": config_values, "command": command, "seed": config_values.get("seed"),
        "data": data, "metrics": {}, "headline": None, "history": [], "model": None, "resumed_from": resumed_from,
    }
    _write_record(folder / run_id, record)
    return RunRecorder(run_id, folder / run_id, record)


# --- the model each tab uses --------------------------------------------------------------------
CHOSEN_FILE = "chosen-models.json"
"""In the seqtui home: the model file each task's tab last used, so that it reopens with it."""


def remember_model(task: str, path: str | Path) -> None:
    """Note that ``task``'s tab now uses the model at ``path`` (written atomically)."""
    file = seqtui_home() / CHOSEN_FILE
    chosen = _read_chosen(file)
    chosen[task] = str(Path(path).resolve())
    _write_json(file, chosen)


def remembered_model(task: str) -> str | None:
    """The model file ``task``'s tab last used, if it is still there."""
    path = _read_chosen(seqtui_home() / CHOSEN_FILE).get(task)
    return path if isinstance(path, str) and Path(path).is_file() else None


def forget_model(task: str) -> None:
    """Go back to the bundled model next time (the remembered one could not be loaded)."""
    file = seqtui_home() / CHOSEN_FILE
    chosen = _read_chosen(file)
    if chosen.pop(task, None) is not None:
        _write_json(file, chosen)


def _read_chosen(file: Path) -> dict[str, Any]:
    try:
        chosen = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return chosen if isinstance(chosen, dict) else {}


def run_of(path: str | Path) -> Run | None:
    """The run a model file belongs to, if it is one in the registry."""
    folder = Path(path).resolve().parent
    try:
        inside = folder.parent == runs_dir().resolve()
    except OSError:
        return None
    return read_run(folder) if inside else None
