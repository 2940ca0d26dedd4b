"""The emojify tab driven by keyboard: predictions as you type, evaluation, adding a sentence, training."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.widgets import DataTable, Input, Select, TabbedContent

from seqtui_models import emojify
from seqtui_models.core.errors import DataFileError
from seqtui.app import SeqtuiApp
from seqtui.messages import TaskFailed, TrainingFinished
from seqtui.tabs.emojify import EmojifyTab
from seqtui.widgets.dialogs import ConfirmDialog
from seqtui.widgets.training_panel import TrainingPanel
from seqtui_models.core.training import RunResult
from ui_helpers import record_notifications, run, text_of, type_text, wait_until


@pytest.fixture(autouse=True)
def v1_only(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep TensorFlow out of the tests that look only at V1 (the slow V2 test loads it)."""
    if "slow" not in request.keywords:
        monkeypatch.setattr(EmojifyTab, "LOAD_V2", False)


async def ready(app: SeqtuiApp, pilot: Any, v2: bool = False) -> EmojifyTab:
    tab = app.query_one(EmojifyTab)
    await tab.wait_ready(v2=v2)
    await pilot.pause()
    return tab


def test_typing_a_sentence_shows_v1_at_once() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="emojify")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            assert app.focused is app.query_one("#emojify-sentence", Input)
            await type_text(pilot, "lets eat pizza zzqqx")
            await wait_until(pilot, lambda: "v1" in tab.last and tab.last["v1"].sentence == "lets eat pizza zzqqx")
            prediction = tab.last["v1"]
            assert prediction.emoji == "🍴"
            expected = emojify.predict(tab.v1, "lets eat pizza zzqqx")
            assert prediction.probabilities == expected.probabilities
            shown = text_of(app, "#emojify-v1-out")
            assert "food" in shown and "pizza" in shown and "zzqqx" in shown and "%" in shown
            await pilot.press(*["backspace"] * 20)
            await wait_until(pilot, lambda: not tab.last)
            assert "Type a sentence" in text_of(app, "#emojify-v1-out")

    run(scenario())


def test_number_key_opens_the_tab_lazily() -> None:
    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            assert not app.query(EmojifyTab)
            await pilot.press("5")
            await pilot.pause()
            assert app.query_one("#tabs", TabbedContent).active == "emojify"
            tab = await ready(app, pilot)
            assert tab.v1 is not None

    run(scenario())


def test_evaluation_view_shows_confusion_and_mistakes() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="emojify")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await pilot.press("ctrl+n")
            assert app.query_one("#emojify-views", TabbedContent).active == "emo-view-eval"
            assert app.focused is app.query_one("#emojify-eval-csv", Input)  # typing a path types it
            await pilot.press("ctrl+g")
            await wait_until(pilot, lambda: "v1" in tab.evaluation)
            await pilot.pause()
            result = tab.evaluation["v1"]
            direct = emojify.evaluate(tab.v1, emojify.load_test())
            assert result.accuracy == direct.accuracy and result.confusion == direct.confusion
            shown = text_of(app, "#emojify-confusion-v1")
            assert f"{result.accuracy:.1%}" in shown and "recall" in shown
            table = app.query_one("#emojify-mistakes", DataTable)
            assert table.row_count >= len(result.mistakes) > 0
            assert "wrong" in text_of(app, "#emojify-eval-status")

    run(scenario())


def test_a_long_file_shows_its_progress_and_escape_cancels_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from seqtui.tabs.emojify import tab as tab_module
    from seqtui_models.emojify import evaluation

    monkeypatch.setattr(evaluation, "CHUNK", 20)  # many small chunks: room to see progress and to cancel
    monkeypatch.setattr(tab_module, "EVAL_PROGRESS_FROM", 100)
    long = tmp_path / "long.csv"
    rows = emojify.load_test()
    long.write_text("sentence,label\n" + "".join(f'"{s}",{label}\n' for s, label in zip(rows.sentences, rows.labels)) * 60,
                    encoding="utf-8")

    async def scenario() -> None:
        app = SeqtuiApp(tab="emojify")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await pilot.press("ctrl+n")
            app.query_one("#emojify-eval-csv", Input).value = str(long)
            await pilot.press("ctrl+g")
            await wait_until(pilot, lambda: "sentences · escape cancels" in text_of(app, "#emojify-eval-status"))
            assert "/10,920 sentences" in text_of(app, "#emojify-eval-status")
            await pilot.press("escape")
            await wait_until(pilot, lambda: "cancelled" in text_of(app, "#emojify-eval-status"))
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert not tab.evaluation and "cancelled" in text_of(app, "#emojify-eval-status")

    run(scenario())


