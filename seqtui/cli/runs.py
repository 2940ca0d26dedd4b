"""Provides ``seqtui runs …``: the run registry — list, show, remove and compare training runs."""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING, Any

from seqtui.cli.common import print_json

if TYPE_CHECKING:
    from seqtui_models.core.runs import Run

TASKS = ("cells", "dinos", "jazz", "emojify", "dates")


def add_parser(tasks: Any) -> None:
    """Add ``runs`` and its verbs to the top-level subparsers."""
    parser = tasks.add_parser(
        "runs", help="every training run, kept: list, show, remove, compare",
        description="Every training run (from the app or the CLI) is kept in its own folder under the seqtui "
                    "home, with its model, config, the command that reproduces it, its metrics and loss curve. "
                    "A run id may be shortened to any start that names one run.")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=type(parser))

    listing = verbs.add_parser("list", help="the runs, newest first", description="The runs, newest first.")
    listing.add_argument("--task", dest="of_task", choices=TASKS, help="only this task's runs")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    listing.set_defaults(func=run_list)

    show = verbs.add_parser("show", help="everything about one run, its command included")
    show.add_argument("run", metavar="RUN", help="a run id (or its start)")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(func=run_show)

    remove = verbs.add_parser("rm", help="delete a run (its folder and model)")
    remove.add_argument("run", metavar="RUN", help="a run id (or its start)")
    remove.add_argument("--json", action="store_true", help="print one JSON object")
    remove.set_defaults(func=run_rm)

    compare = verbs.add_parser("compare", help="runs side by side: settings, their differences, metrics")
    compare.add_argument("runs", nargs="+", metavar="RUN", help="two run ids or more")
    compare.add_argument("--json", action="store_true", help="print one JSON object")
    compare.set_defaults(func=run_compare)


def _value(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}" if math.isfinite(value) else str(value)
    return str(value)


def _when(run: Run) -> str:
    return run.created.replace("T", " ")[:16] if run.created else "?"


def run_list(args: argparse.Namespace) -> int:
    """``seqtui runs list [--task T]``."""
    from seqtui_models.core.runs import list_runs

    runs = list_runs(args.of_task)
    if args.json:
        print_json({"runs": [r.summary() for r in runs]})
        return 0
    if not runs:
        print("No runs yet" + (f" of {args.of_task}" if args.of_task else "") + ": 'seqtui TASK train' or the app's training panel starts one.")
        return 0
    width = max(len(r.id) for r in runs)
    print(f"{'id':<{width}}  {'when (UTC)':<16}  {'preset':<12}  {'headline':<22}  status")
    for r in runs:
        headline = f"{r.headline[0]} {_value(r.headline[1])}" if r.headline else "–"
        print(f"{r.id:<{width}}  {_when(r):<16}  {r.preset[:12]:<12}  {headline[:22]:<22}  {r.status}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """``seqtui runs show RUN``."""
    from seqtui_models.core.runs import find_run

    from seqtui.state import run_state

    run = find_run(args.run)
    info = {**run.to_dict(), "state": run_state(run.task, run.config).encode() if run.task else None}
    if args.json:
        print_json(info)
        return 0
    for key in ("id", "task", "created", "status", "problem", "command", "seed", "resumed_from", "folder", "model",
                "state"):
        if info.get(key) is not None:
            print(f"{key:>13}: {info[key]}")
    data = run.data
    if data:
        where = data.get("path") or ("generated from the seed" if run.task == "dates" else "bundled")
        digest = str(data.get("sha256") or "")[:16]
        print(f"{'data':>13}: {where}" + (f" (sha256 {digest}…)" if digest else ""))
    if run.metrics:
        print("      metrics:")
        for key, value in run.metrics.items():
            if not isinstance(value, (dict, list)):
                print(f"{key:>22}  {_value(value)}")
    if run.history:
        print(f"      history: {len(run.history)} points, loss {run.history[0][1]:.4g} at step {run.history[0][0]} "
              f"→ {run.history[-1][1]:.4g} at step {run.history[-1][0]}")
    return 0


def run_rm(args: argparse.Namespace) -> int:
    """``seqtui runs rm RUN``."""
    from seqtui_models.core.runs import remove_run

    run = remove_run(args.run)
    if args.json:
        print_json({"removed": run.id})
    else:
        print(f"removed {run.id}")
    return 0


def run_compare(args: argparse.Namespace) -> int:
    """``seqtui runs compare RUN RUN…``."""
    from seqtui_models.core.errors import InvalidInput
    from seqtui_models.core.runs import compare_runs, find_run

    runs = [find_run(text) for text in args.runs]
    if len({r.id for r in runs}) < 2:
        raise InvalidInput("Compare needs two different runs or more.")
    comparison = compare_runs(runs)
    if args.json:
        print_json(comparison)
        return 0
    width = 14
    print(f"{'':>16}  " + "  ".join(f"{r.id[-width:]:>{width}}" for r in runs))
    print("settings that differ:" if comparison["differences"] else "settings: all the same")
    for key in comparison["differences"]:
        print(f"{key:>16}  " + "  ".join(f"{_value(v)[:width]:>{width}}" for v in comparison["config"][key]))
    print("metrics:")
    for key, values in comparison["metrics"].items():
        print(f"{key:>16}  " + "  ".join(f"{_value(v)[:width]:>{width}}" for v in values))
    return 0
