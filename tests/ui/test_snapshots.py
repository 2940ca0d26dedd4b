"""Snapshots of the tabs at the smallest supported and a roomy terminal size.

Update the baselines only after looking at them: `pytest tests/ui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from seqtui.app import SeqtuiApp
from seqtui.tabs.cells import CellsTab
from ui_helpers import tab_ready, wait_until


async def settle(pilot: Any) -> None:
    """Wait for the first forward pass and the hidden views."""
    app = pilot.app
    await app.workers.wait_for_complete()
    await app.query_one(CellsTab).wait_ready()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_cells_step_view(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("right", "right")
        await pilot.pause()

    assert snap_compare(SeqtuiApp(tab="cells"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_cells_gradient_check_view(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        # relative errors differ in their last digits across BLAS builds: show the verdicts only
        table = pilot.app.query_one("#check-table")
        for row_key in list(table.rows):
            table.update_cell(row_key, table.ordered_columns[2].key, "< 1e-7")
        await pilot.pause()

    assert snap_compare(SeqtuiApp(tab="cells"), terminal_size=size, run_before=run_before)


async def names_laid_out(pilot: Any) -> None:
    """The names table sizes its columns on an idle pass after new rows: wait for it."""
    table = pilot.app.query_one("#dinos-names-table")
    for _ in range(100):
        await pilot.pause(0.02)
        if table.row_count and table.ordered_columns[0].content_width > len("name"):
            break
    await pilot.pause(0.1)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_dinos_sample_view(snap_compare: Any, size: tuple[int, int]) -> None:
    from seqtui.tabs.dinos import DinosTab

    async def run_before(pilot: Any) -> None:
        await pilot.app.query_one(DinosTab).wait_ready()
        await pilot.app.workers.wait_for_complete()
        await names_laid_out(pilot)

    assert snap_compare(SeqtuiApp(tab="dinos"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_dinos_inside_view(snap_compare: Any, size: tuple[int, int]) -> None:
    from seqtui.tabs.dinos import DinosTab

    async def run_before(pilot: Any) -> None:
        await pilot.app.query_one(DinosTab).wait_ready()
        await pilot.app.workers.wait_for_complete()
        await pilot.press("b")
        await pilot.app.workers.wait_for_complete()
        await pilot.press("i")
        await pilot.pause(0.3)

    assert snap_compare(SeqtuiApp(tab="dinos"), terminal_size=size, run_before=run_before)


async def vectors_view(pilot: Any, view: str) -> None:
    """Open a view of the vectors tab once the vectors are loaded and it has answered; no blinking cursor."""
    from textual.widgets import Input

    from seqtui.tabs.vectors import VectorsTab

    pilot.app.animation_level = "none"  # the views' underline jumps to its place instead of sliding
    tab = pilot.app.query_one(VectorsTab)
    await tab.wait_ready()
    await pilot.app.workers.wait_for_complete()
    tab.show_view(view)
    for field in pilot.app.query(Input):
        field.cursor_blink = False
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await underline_placed(pilot, "#vectors-views ContentTabs")


async def underline_placed(pilot: Any, tabs_selector: str) -> None:
    """Wait until the underline of a strip of tabs sits under the active tab.

    Tabs places its underline after a refresh, from the active tab's region; right after a
    switch that region may not be laid out yet, and the underline then stays where it was
    until the strip is resized. So: resize it (there and back), then wait for the underline,
    asking for a refresh each time (with no cursor blinking nothing else refreshes the screen).
    """
    from textual.widgets import Tabs

    tabs = pilot.app.query_one(tabs_selector, Tabs)
    underline = tabs.query_one("Underline")

    def placed() -> bool:
        active = tabs.active_tab
        if active is None:
            return False
        span = active.virtual_region.shrink(active.styles.gutter).column_span
        return bool(underline.show_highlight) and (underline.highlight_start, underline.highlight_end) == span

    width, height = pilot.app.size
    await pilot.resize_terminal(width + 1, height)
    await pilot.pause()
    await pilot.resize_terminal(width, height)
    for _ in range(100):
        await pilot.pause(0.05)
        if placed():
            break
        pilot.app.screen.refresh()
    assert placed(), "the underline never reached the active tab"
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_vectors_similarity_view(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await vectors_view(pilot, "view-similarity")

    assert snap_compare(SeqtuiApp(tab="vectors"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_vectors_analogy_view(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await vectors_view(pilot, "view-analogy")

    assert snap_compare(SeqtuiApp(tab="vectors"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_vectors_projection_view(snap_compare: Any, size: tuple[int, int]) -> None:
    """king's neighbourhood on its two principal components; the arrow has moved to another word,
    whose nearest words (in all dimensions) are highlighted and listed."""

    async def run_before(pilot: Any) -> None:
        from textual.widgets import Static

        from seqtui.widgets.scatter_plot import ScatterPlot

        await vectors_view(pilot, "view-map")
        plot = pilot.app.query_one(ScatterPlot)
        plot.focus()
        await pilot.press("right")
        selected = plot.labels[plot.selected]
        assert plot.selected != 0
        await wait_until(pilot, lambda: str(pilot.app.query_one("#map-side", Static).render()).startswith(selected))
        await pilot.pause()

    assert snap_compare(SeqtuiApp(tab="vectors"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_vectors_bias_view(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await vectors_view(pilot, "view-bias")

    assert snap_compare(SeqtuiApp(tab="vectors"), terminal_size=size, run_before=run_before)



def _still_fields(pilot: Any) -> None:
    from textual.widgets import Input

    pilot.app.animation_level = "none"
    for field in pilot.app.query(Input):
        field.cursor_blink = False


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_emojify_predict_view(snap_compare: Any, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    from seqtui.tabs.emojify import EmojifyTab

    monkeypatch.setattr(EmojifyTab, "LOAD_V2", False)  # V1 only: no TensorFlow, numbers the same on any BLAS

    async def run_before(pilot: Any) -> None:
        tab = pilot.app.query_one(EmojifyTab)
        await tab.wait_ready()
        _still_fields(pilot)
        # the sentence field takes the focus once the tab has settled
        await wait_until(pilot, lambda: getattr(pilot.app.focused, "id", None) == "emojify-sentence")
        await pilot.press(*"lets eat pizza tonight")
        await wait_until(pilot, lambda: "v1" in tab.last and tab.last["v1"].sentence == "lets eat pizza tonight")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(SeqtuiApp(tab="emojify"), terminal_size=size, run_before=run_before)


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_dates_translate_view(snap_compare: Any, size: tuple[int, int]) -> None:
    from seqtui.tabs.dates import DatesTab, TranslateView

    async def run_before(pilot: Any) -> None:
        await tab_ready(pilot, DatesTab)
        view = pilot.app.query_one(TranslateView)
        await wait_until(pilot, lambda: view.translation is not None)
        _still_fields(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(SeqtuiApp(tab="dates"), terminal_size=size, run_before=run_before)


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_jazz_improvise_view(snap_compare: Any, size: tuple[int, int]) -> None:
    from seqtui.tabs.jazz import JazzTab

    async def run_before(pilot: Any) -> None:
        tab = await tab_ready(pilot, JazzTab)
        _still_fields(pilot)
        await pilot.app.workers.wait_for_complete()
        # the only clock on screen: "made in N ms"
        tab.improvisation = dataclasses.replace(tab.improvisation, seconds=0.05)
        await pilot.pause()

    assert snap_compare(SeqtuiApp(tab="jazz"), terminal_size=size, run_before=run_before)