def test_evaluating_a_bad_csv_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("sentence,label\n", encoding="utf-8")

    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="emojify")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            tab = await ready(app, pilot)
            await pilot.press("ctrl+n")
            app.query_one("#emojify-eval-csv", Input).value = str(bad)
            await pilot.press("ctrl+g")
            await wait_until(pilot, lambda: any(isinstance(m, TaskFailed) for m in seen))
            failure = next(m for m in seen if isinstance(m, TaskFailed))
            assert isinstance(failure.error, DataFileError)
            assert not tab.evaluation

    run(scenario())


def test_add_a_sentence_appends_and_retrains_v1() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="emojify")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            tab.ISOLATE_V1 = False  # a spawned process would only add start-up time here
            old = tab.v1
            await pilot.press("ctrl+n", "ctrl+n")
            assert app.focused is app.query_one("#emojify-add-sentence", Input)
            await type_text(pilot, "my tortoise naps in the sun")
            app.query_one("#emojify-add-label", Select).value = 0
            await pilot.press("ctrl+g")
            await wait_until(pilot, lambda: tab.v1 is not old, timeout=180)  # a retrain: seconds, more on a busy machine
            rows = emojify.read_csv(emojify.user_csv_path())
            assert rows.sentences == ("my tortoise naps in the sun",) and rows.labels.tolist() == [0]
            assert tab.v1.metrics["sentences"] == len(emojify.load_train()) + 1
            assert Path(tab.v1.path).name == "emojify-v1-mine.npz"
            assert app.query_one("#emojify-add-table", DataTable).row_count == 1
            status = text_of(app, "#emojify-add-status")
            assert "retrained" in status and "For your sentence it" in status and "(was " in status
            assert app.query_one("#emojify-add-sentence", Input).value == ""

    run(scenario())


def test_duplicates_and_contradictions_are_refused_and_an_added_sentence_can_be_removed() -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="emojify")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            tab = await ready(app, pilot)
            tab.ISOLATE_V1 = False
            await pilot.press("ctrl+n", "ctrl+n")

            def failure() -> str:
                failed = [m for m in seen if isinstance(m, TaskFailed)]
                return str(failed[-1].error) if failed else ""

            async def add(sentence: str, label: int) -> None:
                old = tab.v1
                app.query_one("#emojify-add-sentence", Input).value = sentence
                app.query_one("#emojify-add-label", Select).value = label
                await pilot.press("ctrl+g")
                await pilot.pause()
                if not any(isinstance(m, TaskFailed) for m in seen):
                    await wait_until(pilot, lambda: tab.v1 is not old, timeout=180)  # a retrain: seconds, more on a busy machine

            await add("my hamster ate my homework", 3)
            assert len(emojify.read_csv(emojify.user_csv_path())) == 1
            await add("My hamster ate my homework!", 3)
            assert "You added this sentence already" in failure()
            seen.clear()
            await add("my hamster ate my homework", 2)
            assert "remove that one first" in failure()
            seen.clear()
            bundled = emojify.load_train()
            await add(bundled.sentences[0], int(bundled.labels[0]))
            assert "bundled training sentences have this one already" in failure()
            assert len(emojify.read_csv(emojify.user_csv_path())) == 1  # nothing of that was written
            seen.clear()
            table = app.query_one("#emojify-add-table", DataTable)
            table.focus()
            await pilot.pause()
            old = tab.v1
            await pilot.press("delete")
            await wait_until(pilot, lambda: tab.v1 is not old, timeout=180)  # a retrain: seconds, more on a busy machine
            assert table.row_count == 0 and "bundled model again" in text_of(app, "#emojify-add-status")
            assert emojify.user_csv_path().read_text(encoding="utf-8").strip() == "sentence,label,emoji"
            assert Path(tab.v1.path).name == "emojify_v1.npz"

    run(scenario())


def test_adding_without_an_emoji_is_refused() -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="emojify")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            await ready(app, pilot)
            await pilot.press("ctrl+n", "ctrl+n")
            await type_text(pilot, "no emoji chosen")
            await pilot.press("ctrl+g")
            await pilot.pause()
            assert any(isinstance(m, TaskFailed) and "emoji" in str(m.error) for m in seen)
            assert not emojify.user_csv_path().exists()

    run(scenario())


