"""The vectors tab driven by keyboard: the course's cases, restricted analogies, the bias lab, the benchmark."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from textual.message import Message
from textual.widgets import DataTable, Input, Select, TabbedContent

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.word_vectors import WordVectors
from seqtui_models.vectors import evaluate_analogies, load_vectors
from seqtui.app import SeqtuiApp
from seqtui.messages import TaskFailed
from seqtui.tabs.vectors import InvalidField, VectorsTab, VectorsView
from seqtui.tabs.vectors.benchmark import BenchmarkView
from seqtui.tabs.vectors.bias import BiasView
from ui_helpers import record_notifications, run, text_of, wait_until


async def ready(app: SeqtuiApp, pilot: Any) -> VectorsTab:
    tab = app.query_one(VectorsTab)
    await tab.wait_ready()
    await settle(app, pilot)
    return tab


async def settle(app: SeqtuiApp, pilot: Any) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def show(app: SeqtuiApp, pilot: Any, view: str) -> None:
    """Show ``view`` (its first query runs) and wait for its results."""
    app.query_one(VectorsTab).show_view(view)
    await settle(app, pilot)
    assert app.query_one("#vectors-views", TabbedContent).active == view


async def type_in(app: SeqtuiApp, pilot: Any, selector: str, text: str) -> None:
    """Focus a field, put ``text`` in it and press enter."""
    field = app.query_one(selector, Input)
    field.focus()
    field.value = text
    await pilot.press("enter")
    await settle(app, pilot)


def column(app: SeqtuiApp, selector: str, index: int) -> list[str]:
    table = app.query_one(selector, DataTable)
    return [str(table.get_row_at(i)[index]) for i in range(table.row_count)]


def test_similarity_opens_at_once_and_compares_what_is_typed() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(app, pilot)
            assert app.focused is app.query_one("#sim-a")  # typing works at once
            assert "0.8909" in text_of(app, "#sim-result")  # father / mother, the course's figure
            await pilot.press("tab", *["backspace"] * 6, *"crocodile", "enter")
            await settle(app, pilot)
            assert app.query_one("#sim-b", Input).value == "crocodile"
            await type_in(app, pilot, "#sim-a", "ball")
            assert "0.2744" in text_of(app, "#sim-result")
            assert column(app, "#sim-table", 2)[-1] == "+0.2744"

    run(scenario())


def test_number_key_opens_the_tab_lazily() -> None:
    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            assert not app.query(VectorsTab)
            await pilot.press("4")
            await pilot.pause()
            assert app.query_one("#tabs", TabbedContent).active == "vectors"
            await ready(app, pilot)
            assert "GloVe 6B 50d" in text_of(app, "#vectors-status")

    run(scenario())


def test_the_course_analogies() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(app, pilot)
            await pilot.press("ctrl+n")  # Similarity → Analogy, which answers its example at once
            await settle(app, pilot)
            assert app.query_one("#vectors-views", TabbedContent).active == "view-analogy"
            assert app.focused is app.query_one("#analogy-a")
            assert column(app, "#analogy-table", 1)[0] == "girl"  # man : woman :: boy : ?
            for selector, word in (("#analogy-a", "italy"), ("#analogy-b", "italian"), ("#analogy-c", "spain")):
                app.query_one(selector, Input).value = word
            await type_in(app, pilot, "#analogy-top", "3")
            assert column(app, "#analogy-table", 1) [0] == "spanish"
            assert app.query_one("#analogy-table", DataTable).row_count == 3
            await pilot.press("ctrl+t")  # 3CosMul
            await settle(app, pilot)
            assert str(app.query_one("#analogy-method", Select).value) == "mul"
            assert column(app, "#analogy-table", 1)[0] == "spanish"
            await pilot.press("ctrl+t")  # the course's complete_analogy
            await settle(app, pilot)
            assert "complete_analogy" in str(app.query_one("#analogy-table", DataTable).border_title)
            assert column(app, "#analogy-table", 1)[0] == "spanish"

    run(scenario())


def test_unrestricted_analogy_reveals_the_hidden_input_word() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await show(app, pilot, "view-analogy")
            for selector, word in (("#analogy-a", "man"), ("#analogy-b", "king"), ("#analogy-c", "woman")):
                app.query_one(selector, Input).value = word
            await pilot.press("ctrl+g")
            await settle(app, pilot)
            assert column(app, "#analogy-table", 1)[0] == "queen"
            note = text_of(app, "#analogy-note")
            assert "'king'" in note and "Nissim" in note
            await pilot.press("ctrl+r")
            await settle(app, pilot)
            assert not tab.restricted
            words = column(app, "#analogy-table", 1)
            assert words[:2] == ["king", "queen"]
            assert column(app, "#analogy-table", 4)[0] == "an input word"
            assert "unrestricted" in text_of(app, "#analogy-settings")

    run(scenario())


def test_neighbours_of_an_expression_and_of_a_word_from_a_table() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(app, pilot)
            await show(app, pilot, "view-neighbours")
            words = column(app, "#nb-table", 1)
            assert words[0] == "queen" and len(words) == 10  # king - man + woman
            assert not {"king", "man", "woman"} & set(words)
            app.query_one("#nb-table").focus()
            await pilot.press("down", "enter")  # the neighbours of "throne"
            await settle(app, pilot)
            assert app.query_one("#nb-query", Input).value == words[1]
            assert words[1] not in column(app, "#nb-table", 1)

    run(scenario())


def test_odd_one_out() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(app, pilot)
            await show(app, pilot, "view-odd")
            assert text_of(app, "#odd-result").startswith("cereal")
            await type_in(app, pilot, "#odd-words", "france germany banana italy")
            assert text_of(app, "#odd-result").startswith("banana")
            assert column(app, "#odd-table", 0)[-1] == "banana"
            assert column(app, "#odd-table", 3)[-1] == "odd one out"
            notified = record_notifications(app)
            await type_in(app, pilot, "#odd-words", "france xyzzyq germany banana italy")
            assert text_of(app, "#odd-result").startswith("banana")  # the unknown word is left out, not fatal
            assert "xyzzyq" not in column(app, "#odd-table", 0) and any("left out: xyzzyq" in n for n in notified)

    run(scenario())


def test_bias_lab_projects_a_preset_neutralizes_and_equalizes() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(app, pilot)
            await show(app, pilot, "view-bias")
            bias = app.query_one(BiasView)
            assert bias.projected is not None
            projections = bias.projected.projections
            assert [p.word for p in projections][:3] == ["lipstick", "guns", "science"]
            lipstick = next(p for p in projections if p.word == "lipstick")
            assert lipstick.cosine > 0.25  # towards "woman"
            neutral = bias.neutralized
            assert neutral is not None
            assert neutral.word == "receptionist"
            assert abs(neutral.cos_before - 0.3308) < 1e-4 and abs(neutral.cos_after) < 1e-10
            equal = bias.equalized
            assert equal is not None
            assert equal.pair == ("man", "woman")
            assert abs(equal.cos_before[0] + 0.117) < 1e-3 and abs(equal.cos_before[1] - 0.357) < 1e-3
            assert abs(equal.cos_after[0] + 0.700) < 1e-3 and abs(equal.cos_after[1] - 0.700) < 1e-3
            steps = text_of(app, "#bias-steps")
            assert "+0.3308" in steps and "-0.7004" in steps and "+0.7004" in steps
            app.query_one("#bias-preset", Select).value = "names"
            await settle(app, pilot)
            assert [p.word for p in bias.projected.projections][:2] == ["john", "marie"]
            assert "names preset" in text_of(app, "#bias-chart")
            await type_in(app, pilot, "#bias-axis", "young old")
            assert "young − old" in text_of(app, "#bias-chart")

    run(scenario())


def test_benchmark_matches_the_backend() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(app, pilot)
            await show(app, pilot, "view-bench")
            bench = app.query_one(BenchmarkView)
            await type_in(app, pilot, "#bench-restrict", "5000")
            await wait_until(pilot, lambda: bench.report is not None)
            await settle(app, pilot)
            expected = evaluate_analogies(load_vectors(), restrict_vocab=5000)
            assert bench.report is not None
            assert (bench.report.correct, bench.report.total) == (expected.correct, expected.total)
            assert f"{expected.accuracy:.2%}" in text_of(app, "#bench-status")
            assert app.query_one("#bench-table", DataTable).row_count == len(expected.sections)
            tab = app.query_one(VectorsTab)
            wv = tab.wv
            tab.wv = WordVectors(words=wv.words[:3000], vectors=np.array(wv.vectors[:3000]), source="small")
            await pilot.pause()
            assert bench.report is None and app.query_one("#bench-table", DataTable).row_count == 0
            assert "new vectors (small)" in text_of(app, "#bench-status")  # GloVe's figures are not shown as theirs

    run(scenario())


def test_an_unknown_word_is_marked_with_a_suggestion_not_a_crash() -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            await ready(app, pilot)
            notified = record_notifications(app)
            field = app.query_one("#sim-a", Input)
            field.value = ""
            await pilot.press(*"fathr", "enter")
            await settle(app, pilot)
            failures = [m for m in seen if isinstance(m, TaskFailed)]
            assert failures and isinstance(failures[0].error, InvalidField)
            assert not notified  # said once, in the hint under the field — not again as a notification
            assert "did you mean 'father'" in failures[0].error.message.lower()
            assert field.has_class("-invalid")
            assert "father" in text_of(app, "#sim-hint")
            await pilot.press("backspace", "e", "r", "enter")  # fathr → father
            await settle(app, pilot)
            assert not field.has_class("-invalid")
            assert "0.8909" in text_of(app, "#sim-result")
            # the same in an expression, in the bias lab and in a bad axis
            await show(app, pilot, "view-neighbours")
            await type_in(app, pilot, "#nb-query", "king - qqxqzv")
            assert app.query_one("#nb-query", Input).has_class("-invalid")
            await show(app, pilot, "view-bias")
            await type_in(app, pilot, "#bias-axis", "woman")
            assert app.query_one("#bias-axis", Input).has_class("-invalid")
            assert all(isinstance(m.error, InvalidInput) for m in seen if isinstance(m, TaskFailed))
            assert app.is_running

    run(scenario())


def test_load_another_vector_file_and_a_bad_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # the file is typed as ~/small.txt
    small = tmp_path / "small.txt"
    wv = load_vectors()
    small.write_text("".join(f"{w} " + " ".join(f"{x:.5f}" for x in wv.vectors[i]) + "\n"
                             for i, w in enumerate(wv.words[:2000])))
    bad = tmp_path / "bad.txt"
    bad.write_text("hello 0.1 0.2\nworld 0.3\n")

    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            tab = await ready(app, pilot)
            await show(app, pilot, "view-file")
            await type_in(app, pilot, "#file-path", str(bad))
            failures = [m for m in seen if isinstance(m, TaskFailed)]
            assert failures and "line 2" in str(failures[0].error)
            assert app.query_one("#file-path", Input).has_class("-invalid")
            assert tab.wv is not None and len(tab.wv) == 400_000  # still the default vectors
            await type_in(app, pilot, "#file-path", "~/small.txt")
            assert tab.wv is not None and len(tab.wv) == 2000
            assert "small.txt" in text_of(app, "#vectors-status")
            await show(app, pilot, "view-similarity")
            await type_in(app, pilot, "#sim-a", "father")
            assert "0.8909" in text_of(app, "#sim-result")
            await show(app, pilot, "view-file")
            await type_in(app, pilot, "#file-path", "")
            assert len(tab.wv) == 400_000

    run(scenario())


@pytest.mark.parametrize("view", ["view-bench"])
def test_escape_cancels_the_benchmark(view: str) -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(app, pilot)
            await show(app, pilot, view)
            bench = app.query_one(BenchmarkView)
            app.query_one("#bench-restrict", Input).value = "0"  # all 400,000 words: several seconds
            await pilot.press("ctrl+g")
            await pilot.pause(0.3)
            assert bench.busy
            await pilot.press("escape")
            await settle(app, pilot)
            assert bench.report is None and not bench.busy
            assert "cancelled" in text_of(app, "#bench-status")
            await pilot.press("escape")  # nothing to cancel: leaves the field
            assert app.focused is app.query_one("#bench-table")

    run(scenario())


def test_escape_leaves_each_views_field_for_its_results_and_v_cycles_the_views() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            for i, view in enumerate(tab.VIEWS):
                assert tab.views.active == view.id
                field = app.query_one(view.focus, Input)
                assert app.focused is field  # each view gives the keyboard to its first field
                before = field.value
                await pilot.press("v")  # a letter typed in a field is text (a number field drops it), not a key
                assert tab.views.active == view.id and app.focused is field
                field.value = before
                await pilot.press("escape")
                assert app.focused is app.query_one(view.rest)
                await pilot.press("v")  # outside a field: the next view
                await settle(app, pilot)
                assert tab.views.active == tab.VIEWS[(i + 1) % len(tab.VIEWS)].id
            await pilot.press("ctrl+n")  # from a field too
            await settle(app, pilot)
            assert tab.views.active == tab.VIEWS[1].id
            await pilot.press("escape", "1")
            assert app.query_one("#tabs", TabbedContent).active == "cells"

    run(scenario())


def test_ctrl_g_asks_the_views_question_without_enter() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(app, pilot)
            app.query_one("#sim-a", Input).value = "ball"
            app.query_one("#sim-b", Input).value = "crocodile"
            await pilot.press("ctrl+g")
            await settle(app, pilot)
            assert "0.2744" in text_of(app, "#sim-result")
            await show(app, pilot, "view-odd")
            app.query_one("#odd-words", Input).value = "paris london berlin banana"
            await pilot.press("ctrl+g")
            await settle(app, pilot)
            assert text_of(app, "#odd-result").startswith("banana")
            await show(app, pilot, "view-bias")
            app.query_one("#bias-axis", Input).value = "he she"
            await pilot.press("ctrl+g")
            await settle(app, pilot)
            assert "g = he − she" in text_of(app, "#bias-chart")
            bias = app.query_one(BiasView)
            assert bias.neutralized is not None and abs(bias.neutralized.cos_after) < 1e-10

    run(scenario())


def test_the_odd_one_out_of_two_words_is_refused_at_the_field() -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            await ready(app, pilot)
            await show(app, pilot, "view-odd")
            await type_in(app, pilot, "#odd-words", "france, banana")
            failures = list({id(m): m.error for m in seen if isinstance(m, TaskFailed)}.values())
            assert len(failures) == 1 and isinstance(failures[0], InvalidField)
            assert failures[0].field == "odd-words" and "three words or more" in failures[0].message
            assert app.query_one("#odd-words", Input).has_class("-invalid")
            assert "got 2: france banana" in text_of(app, "#odd-hint")
            assert column(app, "#odd-table", 0)[-1] == "cereal"  # the last answer stays
            await type_in(app, pilot, "#odd-words", "france, banana, germany")
            assert not app.query_one("#odd-words", Input).has_class("-invalid")
            assert column(app, "#odd-table", 0)[-1] == "banana"

    run(scenario())


def test_enter_on_a_word_of_the_analogy_or_odd_table_shows_its_neighbours() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await show(app, pilot, "view-analogy")
            app.query_one("#analogy-table").focus()
            await pilot.press("enter")  # girl
            await settle(app, pilot)
            assert tab.views.active == "view-neighbours"
            assert app.query_one("#nb-query", Input).value == "girl"
            assert column(app, "#nb-table", 1)[0] == "boy"
            await show(app, pilot, "view-odd")
            app.query_one("#odd-table").focus()
            await pilot.press("down", "down", "down", "enter")  # cereal, the odd one out
            await settle(app, pilot)
            assert tab.views.active == "view-neighbours"
            assert app.query_one("#nb-table", DataTable).border_title == "nearest to cereal"
            app.query_one("#nb-table").focus()
            await pilot.press("enter")  # a walk: the neighbours of the first neighbour, keys still in the table
            await settle(app, pilot)
            assert app.focused is app.query_one("#nb-table")
            assert app.query_one("#nb-query", Input).value != "cereal"

    run(scenario())


def test_neighbours_mark_input_words_and_say_what_a_restriction_hid() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await show(app, pilot, "view-neighbours")
            note = text_of(app, "#nb-note")
            assert "'king' (0.8854) would come first" in note  # king - man + woman
            assert tab.check_action("toggle_restricted", ()) and not tab.check_action("cycle_method", ())
            await pilot.press("ctrl+r")
            await settle(app, pilot)
            assert not tab.restricted and "unrestricted" in text_of(app, "#nb-settings")
            assert column(app, "#nb-table", 1)[:2] == ["king", "queen"]
            assert column(app, "#nb-table", 4)[0] == "an input word"
            assert "Unrestricted" in text_of(app, "#nb-note")
            await show(app, pilot, "view-analogy")  # the restriction reaches the other view too
            assert "unrestricted" in text_of(app, "#analogy-settings")
            assert "Unrestricted" in text_of(app, "#analogy-note")
            await show(app, pilot, "view-similarity")
            assert not tab.check_action("toggle_restricted", ()) and not tab.check_action("cycle_method", ())

    run(scenario())


def test_ctrl_t_cycles_the_method_of_the_bias_lab_and_the_benchmark() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(app, pilot)
            await show(app, pilot, "view-bias")
            app.query_one("#bias-axis", Input).value = "bolukbasi"
            await pilot.press("ctrl+t")
            await settle(app, pilot)
            assert str(app.query_one("#bias-method", Select).value) == "pca"
            assert "pca" in text_of(app, "#bias-chart") and "first component" in text_of(app, "#bias-chart")
            await show(app, pilot, "view-bench")
            await pilot.press("ctrl+t")
            assert str(app.query_one("#bench-method", Select).value) == "mul"
            assert app.query_one(BenchmarkView).report is None  # choosing a method does not start a run

    run(scenario())


def test_escape_cancels_loading_a_file_and_the_vectors_in_use_stay(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    vector = " ".join(["0.125"] * 50)
    big.write_text("".join(f"w{i} {vector}\n" for i in range(300_000)))

    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await show(app, pilot, "view-file")
            default = tab.wv
            field = app.query_one("#file-path", Input)
            field.value = str(big)
            await pilot.press("enter")
            await wait_until(pilot, lambda: "words read" in text_of(app, "#file-status"))
            assert tab.check_action("cancel", ())
            await pilot.press("escape")
            await settle(app, pilot)
            assert "cancelled" in text_of(app, "#file-status")
            assert tab.wv is default and all(view.wv is default for view in app.query(VectorsView))
            assert not tab.check_action("cancel", ())
            assert app.focused is field  # the first escape cancelled; the next one leaves the field
            await pilot.press("escape")
            assert app.focused is app.query_one("#file-scroll")

    run(scenario())


def test_projection_maps_a_neighbourhood_and_walks_it_by_keyboard() -> None:
    from seqtui.widgets.scatter_plot import ScatterPlot

    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(100, 32)) as pilot:
            await ready(app, pilot)
            await show(app, pilot, "view-map")
            plot = app.query_one(ScatterPlot)
            assert plot.labels[0] == "king" and len(plot.labels) == 30 and plot.selected == 0
            assert "neighbourhood of king" in str(plot.border_title)
            assert "PC1" in str(plot.border_subtitle)
            await wait_until(pilot, lambda: text_of(app, "#map-side").startswith("king"))
            assert "prince" in text_of(app, "#map-side")  # king's nearest word, in all 50 dimensions
            nearest = {plot.labels[i] for i in plot.highlighted}
            assert "prince" in nearest and len(nearest) == 5
            # the keyboard: escape leaves the field for the plot, an arrow moves to another word
            await pilot.press("escape")
            assert app.focused is plot
            moved_to = set()
            for key in ("right", "up", "left", "down"):
                await pilot.press(key)
                moved_to.add(plot.labels[plot.selected])
            assert moved_to - {"king"}
            word = plot.labels[plot.selected]
            await wait_until(pilot, lambda: text_of(app, "#map-side").startswith(word))
            # enter maps the selected word's neighbourhood, and the keyboard stays on the plot
            await pilot.press("enter")
            await settle(app, pilot)
            assert app.query_one("#map-words", Input).value == word
            assert plot.labels[0] == word and f"neighbourhood of {word}" in str(plot.border_title)
            assert app.focused is plot

    run(scenario())


def test_projection_on_a_bias_axis_and_its_errors() -> None:
    from seqtui.widgets.scatter_plot import ScatterPlot

    async def scenario() -> None:
        app = SeqtuiApp(tab="vectors")
        async with app.run_test(size=(100, 32)) as pilot:
            await ready(app, pilot)
            await show(app, pilot, "view-map")
            notified = record_notifications(app)
            app.query_one("#map-axis", Input).value = "woman man"
            await type_in(app, pilot, "#map-words", "king queen man woman zzqx")
            plot = app.query_one(ScatterPlot)
            x = {label: point[0] for label, point in zip(plot.labels, plot.points)}
            assert set(x) == {"king", "queen", "man", "woman"}
            assert x["queen"] > x["king"] and x["woman"] > x["man"]  # x is woman − man
            assert "woman − man" in str(plot.border_subtitle)
            assert any("zzqx" in n for n in notified)  # an unknown word is left out, and said
            await type_in(app, pilot, "#map-axis", "woman")
            assert app.query_one("#map-axis", Input).has_class("-invalid")
            assert "pair of words" in text_of(app, "#map-hint")
            assert set(plot.labels) == {"king", "queen", "man", "woman"}  # the last map stays
            app.query_one("#map-axis", Input).value = "pca"
            await type_in(app, pilot, "#map-size", "2")
            assert app.query_one("#map-size", Input).has_class("-invalid")
            assert not app.query_one("#map-axis", Input).has_class("-invalid")

    run(scenario())
