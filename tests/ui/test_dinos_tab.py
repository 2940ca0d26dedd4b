"""The dinos tab driven by keyboard: sampling, beam search, looking inside, picking, training."""

from __future__ import annotations

import io
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from rich.console import Console
from textual.message import Message
from textual.widgets import DataTable, Input, OptionList, Static, TabbedContent

from seqtui_models import dinos
from seqtui_models.core.errors import DataFileError
from seqtui.app import SeqtuiApp
from seqtui.messages import TaskFailed, TrainingFinished, TrainingProgressed
from seqtui_models.core.training import RunResult
from seqtui.tabs.dinos import DinosTab
from seqtui.widgets.dialogs import ConfirmDialog
from seqtui.widgets.training_panel import TrainingPanel
from ui_helpers import record_notifications, run, type_text, wait_until


async def ready(app: SeqtuiApp, pilot: Any) -> DinosTab:
    tab = app.query_one(DinosTab)
    await tab.wait_ready()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return tab


def rows(app: SeqtuiApp) -> list[list[Any]]:
    table = app.query_one("#dinos-names-table", DataTable)
    return [table.get_row_at(i) for i in range(table.row_count)]


def test_opens_with_names_from_the_bundled_model() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            assert tab.model is not None and "lstm" in tab.model.describe()
            names = rows(app)
            assert len(names) == 10
            assert all(str(row[3]) in ("train", "val", "new") for row in names)
            assert app.focused is app.query_one("#dinos-names-table")

    run(scenario())


def test_number_key_opens_the_tab_lazily() -> None:
    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            assert not app.query(DinosTab)  # not built at start-up
            await pilot.press("2")
            await pilot.pause()
            assert app.query_one("#tabs", TabbedContent).active == "dinos"
            await ready(app, pilot)
            assert len(rows(app)) == 10

    run(scenario())


def test_beam_search_lists_the_most_probable_names_first() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await pilot.press("b")
            await app.workers.wait_for_complete()
            await pilot.pause()
            logps = [item.logprob for item in tab.names]
            assert logps == sorted(logps, reverse=True) and len(logps) == 10
            expected = dinos.beam_search(tab.model, 32, n=10)
            assert [item.name for item in tab.names] == [item.name for item in expected]

    run(scenario())


def test_temperature_and_top_k_keys() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            assert tab.temperature == 1.0 and tab.top_k == 0
            await pilot.press("comma", "comma")
            await pilot.press("right_square_bracket")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert tab.temperature < 1.0 and tab.top_k == 1
            settings = str(app.query_one("#sample-settings", Static).render())
            assert f"{tab.temperature:.1f}" in settings and "top-k 1" in settings
            # top-k 1 is greedy decoding: every sample is the same single most probable name
            assert len({item.name for item in tab.names}) == 1
            await pilot.press("o")
            await app.workers.wait_for_complete()
            assert tab.new_only

    run(scenario())


def test_look_inside_matches_the_model() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await pilot.press("i")
            await pilot.pause()
            assert app.query_one("#dinos-views", TabbedContent).active == "view-inside"
            name = app.query_one("#dinos-inspect", Input).value
            assert name == tab.names[0].name
            view = dinos.inspect_name(tab.model, name, top_k=4)
            assert math.isclose(view.logprob, tab.names[0].logprob, rel_tol=1e-6, abs_tol=1e-6)
            assert tab.inspection == view
            console = Console(file=io.StringIO(), width=120)
            console.print(tab.inside_table)
            text = console.file.getvalue()
            assert name in text
            for step in view.steps:  # every character's probability is on screen
                assert f"{step.prob:.2f}" in text

    run(scenario())


def test_pick_the_next_character_yourself() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await pilot.press("v", "v")  # Sample → Inside → Pick
            assert app.query_one("#dinos-views", TabbedContent).active == "view-pick"
            options = app.query_one("#pick-options", OptionList)
            first = dinos.next_char_candidates(tab.model, "", top_k=1)[0].char
            await pilot.press("enter")
            assert tab.picked == first
            await pilot.press("down", "enter")
            second = dinos.next_char_candidates(tab.model, first, top_k=2)[1].char
            assert tab.picked == first + second
            await pilot.press("backspace")
            assert tab.picked == first
            assert options.option_count == 10

    run(scenario())


def test_train_and_stop_then_sample_from_the_new_model() -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            tab = await ready(app, pilot)
            old = tab.model
            app.query_one("#dinos-steps", Input).value = "100000"
            await pilot.press("t")
            await wait_until(pilot, lambda: any(isinstance(m, TrainingProgressed) and m.progress.metrics for m in seen))
            await pilot.press("s")
            await wait_until(pilot, lambda: any(isinstance(m, TrainingFinished) for m in seen))
            await app.workers.wait_for_complete()
            await pilot.pause()
            result = next(m for m in seen if isinstance(m, TrainingFinished)).result
            assert result.status == "stopped" and Path(result.model_path).is_file()
            # stopped at once, it scores worse than the bundled model on the same names: the tab asks
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            assert "held-out loss" in app.screen.question and tab.model is old
            await pilot.press("y")
            await pilot.pause()
            assert tab.model is not old and tab.model.cell == "gru"
            assert not app.query_one(TrainingPanel).running
            assert app.query_one("#dinos-views", TabbedContent).active == "view-train"  # no jump to Sample

    run(scenario())