def test_train_v1_in_the_panel_replaces_the_model() -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="emojify")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            tab = await ready(app, pilot)
            tab.ISOLATE_V1 = False
            old = tab.v1
            app.query_one("#emojify-epochs", Input).value = "40"
            await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")
            assert app.focused is app.query_one(TrainingPanel)
            await pilot.press("t")
            await wait_until(pilot, lambda: any(isinstance(m, TrainingFinished) for m in seen))
            await wait_until(pilot, lambda: tab.v1 is not old or isinstance(app.screen, ConfirmDialog))
            if isinstance(app.screen, ConfirmDialog):  # 40 epochs score lower than the bundled 300: asked
                await pilot.press("y")
            await wait_until(pilot, lambda: tab.v1 is not old, timeout=180)  # a retrain: seconds, more on a busy machine
            result = next(m for m in seen if isinstance(m, TrainingFinished)).result
            assert result.status == "finished" and result.steps == 40
            assert tab.v1.metrics["epochs"] == 40

    run(scenario())


@pytest.mark.slow
def test_v2_loads_behind_the_indicator_and_answers_too() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="emojify")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await type_text(pilot, "we won the soccer game")
            await wait_until(pilot, lambda: "v1" in tab.last)  # V1 does not wait for TensorFlow
            await tab.wait_ready(v2=True)
            assert tab.v2 is not None
            await wait_until(pilot, lambda: "v2" in tab.last and tab.last["v2"].sentence == "we won the soccer game")
            assert tab.last["v2"].method == "occlusion"
            assert "V2" in text_of(app, "#emojify-v2-out")
            assert "V2 LSTM" in text_of(app, "#emojify-v2-info")

    run(scenario())


def test_escape_leaves_the_field_so_number_keys_switch_tabs() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="emojify")
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(app, pilot)
            await pilot.press("1")  # typed into the sentence: a digit is part of a sentence
            assert app.query_one("#emojify-sentence", Input).value == "1"
            await pilot.press("escape", "2")
            await pilot.pause()
            assert app.query_one("#tabs", TabbedContent).active == "dinos"

    run(scenario())


def test_the_note_says_why_the_models_disagree() -> None:
    from dataclasses import replace

    async def scenario() -> None:
        app = SeqtuiApp(tab="emojify")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            for sentence, why in (("i am not happy", "negation"), ("my flight got cancelled", "average")):
                v1 = emojify.predict(tab.v1, sentence)
                other = (v1.label + 1) % 5
                tab.last = {"v1": v1, "v2": replace(v1, model="v2", label=other, emoji=tab.v1.labels.emoji[other])}
                tab._show_note()
                await pilot.pause()
                shown = text_of(app, "#emojify-note")
                assert "disagree" in shown and why in shown and tab.v1.labels.emoji[other] in shown
            tab.last = {"v1": v1, "v2": replace(v1, model="v2")}
            tab._show_note()
            await pilot.pause()
            assert "Both models say" in text_of(app, "#emojify-note")

    run(scenario())


@pytest.mark.parametrize("answer", ["n", "y"])
def test_a_stopped_run_that_scores_lower_is_adopted_only_if_the_user_says_so(tmp_path: Path, answer: str) -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="emojify")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            tab.ISOLATE_V1 = False
            notes = record_notifications(app)
            old = tab.v1
            assert old.metrics["test_accuracy"] > 0.5
            stopped = RunResult("stopped", 3, 300, 0.1, 1.5, metrics={"test_accuracy": 0.2},
                                model_path=str(old.path), payload={"kind": "v1", "labels": old.labels})
            app.query_one(TrainingPanel).post_message(TrainingFinished(stopped))
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            assert "test accuracy 20.0%" in app.screen.question and f"{old.metrics['test_accuracy']:.1%}" in app.screen.question
            await pilot.press(answer)
            await pilot.pause()
            if answer == "n":
                assert tab.v1 is old  # the stopped file is not even read
                assert any("Still using the current V1 model" in n for n in notes)
            else:
                await wait_until(pilot, lambda: tab.v1 is not old, timeout=180)  # a retrain: seconds, more on a busy machine
                assert any("Now predicting with the new V1 model" in n for n in notes)

    run(scenario())


def test_escape_v_and_ctrl_g_in_every_view() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="emojify")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            views = app.query_one("#emojify-views", TabbedContent)
            await type_text(pilot, "v")  # a letter in the sentence field is part of the sentence
            assert app.query_one("#emojify-sentence", Input).value == "v" and views.active == "emo-view-predict"
            for view, rest in (("emo-view-predict", "#emojify-v1-box"), ("emo-view-eval", "#emojify-mistakes"),
                               ("emo-view-add", "#emojify-add-table")):
                assert views.active == view
                await pilot.press("escape")
                assert app.focused is app.query_one(rest)
                await pilot.press("v")  # no field has the keys: v is the next view
                await pilot.pause()
            assert views.active == "emo-view-train" and app.focused is app.query_one(TrainingPanel)
            await pilot.press("ctrl+n")
            assert views.active == "emo-view-predict"
            await pilot.press("ctrl+n", "ctrl+g")  # Evaluate: ctrl+g evaluates
            await wait_until(pilot, lambda: "v1" in tab.evaluation)
            assert tab.evaluation["v1"].n > 100

    run(scenario())


