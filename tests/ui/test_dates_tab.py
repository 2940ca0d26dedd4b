"""The dates tab driven by keyboard: translation as you type, the heatmap, fuzz, evaluation, training."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.widgets import DataTable, Input, TabbedContent

from seqtui_models import dates
from seqtui_models.core.errors import InvalidInput
from seqtui.app import SeqtuiApp
from seqtui.tabs.cells import CellsTab
from seqtui.messages import TaskFailed, TrainingFinished, TrainingProgressed
from seqtui.tabs.dates import DatesTab
from seqtui.widgets.heatmap import Heatmap
from seqtui.widgets.training_panel import TrainingPanel
from ui_helpers import finish_a_stopped_run, run, text_of, type_text, wait_until

pytestmark = pytest.mark.slow  # TensorFlow


async def ready(app: SeqtuiApp, pilot: Any) -> DatesTab:
    await wait_until(pilot, lambda: bool(app.query(DatesTab)))
    tab = app.query_one(DatesTab)
    await tab.wait_ready()
    await wait_until(pilot, lambda: tab.translation is not None)
    await pilot.pause()
    return tab


def test_typing_translates_with_the_attention_heatmap() -> None:
    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            assert not app.query(DatesTab)  # not built at start-up
            await app.workers.wait_for_complete()
            await app.query_one(CellsTab).wait_ready()  # the first tab has settled (and taken the focus)
            await pilot.pause()
            await pilot.press("6")
            tab = await ready(app, pilot)
            assert app.query_one("#tabs", TabbedContent).active == "dates"
            assert app.focused is app.query_one("#dates-input", Input)
            assert tab.translation.iso == "1976-07-04"  # the example it opens with, translated at once

            await pilot.press("ctrl+u")
            await type_text(pilot, "9/10/70")
            await wait_until(pilot, lambda: tab.translation is not None and tab.translation.input == "9/10/70")
            assert tab.translation.iso == "1970-09-10" and tab.translation.valid_date
            heatmap = app.query_one("#dates-attention", Heatmap)
            assert heatmap.values.shape == (10, 7)
            shown = text_of(app, "#dates-result")
            assert "1970-09-10" in shown and "valid date" in shown and "confidence" in shown
            drawn = text_of(app, "#dates-attention")
            assert "9 / 1 0 / 7 0" in drawn and "1.00" not in drawn.splitlines()[0]  # input across the top
            assert dates.translate(tab.model, "9/10/70").iso == tab.translation.iso

            await pilot.press("ctrl+u")
            await type_text(pilot, "1979-05-33")
            await wait_until(pilot, lambda: tab.translation.input == "1979-05-33")
            assert not tab.translation.valid_date and "not a date" in text_of(app, "#dates-result")

            await pilot.press("ctrl+u")
            await pilot.pause(0.4)
            assert "Type a date" in text_of(app, "#dates-result")  # a hint, not an error dialog

            await pilot.press("ctrl+f")
            await wait_until(pilot, lambda: "fuzz #1" in text_of(app, "#dates-fuzz"))
            fuzz = text_of(app, "#dates-fuzz")
            assert "right" in fuzz or "wrong" in fuzz
            assert app.query_one("#dates-input", Input).value == tab.translation.input
            pair, _ = dates.fuzz(tab.model, seed=1)
            assert tab.translation.input == pair.human and pair.iso in fuzz

    run(scenario())


def test_evaluation_view_and_bad_settings() -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="dates")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            tab = await ready(app, pilot)
            await pilot.press("ctrl+n")
            assert app.query_one("#dates-views", TabbedContent).active == "dates-view-eval"
            assert app.focused is app.query_one("#dates-eval-file", Input)  # typing a path types it
            await pilot.press("ctrl+g")
            await wait_until(pilot, lambda: tab.evaluation is not None, timeout=120)
            families = app.query_one("#dates-families", DataTable)
            assert families.row_count == len(tab.evaluation.by_format) >= 20
            assert app.query_one("#dates-mistakes", DataTable).row_count == len(tab.evaluation.mistakes)
            assert "exact match" in text_of(app, "#dates-eval-status") and tab.evaluation.n == 2000

            app.query_one("#dates-examples", Input).value = "5"
            await pilot.press("ctrl+n")  # the Train view: the panel has the focus
            await pilot.press("t")
            await pilot.pause()
            failures = [m for m in seen if isinstance(m, TaskFailed)]
            assert failures and isinstance(failures[0].error, InvalidInput) and "examples" in failures[0].error.message
            assert not app.query_one(TrainingPanel).running

    run(scenario())


def test_train_in_the_panel_then_translate_with_the_new_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(dates.PRESETS["best"], "val_examples", 100)  # a smaller held-out set: a quicker test

    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="dates")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            tab = await ready(app, pilot)
            old = tab.model
            app.query_one("#dates-examples", Input).value = "600"
            app.query_one("#dates-epochs", Input).value = "1"
            await pilot.press("escape", "t")  # leave the field; t trains (and shows the Train view)
            await wait_until(pilot, lambda: any(isinstance(m, TrainingFinished) for m in seen), timeout=120)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.query_one("#dates-views", TabbedContent).active == "dates-view-train"
            result = next(m for m in seen if isinstance(m, TrainingFinished)).result
            assert result.status == "finished" and Path(result.model_path).is_file()
            progress = [m.progress for m in seen if isinstance(m, TrainingProgressed)]
            assert any("val_exact" in p.metrics for p in progress)  # the held-out exact match, live
            assert tab.model is not old and tab.model.path == result.model_path
            assert not app.query_one(TrainingPanel).running

    run(scenario())


def test_a_stopped_run_that_scores_lower_does_not_replace_the_model(tmp_path: Path) -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dates")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            old = tab.model
            assert old.metrics["exact_match"] > 0.5
            note = await finish_a_stopped_run(app, pilot, {"exact_match": 0.25}, str(tmp_path / "stopped.keras"),
                                              {"model": object()})
            assert tab.model is old  # still the better model; the stopped one is only saved
            assert "25.0%" in note.message and note.title == "Training stopped"

    run(scenario())