def test_a_bad_names_file_is_reported_not_trained(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")

    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            await ready(app, pilot)
            app.query_one("#dinos-names", Input).value = str(empty)
            await pilot.press("t")
            await pilot.pause()
            failures = [m for m in seen if isinstance(m, TaskFailed)]
            assert failures and isinstance(failures[0].error, DataFileError)
            assert not app.query_one(TrainingPanel).running

    run(scenario())


def test_more_and_fewer_names() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await pilot.press("plus")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert tab.count == 20 and len(rows(app)) == 20
            await pilot.press("minus", "minus")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert tab.count == 5 and len(rows(app)) == 5

    run(scenario())


@pytest.mark.parametrize("case", ["better", "worse-taken", "worse-kept", "other-names"])
def test_a_trained_model_is_adopted_only_when_it_scores_at_least_as_well(tmp_path: Path, case: str) -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            notes = record_notifications(app)
            current = tab.model
            val = current.metrics["val_nll"] + (-0.1 if case == "better" else 0.3)
            names = current.train_names[:100] if case == "other-names" else current.train_names
            new = replace(current, metrics={"val_nll": val}, train_names=names)
            result = RunResult("finished", 3, 3, 0.1, val, metrics={"val_nll": val},
                               model_path=str(tmp_path / "new.npz"), payload={"model": new})
            app.query_one(TrainingPanel).post_message(TrainingFinished(result))
            await pilot.pause()
            if case.startswith("worse"):
                assert isinstance(app.screen, ConfirmDialog)
                assert f"scores held-out loss {val:.3f} nats/char" in app.screen.question
                await pilot.press("y" if case == "worse-taken" else "n")
                await pilot.pause()
            else:
                assert not isinstance(app.screen, ConfirmDialog)
            if case == "worse-kept":
                assert tab.model is current and any("Still using the current model" in n for n in notes)
            else:
                assert tab.model is new and any("Now sampling from the new model" in n for n in notes)

    run(scenario())


def test_beam_search_honours_new_only_and_pick_shows_the_prefix_probability() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await pilot.press("o")
            await app.workers.wait_for_complete()
            await pilot.press("b")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert len(tab.names) == 10 and all(item.novelty == "new" for item in tab.names)  # beam ignored it
            assert [i.name for i in tab.names] == [i.name for i in dinos.beam_search(tab.model, 32, n=10, new_only=True)]
            await pilot.press("v", "v")  # Sample → Inside → Pick
            await pilot.press("enter")
            shown = str(app.query_one("#pick-prefix", Static).render())
            expected = dinos.prefix_logprob(tab.model, tab.picked)
            assert f"{expected:.2f}" in shown and expected > dinos.name_logprob(tab.model, tab.picked)

    run(scenario())


def test_the_course_preset_trains_with_the_n_a_in_the_form(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[Any] = []
    monkeypatch.setattr(TrainingPanel, "start", lambda self, job: started.append(job))

    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(app, pilot)
            app.query_one("#dinos-preset").value = "course"
            await pilot.pause()
            assert app.query_one("#dinos-cell").disabled and not app.query_one("#dinos-hidden").disabled
            app.query_one("#dinos-hidden", Input).value = "12"
            await pilot.press("t")
            await pilot.pause()
            assert started and started[0].config.preset == "course" and started[0].config.hidden == 12

    run(scenario())


def test_escape_v_and_ctrl_g_in_every_view() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            views = app.query_one("#dinos-views", TabbedContent)
            app.query_one("#dinos-prefix", Input).focus()
            await type_text(pilot, "vq")  # letters go to the field
            assert app.query_one("#dinos-prefix", Input).value == "vq" and views.active == "view-sample"
            await pilot.press("escape")
            assert app.focused is app.query_one("#dinos-names-table")
            app.query_one("#dinos-prefix", Input).value = "tyr"
            await pilot.press("ctrl+g")  # the Sample view's action: sample
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert tab.names and all(item.name.startswith("tyr") for item in tab.names)
            await pilot.press("v")
            assert views.active == "view-inside"
            app.query_one("#dinos-inspect", Input).focus()
            await type_text(pilot, "stegosaurus")
            await pilot.press("escape", "ctrl+g")  # leave the field; inspect the typed name
            await pilot.pause()
            assert tab.inspection is not None and tab.inspection.name == "stegosaurus"
            await pilot.press("ctrl+n")
            assert views.active == "view-pick"
            await pilot.press("ctrl+n")
            assert views.active == "view-train"
            app.query_one("#dinos-steps", Input).focus()
            await pilot.press("escape")
            assert app.focused is app.query_one(TrainingPanel)
            await pilot.press("1")  # no field has the keys: number keys switch tabs
            await pilot.pause()
            assert app.query_one("#tabs", TabbedContent).active == "cells"

    run(scenario())


def test_a_run_that_stopped_early_says_so_with_a_full_bar_and_no_eta() -> None:
    from textual.widgets import Label, ProgressBar

    from seqtui_models.core.training import Progress

    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            panel = app.query_one(TrainingPanel)
            await tab.show_training_view()
            panel.running = True  # as if a run were going (no process needed for what is shown)
            panel.post_message(TrainingProgressed(Progress(820, 3000, 1.5, {"val_nll": 1.7}, elapsed=3.0,
                                                           unit="batch")))
            await pilot.pause()
            result = RunResult("finished", 820, 3000, 3.0, 1.5, metrics={"val_nll": 1.7, "stopped_early": True},
                               payload={"model": tab.model})
            panel.post_message(TrainingFinished(result))
            await pilot.pause()
            status = str(panel.query_one("#train-status").render())
            assert "Finished early at 820/3,000 (the held-out loss stopped improving)" in status
            assert panel.query_one(ProgressBar).percentage == 1.0
            stats = str(panel.query_one("#train-stats", Label).render())
            assert "batch 820/3,000" in stats and "ETA" not in stats  # the last figures, no time left to wait

    run(scenario())
