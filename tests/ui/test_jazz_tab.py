"""The jazz tab driven by keyboard: improvise, tweak, play, export, pick tracks of a MIDI file, train."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.message import Message
from textual.widgets import DataTable, Input, Static, TabbedContent

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.core.training import RunResult
from seqtui.app import SeqtuiApp
from seqtui.messages import TaskFailed, TrainingFinished
from seqtui.tabs.jazz import JazzTab
from seqtui.tabs.jazz.solo import SoloView
from seqtui.tabs.jazz.stats import stats_line, stats_table
from seqtui.tabs.jazz.tab import learned_same_music
from seqtui.widgets.dialogs import ConfirmDialog
from seqtui.widgets.piano_roll import PianoRoll
from seqtui.widgets.training_panel import TrainingPanel
from ui_helpers import record_notifications, run, wait_until
from music_files import write_band

pytestmark = pytest.mark.slow  # Keras and music21 load when the tab opens

async def ready(app: SeqtuiApp, pilot: Any) -> JazzTab:
    tab = app.query_one(JazzTab)
    await asyncio.wait_for(tab.wait_ready(), 120)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return tab


@asynccontextmanager
async def jazz_app(seen: list[Message] | None = None, **options: Any) -> AsyncIterator[tuple[SeqtuiApp, Any, JazzTab]]:
    """The app on the jazz tab (120×40 unless ``size`` says), once its first solo is shown."""
    app = SeqtuiApp(tab="jazz")
    options.setdefault("size", (120, 40))
    async with app.run_test(message_hook=seen.append if seen is not None else None, **options) as pilot:
        yield app, pilot, await ready(app, pilot)


async def type_into(app: SeqtuiApp, pilot: Any, selector: str, text: str) -> None:
    box = app.query_one(selector, Input)
    box.focus()
    box.value = ""
    await pilot.press(*list(text))
    await pilot.press("enter")


def test_opens_with_key_3_and_improvises_at_once() -> None:
    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            assert not app.query(JazzTab)  # not built at start-up
            await pilot.press("3")
            await pilot.pause()
            assert app.query_one("#tabs", TabbedContent).active == "jazz"
            tab = await ready(app, pilot)
            roll = app.query_one("#jazz-roll", PianoRoll)
            assert roll.solo is tab.improvisation.solo and roll.solo.melody
            assert app.focused is roll
            assert "Maple Leaf Rag" in str(app.query_one("#jazz-model").render())

    run(scenario())


def test_keys_improvise_and_change_temperature_and_bars() -> None:
    async def scenario() -> None:
        async with jazz_app() as (app, pilot, tab):
            first = tab.improvisation
            await pilot.press("g")
            await wait_until(pilot, lambda: tab.improvisation is not first)
            assert tab.improvisation.config.seed == first.config.seed + 1
            seed = tab.improvisation.config.seed
            await pilot.press("comma", "comma")
            await wait_until(pilot, lambda: tab.improvisation.config.temperature == 0.5)
            assert app.query_one("#jazz-temperature", Input).value == "0.5"
            assert tab.improvisation.config.seed == seed  # the same solo at another temperature
            await pilot.press("plus")
            await wait_until(pilot, lambda: tab.improvisation.config.bars == 12)
            assert tab.improvisation.solo.bars == 12 and tab.improvisation.config.seed == seed
            await pilot.press("g")
            await wait_until(pilot, lambda: tab.improvisation.config.seed != seed)  # g: a new one

    run(scenario())


def test_typed_chords_and_a_clear_message_for_a_bad_one() -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        async with jazz_app(seen) as (app, pilot, tab):
            await type_into(app, pilot, "#jazz-chords", "Dm7 G7 Cmaj7 A7")
            await wait_until(pilot, lambda: tab.improvisation.chords.startswith("Dm7 | G7"))
            assert [c.symbol for c in tab.improvisation.solo.chords[:4]] == ["Dm7", "G7", "Cmaj7", "A7"]
            await type_into(app, pilot, "#jazz-chords", "Dm7 Q7")
            await pilot.pause()
            failures = [m for m in seen if isinstance(m, TaskFailed)]
            assert failures and isinstance(failures[-1].error, InvalidInput) and "Q7" in str(failures[-1].error)

    run(scenario())


def test_no_chord_is_typed_like_any_chord_and_shown_on_the_roll() -> None:
    async def scenario() -> None:
        async with jazz_app() as (app, pilot, tab):
            await type_into(app, pilot, "#jazz-chords", "C7 | N.C. | F7")
            await wait_until(pilot, lambda: tab.improvisation.chords.startswith("C7 | N.C. | F7"))
            assert not app.query_one("#jazz-chords").has_class("-invalid")
            roll = app.query_one("#jazz-roll", PianoRoll)
            assert roll.solo is not None and [c.symbol for c in roll.solo.chords[:3]] == ["C7", "N.C.", "F7"]
            assert "N.C." in str(roll.render()).split("\n")[0]

    run(scenario())


def test_play_moves_the_playhead_and_exports_write_files(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with jazz_app() as (app, pilot, tab):
            app.query_one("#jazz-save", Input).value = str(tmp_path / "take")
            roll = app.query_one("#jazz-roll", PianoRoll)
            roll.focus()
            solo = app.query_one(SoloView)
            await pilot.press("space")
            await app.workers.wait_for_complete()
            await pilot.pause()
            if solo.player is not None and solo.player.error is None:  # audio works (ALSA's null device)
                await wait_until(pilot, lambda: roll.playhead is not None and roll.playhead > 0.2)
                await pilot.press("space")  # stop
                await pilot.pause()
                assert not solo.player.playing and roll.playhead is None
            else:  # no audio here: said once, and the solo kept as a WAV
                assert (tmp_path / "take.wav").is_file()
            await pilot.press("m", "w")
            await pilot.pause()
            assert (tmp_path / "take.mid").is_file() and (tmp_path / "take.wav").is_file()

    run(scenario())


def test_default_export_names_differ_between_solos_and_pair_the_midi_with_its_wav(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with jazz_app() as (app, pilot, tab):
            app.query_one("#jazz-save", Input).value = str(tmp_path) + "/"
            first = tab.improvisation
            await pilot.press("m", "w")
            await pilot.pause()
            await pilot.press("full_stop")  # the same seed, another temperature: another solo
            await wait_until(pilot, lambda: tab.improvisation is not first)
            await pilot.press("m")
            await pilot.pause()
            mids, wavs = sorted(tmp_path.glob("*.mid")), sorted(tmp_path.glob("*.wav"))
            assert len(mids) == 2 and len(wavs) == 1  # nothing overwritten
            assert wavs[0].stem in {m.stem for m in mids}  # the WAV has its MIDI's name: the same solo
            assert all(f"-s{first.config.seed}-" in m.stem for m in mids)

    run(scenario())


def test_tracks_of_a_midi_file_are_picked_with_the_keyboard_and_trained_on(tmp_path: Path) -> None:
    path = write_band(tmp_path / "band.mid")

    async def scenario() -> None:
        seen: list[Message] = []
        async with jazz_app(seen) as (app, pilot, tab):
            await pilot.press("f")
            assert app.focused is app.query_one("#jazz-file")
            await pilot.press(*list(str(path)), "enter")
            await wait_until(pilot, lambda: tab.music is not None)
            table = app.query_one("#jazz-tracks", DataTable)
            assert table.row_count == 3 and tab.melody_track == 1  # the heuristic's pick
            assert app.focused is table
            await pilot.press("down", "enter")  # track 2 as the melody
            assert tab.melody_track == 2
            await pilot.press("c")  # ... and the chords from it too
            assert tab.chord_track == 2
            await pilot.press("down", "enter")  # the drum track cannot be the melody
            assert tab.melody_track == 2
            await pilot.press("a")  # back to the automatic choice
            assert (tab.melody_track, tab.chord_track) == (1, None)
            app.query_one("#jazz-epochs", Input).value = "2"
            table.focus()
            await pilot.press("t")
            await wait_until(pilot, lambda: any(isinstance(m, TrainingFinished) for m in seen), timeout=120)
            await wait_until(pilot, lambda: tab.model.pieces[0].name == "band.mid")
            await wait_until(pilot, lambda: tab.improvisation.solo.chords[0].symbol == "Dm7")
            assert not [m for m in seen if isinstance(m, TaskFailed)]

    run(scenario())


def test_the_music_view_shows_each_track_as_the_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from textual.widgets import ProgressBar

    from seqtui_models import jazz

    path = write_band(tmp_path / "band.mid")
    gate = threading.Event()
    real = jazz.open_music

    def slow(where: Any, **options: Any) -> Any:  # a big file: the last track read, the worker not yet done
        music = real(where, **options)
        gate.wait(60)
        return music

    monkeypatch.setattr(jazz, "open_music", slow)

    async def scenario() -> None:
        seen: list[Message] = []
        async with jazz_app(seen) as (app, pilot, tab):
            await type_into(app, pilot, "#jazz-file", str(path))
            bar = app.query_one("#jazz-read-progress", ProgressBar)
            info = app.query_one("#jazz-music-info", Static)
            await wait_until(pilot, lambda: "track 4 of 4" in str(info.render()))
            assert tab.active_view == "jazz-view-music" and bar.display and (bar.progress, bar.total) == (4, 4)
            gate.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert not bar.display and "band.mid" in str(info.render()) and "reading" not in str(info.render())
            assert app.query_one("#jazz-tracks", DataTable).row_count == 3
            read = [(m.progress.track, m.progress.tracks) for m in seen if type(m).__name__ == "MusicReadProgressed"]
            assert read and read[-1] == (4, 4) and read == sorted(set(read))  # in order, each once (a flood coalesced)

    try:
        run(scenario())
    finally:
        gate.set()


def test_a_broken_file_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.mid"
    broken.write_bytes(b"MThd garbage")

    async def scenario() -> None:
        seen: list[Message] = []
        async with jazz_app(seen) as (app, pilot, _):
            await type_into(app, pilot, "#jazz-file", str(broken))
            await app.workers.wait_for_complete()
            await pilot.pause()
            failures = [m for m in seen if isinstance(m, TaskFailed)]
            assert failures and isinstance(failures[-1].error, DataFileError)
            assert "not a readable MIDI file" in str(failures[-1].error)

    run(scenario())


# -- the frame's keys ---------------------------------------------------------------------

SIDEBAR_FIELDS = ("#jazz-bars", "#jazz-temperature", "#jazz-top-k", "#jazz-seed", "#jazz-piece", "#jazz-chords",
                  "#jazz-save", "#jazz-file", "#jazz-preset", "#jazz-epochs", "#jazz-train-seed")
VIEW_FOCUS = {"jazz-view-solo": "#jazz-roll", "jazz-view-music": "#jazz-tracks", "jazz-view-train": "#jazz-train"}


def test_escape_leaves_every_field_for_the_view_in_front() -> None:
    async def scenario() -> None:
        async with jazz_app() as (app, pilot, tab):
            for view, target in VIEW_FOCUS.items():
                tab.show_view(view)
                await pilot.pause()
                for selector in SIDEBAR_FIELDS:
                    app.query_one(selector).focus()
                    await pilot.pause()
                    await pilot.press("escape")
                    await pilot.pause()
                    assert app.focused is app.query_one(target), (view, selector, app.focused)
            tab.show_view("jazz-view-solo")
            await pilot.pause()
            chords = app.query_one("#jazz-chords", Input)
            chords.focus()
            await pilot.press("q", "v", "2", "g")  # typed into the field: not quit, view, tab 2 or improvise
            await pilot.pause()
            assert app.is_running and chords.value == "qv2g" and tab.views.active == "jazz-view-solo"
            assert app.query_one("#tabs", TabbedContent).active == "jazz"
            await pilot.press("escape", "2")  # out of the field, 2 opens the dinos tab
            await pilot.pause()
            assert app.query_one("#tabs", TabbedContent).active == "dinos"

    run(scenario())


def test_ctrl_n_and_v_cycle_the_views_and_each_takes_the_keyboard() -> None:
    async def scenario() -> None:
        async with jazz_app() as (app, pilot, tab):
            order = list(VIEW_FOCUS)
            for key in ("ctrl+n", "v", "ctrl+n", "v", "v", "v"):
                before = order.index(tab.views.active)
                await pilot.press(key)
                await pilot.pause()
                expected = order[(before + 1) % len(order)]
                assert tab.views.active == expected and tab.active_view == expected
                assert app.focused is app.query_one(VIEW_FOCUS[expected])

    run(scenario())


def test_ctrl_g_improvises_reads_the_file_and_trains_in_its_view(tmp_path: Path) -> None:
    path = write_band(tmp_path / "band.mid")

    async def scenario() -> None:
        seen: list[Message] = []
        async with jazz_app(seen) as (app, pilot, tab):
            first = tab.improvisation
            await pilot.press("ctrl+g")  # Solo: a new solo
            await wait_until(pilot, lambda: tab.improvisation is not first)
            assert tab.improvisation.config.seed == first.config.seed + 1
            app.query_one("#jazz-file", Input).value = str(path)
            tab.show_view("jazz-view-music")
            await pilot.pause()
            await pilot.press("ctrl+g")  # Music: read the file typed (no enter needed)
            await wait_until(pilot, lambda: tab.music is not None)
            assert app.query_one("#jazz-tracks", DataTable).row_count == 3 and tab.melody_track == 1
            assert "band.mid" in str(app.query_one("#jazz-train-music").render())  # the Train view says so too
            app.query_one("#jazz-file", Input).value = ""
            await pilot.press("ctrl+g")  # an empty field: back to the ragtime corpus
            await wait_until(pilot, lambda: tab.music is None)
            assert app.query_one("#jazz-tracks", DataTable).row_count == 0
            assert "ragtime" in str(app.query_one("#jazz-train-music").render())
            model = tab.model
            tab.show_view("jazz-view-train")
            await pilot.pause()
            await pilot.press("ctrl+g")  # Train: a run on the corpus …
            panel = app.query_one(TrainingPanel)
            await wait_until(pilot, lambda: panel.running)
            await pilot.press("s")  # … stopped at once: it learned the same music worse, so the tab asks
            await wait_until(pilot, lambda: any(isinstance(m, TrainingFinished) for m in seen), timeout=120)
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            assert "nats/value" in app.screen.question  # type: ignore[attr-defined]
            await pilot.press("n")
            await pilot.pause()
            assert tab.model is model and not [m for m in seen if isinstance(m, TaskFailed)]

    run(scenario())


# -- trained models ------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["better", "worse-kept", "worse-taken", "other-music"])
def test_a_trained_model_replaces_the_one_in_use_only_if_as_good_or_on_other_music(tmp_path: Path, case: str) -> None:
    async def scenario() -> None:
        async with jazz_app(notifications=True) as (app, pilot, tab):
            notes = record_notifications(app)
            current = tab.model
            assert learned_same_music(current, current)
            loss = current.metrics["loss"] * (0.5 if case == "better" else 3.0)
            pieces = current.pieces[:1] if case == "other-music" else current.pieces
            new = replace(current, metrics={"loss": loss}, pieces=pieces)
            assert learned_same_music(current, new) is (case != "other-music")
            result = RunResult("stopped", 3, 300, 0.1, loss, model_path=str(tmp_path / "new.keras"),
                               payload={"model": new})
            app.query_one(TrainingPanel).post_message(TrainingFinished(result))
            await pilot.pause()
            if case.startswith("worse"):
                assert isinstance(app.screen, ConfirmDialog)
                assert f"scores loss {loss:.3f} nats/value" in app.screen.question
                assert f"the one in use scores {current.metrics['loss']:.3f}" in app.screen.question
                await pilot.press("y" if case == "worse-taken" else "n")
                await pilot.pause()
            else:
                assert not isinstance(app.screen, ConfirmDialog)
            if case == "worse-kept":
                assert tab.model is current
                assert any("Still using the current model" in note for note in notes)
            else:
                assert tab.model is new
                assert any("Now improvising with the new model" in note for note in notes)
                await wait_until(pilot, lambda: tab.improvisation is not None and tab.improvisation.solo is
                                 app.query_one("#jazz-roll", PianoRoll).solo)

    run(scenario())


def test_at_80_columns_the_sidebar_narrows_and_the_statistics_move_under_the_roll() -> None:
    async def scenario() -> None:
        async with jazz_app(size=(80, 40)) as (app, pilot, tab):
            assert tab.has_class("-narrow")
            assert not app.query_one("#jazz-stats").display and app.query_one("#jazz-values").display
            assert "longest copied run" in str(app.query_one("#jazz-values", Static).render())
            await pilot.resize_terminal(120, 40)
            await pilot.pause()
            assert not tab.has_class("-narrow") and app.query_one("#jazz-stats").size.width > 0

    run(scenario())


def test_at_80_by_24_the_roll_keeps_an_octave_and_the_statistics_stay_in_sight() -> None:
    from seqtui.widgets.piano_roll import layout

    def rows(roll: PianoRoll) -> int:
        assert roll.solo is not None
        return len(layout(roll.solo, roll.content_size.width, roll.content_size.height).pitches)

    async def scenario() -> None:
        async with jazz_app(size=(80, 24)) as (app, pilot, tab):
            roll = app.query_one("#jazz-roll", PianoRoll)
            stats = tab.improvisation.stats
            assert rows(roll) >= 12  # was 7
            # the figures ride on the roll's frame: the solo's size and seed above, its tones below
            assert f"seed {tab.improvisation.config.seed}" in str(roll.border_title)
            assert f"copied run {stats.longest_copy}" in str(roll.border_title)
            assert f"chord {stats.chord_tones:.0%}" in str(roll.border_subtitle)
            assert 0 < roll.region.bottom <= 23  # above the footer, on screen
            await pilot.resize_terminal(120, 40)
            await pilot.pause()
            assert rows(roll) >= 20 and not roll.border_title and not roll.border_subtitle
            assert app.query_one("#jazz-stats").size.width > 0 and app.query_one("#jazz-values").size.height > 0

    run(scenario())


# -- the statistics renderers --------------------------------------------------------------


def test_the_statistics_set_the_solo_beside_the_training_music() -> None:
    from seqtui_models.jazz import GenerateConfig, default_model, generate

    improvisation = generate(default_model(), GenerateConfig(seed=1, temperature=0.0))
    stats, train = improvisation.stats, improvisation.train_stats
    assert train is not None
    rows = {line.split("  ")[0].strip(): line.split() for line in render_lines(stats_table(improvisation))[1:]}
    assert rows["chord tones"][-2:] == [f"{stats.chord_tones:.0%}", f"{train.chord_tones:.0%}"]
    assert rows["notes/bar"][-2:] == [f"{stats.notes_per_bar:.1f}", f"{train.notes_per_bar:.1f}"]
    assert rows["copied run"][-1] == str(stats.longest_copy)
    line = stats_line(improvisation)
    assert f"chord tones {stats.chord_tones:.0%} (trained {train.chord_tones:.0%})" in line
    assert line.endswith(f"longest copied run {stats.longest_copy}")
    alone = replace(improvisation, train_stats=None)  # a model without its training music's figures
    rows = {line.split("  ")[0].strip(): line.split() for line in render_lines(stats_table(alone))[1:]}
    assert rows["chord tones"][-1] == "–" and rows["range"][-1] == "–"
    assert "trained" not in stats_line(alone)


def render_lines(renderable: Any) -> list[str]:
    """A Rich renderable as plain lines."""
    console = Console(file=io.StringIO(), width=60, no_color=True, color_system=None)
    console.print(renderable)
    return console.file.getvalue().rstrip("\n").split("\n")  # type: ignore[attr-defined]