def test_a_failed_evaluation_clears_the_earlier_figures(tmp_path: Path) -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="emojify")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await pilot.press("ctrl+n", "ctrl+g")
            await wait_until(pilot, lambda: "v1" in tab.evaluation)
            await pilot.pause()
            assert app.query_one("#emojify-mistakes", DataTable).row_count > 0
            app.query_one("#emojify-eval-csv", Input).value = str(tmp_path / "missing.csv")
            await pilot.press("ctrl+g")
            await wait_until(pilot, lambda: "failed" in text_of(app, "#emojify-eval-status"))
            assert not tab.evaluation and app.query_one("#emojify-mistakes", DataTable).row_count == 0
            assert "%" not in text_of(app, "#emojify-confusion-v1")

    run(scenario())


def test_a_sentence_of_unknown_words_gets_no_emoji() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="emojify")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await type_text(pilot, "xzqwv plmoknb")
            await wait_until(pilot, lambda: "v1" in tab.last and tab.last["v1"].sentence == "xzqwv plmoknb")
            assert tab.last["v1"].declined
            shown = text_of(app, "#emojify-v1-out")
            assert "no emoji" in shown and "no word the model knows" in shown and "%" not in shown
            assert "🍴" not in shown

    run(scenario())


def _plain(renderable: Any) -> str:
    from rich.console import Console

    console = Console(width=60, record=True, file=open("/dev/null", "w"))  # noqa: SIM115 - closed with the console
    console.print(renderable)
    return console.export_text()


def test_a_low_confidence_answer_says_not_sure_and_v1_words_pull_towards_the_runner_up_or_away() -> None:
    from seqtui.tabs.emojify.render import render_prediction

    model = emojify.load_model("v1")
    prediction = emojify.predict(model, "are you serious")
    assert prediction.unsure and prediction.confidence < 0.6
    text = _plain(render_prediction(prediction, model.labels, "V1"))
    from seqtui.text import cells_safe

    assert f"not sure ({prediction.confidence:.0%})" in text and f"or {cells_safe(model.labels.emoji[prediction.runner_up])} (−)" in text
    sure = emojify.predict(model, "we won the baseball game")
    assert not sure.unsure and "not sure" not in _plain(render_prediction(sure, model.labels, "V1"))


def test_the_agreement_note_compares_classes_not_label_numbers() -> None:
    from dataclasses import replace

    from seqtui.tabs.emojify.render import disagreement

    v1 = emojify.predict(emojify.load_model("v1"), "my cat sleeps on my lap")
    other = replace(v1, label=(v1.label + 1) % 5)  # the same class under another number (a model with other classes)
    assert "Both models say" in str(disagreement(v1, other))
    differs = replace(v1, emoji="🐶", name="dog")
    assert "disagree" in str(disagreement(v1, differs))


@pytest.mark.parametrize("width", [20, 26, 45])
def test_a_long_sentence_fits_a_narrow_box_with_every_value_whole(width: int) -> None:
    from rich.console import Console
    from rich.cells import cell_len

    from seqtui.tabs.emojify.render import render_prediction

    model = emojify.load_model("v1")
    prediction = emojify.predict(model, "my grandmother and her cooking but the football game was a disaster")
    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(render_prediction(prediction, model.labels, "V1", width))
    lines = console.export_text().splitlines()
    assert max(cell_len(line) for line in lines) <= width
    disaster = next(line for line in lines if line.strip().startswith("disaster"))
    assert f"{prediction.words[-1].contribution:+.2f}" in disaster  # the value is not cut
    assert "\ufe0f" not in console.export_text()  # ❤️ drawn as ❤ and a space: two cells in every terminal


@pytest.mark.parametrize("width", [28, 40, 60])
def test_a_confusion_matrix_of_big_counts_fits_its_width_without_cutting_a_number(width: int) -> None:
    from dataclasses import replace

    from rich.cells import cell_len
    from rich.console import Console

    from seqtui.tabs.emojify.render import compact_count, render_confusion

    result = emojify.evaluate(emojify.load_model("v1"), emojify.load_test())
    big = replace(result, confusion=tuple(tuple(x * 1471 for x in row) for row in result.confusion), n=result.n * 1471)
    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(render_confusion(big, "V1", width))
    text = console.export_text()
    assert max(cell_len(line.rstrip()) for line in text.splitlines()) <= width
    assert "…" not in text and compact_count(big.confusion[0][0]) in text
    assert [compact_count(n) for n in (147, 9999, 14_710, 147_100, 2_500_000)] == ["147", "9999", "15k", "147k", "2.5M"]
