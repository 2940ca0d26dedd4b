"""The dates tab driven by keyboard: translation as you type, the heatmap, fuzz, evaluation, training."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.widgets import DataTable, Input, TabbedContent

from seqtui_models import dates
from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.training import RunResult
from seqtui.app import SeqtuiApp
from seqtui.tabs.cells import CellsTab
from seqtui.messages import TaskFailed, TrainingFinished, TrainingProgressed
from seqtui.tabs.dates import DatesTab, EvaluateView, TranslateView
from seqtui.widgets.dialogs import ConfirmDialog
from seqtui.widgets.heatmap import Heatmap
from seqtui.widgets.training_panel import TrainingPanel
from ui_helpers import record_notifications, run, text_of, type_text, wait_until

pytestmark = pytest.mark.slow  # TensorFlow


async def ready(app: SeqtuiApp, pilot: Any) -> DatesTab:
    await wait_until(pilot, lambda: bool(app.query(DatesTab)))
    tab = app.query_one(DatesTab)
    await tab.wait_ready()
    await wait_until(pilot, lambda: app.query_one(TranslateView).translation is not None)
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
            view = app.query_one(TranslateView)
            assert app.query_one("#tabs", TabbedContent).active == "dates"
            assert app.focused is app.query_one("#dates-input", Input)
            assert view.translation is not None and view.translation.iso == "1976-07-04"  # the example, at once

            await pilot.press("ctrl+u")
            await type_text(pilot, "9/10/70")
            await wait_until(pilot, lambda: view.translation is not None and view.translation.input == "9/10/70")
            assert view.translation.iso == "1970-09-10" and view.translation.valid_date
            heatmap = app.query_one("#dates-attention", Heatmap)
            assert heatmap.values.shape == (10, 7)
            shown = text_of(app, "#dates-result")
            assert "ambiguous: 1970-09-10 or 1970-10-09" in shown and "confidence" in shown and "✓" not in shown
            drawn = text_of(app, "#dates-attention")
            assert "9 / 1 0 / 7 0" in drawn and "1.00" not in drawn.splitlines()[0]  # input across the top
            assert tab.model is not None and dates.translate(tab.model, "9/10/70").iso == view.translation.iso

            await pilot.press("ctrl+u")
            await type_text(pilot, "1979-05-33")
            await wait_until(pilot, lambda: view.translation is not None and view.translation.input == "1979-05-33")
            assert not view.translation.valid_date and "not a date" in text_of(app, "#dates-result")

            await pilot.press("ctrl+u")
            await type_text(pilot, "banana")
            await wait_until(pilot, lambda: view.translation is not None and view.translation.input == "banana")
            shown = text_of(app, "#dates-result")
            assert "✗ not a date: no day, month or year in it" in shown and "✓" not in shown

            await pilot.press("ctrl+u")
            await type_text(pilot, "On 12 May 2021 at 5pm")
            await wait_until(pilot, lambda: view.translation is not None and view.translation.input.endswith("5pm"))
            shown = text_of(app, "#dates-result")
            assert "✓ a date" in shown and "read '12 May 2021' from the text" in shown

            await pilot.press("ctrl+u")
            await pilot.pause(0.4)
            assert "Type a date" in text_of(app, "#dates-result")  # a hint, not an error dialog
            assert view.translation is None and heatmap.values.size == 0

            await pilot.press("ctrl+f")
            await wait_until(pilot, lambda: "fuzz #1" in text_of(app, "#dates-fuzz"))
            fuzz = text_of(app, "#dates-fuzz")
            assert view.translation is not None and app.query_one("#dates-input", Input).value == view.translation.input
            found = dates.hunt(tab.model, seed=1)  # the same hunt, replayed
            assert view.translation.input == found.pair.human and found.pair.iso in fuzz
            assert ("try" in fuzz or "tries" in fuzz) and str(found.found_at) in fuzz
            assert found.pair.iso[:4] in text_of(app, "#dates-result")  # the fuzzed date's translation is shown

    run(scenario())


def test_the_frame_keys_views_escape_and_ctrl_g() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dates")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            views = app.query_one("#dates-views", TabbedContent)
            box = app.query_one("#dates-input", Input)
            assert app.focused is box

            await pilot.press("v", "1")  # in a field, v and 1 are typed, not keys
            assert box.value.endswith("v1") and views.active == "dates-view-translate"
            assert app.query_one("#tabs", TabbedContent).active == "dates"
            await pilot.press("escape")  # leaves the field for the heatmap: letters are keys again
            assert app.focused is app.query_one("#dates-attention-scroll")
            box.value = "9/10/70"
            view = app.query_one(TranslateView)
            await pilot.press("ctrl+g")  # translate now
            await wait_until(pilot, lambda: view.translation is not None and view.translation.input == "9/10/70")

            await pilot.press("v")  # outside a field, v is the next view, and the view takes the keys
            await pilot.pause()
            assert views.active == "dates-view-eval" and app.focused is app.query_one("#dates-eval-file", Input)
            await pilot.press("escape")
            assert app.focused is app.query_one("#dates-families", DataTable)
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert views.active == "dates-view-train" and app.focused is app.query_one(TrainingPanel)
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert views.active == "dates-view-translate" and app.focused is box

            app.query_one("#dates-seed", Input).focus()  # a sidebar field: escape goes to the view in front
            await pilot.press("escape")
            assert app.focused is app.query_one("#dates-attention-scroll")
            await pilot.press("1")  # number keys switch tabs once no field has the keys
            await pilot.pause()
            assert app.query_one("#tabs", TabbedContent).active == "cells"
            await pilot.press("6")
            await pilot.pause()
            assert app.query_one("#tabs", TabbedContent).active == "dates" and tab.is_ready

    run(scenario())


def test_q_quits_once_no_field_has_the_keys() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dates")
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(app, pilot)
            await pilot.press("q")  # typed into the date
            assert app.is_running and app.query_one("#dates-input", Input).value.endswith("q")
            await pilot.press("escape", "q")
            await pilot.pause()
            assert not app.is_running

    run(scenario())


def test_evaluation_view_and_bad_settings() -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="dates")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            await ready(app, pilot)
            view = app.query_one(EvaluateView)
            await pilot.press("ctrl+n")
            assert app.query_one("#dates-views", TabbedContent).active == "dates-view-eval"
            assert app.focused is app.query_one("#dates-eval-file", Input)  # typing a path types it
            await pilot.press("ctrl+g")
            await wait_until(pilot, lambda: view.evaluation is not None, timeout=120)
            assert view.evaluation is not None
            families = app.query_one("#dates-families", DataTable)
            assert families.row_count == len(view.evaluation.by_format) >= 20
            assert app.query_one("#dates-mistakes", DataTable).row_count == len(view.evaluation.mistakes)
            assert "exact match" in text_of(app, "#dates-eval-status") and view.evaluation.n == 2000

            app.query_one("#dates-eval-file", Input).value = "/nonexistent/pairs.tsv"
            await pilot.press("ctrl+g")
            await wait_until(pilot, lambda: "failed" in text_of(app, "#dates-eval-status"))
            assert any(isinstance(m, TaskFailed) and "No such file" in str(m.error) for m in seen)
            assert view.evaluation is None and families.row_count == 0  # the earlier figures are gone
            assert app.query_one("#dates-mistakes", DataTable).row_count == 0
            assert "exact match" not in text_of(app, "#dates-eval-status")

            app.query_one("#dates-examples", Input).value = "5"
            await pilot.press("ctrl+n")  # the Train view: the panel has the focus
            for key in ("t", "ctrl+g"):  # t and the view's run key both try to start a run
                seen.clear()
                await pilot.press(key)
                await pilot.pause()
                failures = [m for m in seen if isinstance(m, TaskFailed)]
                assert failures and isinstance(failures[0].error, InvalidInput)
                assert "examples" in failures[0].error.message
                assert not app.query_one(TrainingPanel).running

            app.query_one("#dates-examples", Input).value = "many"
            seen.clear()
            await pilot.press("t")
            await pilot.pause()
            failures = [m for m in seen if isinstance(m, TaskFailed)]
            assert failures and "dates must be a whole number" in failures[0].error.message  # named as in the form
            assert app.query_one("#dates-examples", Input).has_class("-invalid")

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
            # Scored on 100 held-out dates, not the bundled model's 1,000: not comparable, so no question.
            assert not isinstance(app.screen, ConfirmDialog)
            assert tab.model is not old and tab.model is not None and tab.model.path == result.model_path
            assert not app.query_one(TrainingPanel).running
            view = app.query_one(TranslateView)
            await wait_until(pilot, lambda: view.translation is not None)  # translated again with the new model

    run(scenario())


@pytest.mark.parametrize("exact, answer, adopted", [(0.25, "n", False), (0.25, "y", True), (1.0, None, True)])
def test_a_trained_model_that_scores_lower_is_adopted_only_if_the_user_says_so(
    tmp_path: Path, exact: float, answer: str | None, adopted: bool
) -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dates")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            old = tab.model
            assert old is not None and old.metrics["exact_match"] == 1.0
            notes = record_notifications(app)
            path = str(tmp_path / "stopped.keras")
            # Trained like the bundled model (same held-out dates), so the two scores compare.
            new = dataclasses.replace(old, metrics={**old.metrics, "exact_match": exact}, path=path)
            stopped = RunResult("stopped", 3, 300, 0.1, 1.5, metrics={"exact_match": exact}, model_path=path,
                                payload={"model": new})
            app.query_one(TrainingPanel).post_message(TrainingFinished(stopped))
            await pilot.pause()
            if answer is None:  # as good as the model in use: taken without a question
                assert not isinstance(app.screen, ConfirmDialog)
            else:
                await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
                assert isinstance(app.screen, ConfirmDialog)
                question = app.screen.question
                assert "held-out exact match 25.0%" in question and "100.0%" in question and path in question
                await pilot.press(answer)
                await pilot.pause()
            assert (tab.model is new) is adopted and (tab.model is old) is not adopted
            if adopted:
                assert any("Now translating with the new model" in n for n in notes)
                shown = app.query_one("#dates-model").content  # type: ignore[attr-defined]
                assert shown == new.describe() + "\nfrom stopped.keras"  # the file it came from
            else:
                assert any("Still using the current model (held-out exact match 100.0%)" in n and path in n
                           for n in notes)

    run(scenario())


def test_a_model_scored_on_other_held_out_dates_is_adopted(tmp_path: Path) -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dates")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            old = tab.model
            assert old is not None
            path = str(tmp_path / "course.keras")
            other = dataclasses.replace(old.config, tx=30)  # a course-sized T_x: other held-out dates
            new = dataclasses.replace(old, config=other, metrics={"exact_match": 0.5}, path=path)
            finished = RunResult("finished", 3, 3, 0.1, 1.5, metrics={"exact_match": 0.5}, model_path=path,
                                 payload={"model": new})
            app.query_one(TrainingPanel).post_message(TrainingFinished(finished))
            await wait_until(pilot, lambda: tab.model is new)
            assert not isinstance(app.screen, ConfirmDialog)

    run(scenario())


def test_the_heatmap_fits_its_view_when_shown_and_when_resized() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dates")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            view = app.query_one(TranslateView)
            heatmap = app.query_one("#dates-attention", Heatmap)
            assert heatmap.cell_width == 2  # "the 4th of July 1976": two cells a character fit in 120 columns
            await pilot.press("escape", "v", "ctrl+n")  # to the Train view: the heatmap is laid out to nothing
            await pilot.pause()
            assert app.query_one("#dates-views", TabbedContent).active == "dates-view-train"
            assert heatmap.size.width == 0
            first = view.translation
            tab.model = dataclasses.replace(tab.model)  # as after adopting a trained model: translated again
            await wait_until(pilot, lambda: view.translation is not first)
            await pilot.pause()
            await pilot.press("v")
            await pilot.pause()
            await pilot.pause()
            assert heatmap.size.width > 0 and heatmap.cell_width == 2
            assert "4 t h · o f · J u l y" in text_of(app, "#dates-attention")

            long = "wednesday the 21st of september 2016"  # 36 characters: two cells each fit in 120 columns only
            app.query_one("#dates-input", Input).value = long
            await wait_until(pilot, lambda: view.translation is not None and view.translation.input == long)
            await pilot.pause()
            assert heatmap.cell_width == 2
            await pilot.resize_terminal(80, 24)
            await wait_until(pilot, lambda: heatmap.cell_width == 1)
            await pilot.resize_terminal(120, 40)
            await wait_until(pilot, lambda: heatmap.cell_width == 2)

    run(scenario())


def test_a_date_the_written_format_settles_is_shown_as_the_verdict_not_the_models_order() -> None:
    from seqtui.tabs.dates.render import render_translation

    translation = dates.translate(dates.default_model(), "Date of birth (DD/MM/YYYY): 09/12/1992")
    shown = render_translation(translation).plain
    assert translation.verdict.iso == "1992-12-09"
    assert shown.startswith("1992-12-09   ✓ a date") and f"the model wrote {translation.iso}" in shown
    plain = render_translation(dates.translate(dates.default_model(), "3 May 1979")).plain
    assert plain.startswith("1979-05-03   ✓ a date") and "the model wrote" not in plain
