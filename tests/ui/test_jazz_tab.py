"""The jazz tab driven by keyboard: improvise, tweak, play, export, pick tracks of a MIDI file, train."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.widgets import DataTable, Input, TabbedContent

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui.app import SeqtuiApp
from seqtui.messages import TaskFailed, TrainingFinished
from seqtui.tabs.jazz import JazzTab
from seqtui.widgets.piano_roll import PianoRoll
from ui_helpers import run, wait_until
from music_files import write_band

pytestmark = pytest.mark.slow  # Keras and music21 load when the tab opens

async def ready(app: SeqtuiApp, pilot: Any) -> JazzTab:
    tab = app.query_one(JazzTab)
    await asyncio.wait_for(tab.wait_ready(), 120)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return tab


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
        app = SeqtuiApp(tab="jazz")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            first = tab.improvisation
            await pilot.press("g")
            await wait_until(pilot, lambda: tab.improvisation is not first)
            assert tab.improvisation.config.seed == first.config.seed + 1
            await pilot.press("comma", "comma")
            await wait_until(pilot, lambda: tab.improvisation.config.temperature == 0.5)
            assert app.query_one("#jazz-temperature", Input).value == "0.5"
            await pilot.press("plus")
            await wait_until(pilot, lambda: tab.improvisation.config.bars == 12)
            assert tab.improvisation.solo.bars == 12

    run(scenario())


def test_typed_chords_and_a_clear_message_for_a_bad_one() -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="jazz")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            tab = await ready(app, pilot)
            await type_into(app, pilot, "#jazz-chords", "Dm7 G7 Cmaj7 A7")
            await wait_until(pilot, lambda: tab.improvisation.chords.startswith("Dm7 | G7"))
            assert [c.symbol for c in tab.improvisation.solo.chords[:4]] == ["Dm7", "G7", "Cmaj7", "A7"]
            await type_into(app, pilot, "#jazz-chords", "Dm7 Q7")
            await pilot.pause()
            failures = [m for m in seen if isinstance(m, TaskFailed)]
            assert failures and isinstance(failures[-1].error, InvalidInput) and "Q7" in str(failures[-1].error)

    run(scenario())


def test_play_moves_the_playhead_and_exports_write_files(tmp_path: Path) -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="jazz")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            app.query_one("#jazz-save", Input).value = str(tmp_path / "take")
            roll = app.query_one("#jazz-roll", PianoRoll)
            roll.focus()
            await pilot.press("space")
            await app.workers.wait_for_complete()
            if tab.player is not None and tab.player.error is None:  # audio works (ALSA's null device)
                await wait_until(pilot, lambda: roll.playhead is not None and roll.playhead > 0.2)
                await pilot.press("space")  # stop
                await pilot.pause()
                assert not tab.player.playing and roll.playhead is None
            else:  # no audio here: said once, and the solo kept as a WAV
                assert (tmp_path / "take.wav").is_file()
            await pilot.press("m", "w")
            await pilot.pause()
            assert (tmp_path / "take.mid").is_file() and (tmp_path / "take.wav").is_file()

    run(scenario())


def test_tracks_of_a_midi_file_are_picked_with_the_keyboard_and_trained_on(tmp_path: Path) -> None:
    path = write_band(tmp_path / "band.mid")

    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="jazz")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            tab = await ready(app, pilot)
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


def test_a_broken_file_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.mid"
    broken.write_bytes(b"MThd garbage")

    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="jazz")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            await ready(app, pilot)
            await type_into(app, pilot, "#jazz-file", str(broken))
            await app.workers.wait_for_complete()
            await pilot.pause()
            failures = [m for m in seen if isinstance(m, TaskFailed)]
            assert failures and isinstance(failures[-1].error, DataFileError)
            assert "not a readable MIDI file" in str(failures[-1].error)

    run(scenario())
