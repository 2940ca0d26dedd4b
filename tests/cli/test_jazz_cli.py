"""``seqtui jazz``: JSON shapes, files written, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_helpers import run_cli
from music_files import write_band

ROOT = Path(__file__).resolve().parents[2]
def test_tracks_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write_band(tmp_path / "band.mid")
    code, out, err = run_cli(capsys, "jazz", "tracks", str(path), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["melody"] == 1 and "single-note" in report["reason"]
    assert [t["track"] for t in report["tracks"]] == [1, 2, 3]
    assert report["tracks"][2]["drums"] is True and report["tracks"][1]["polyphony"] == 4
    assert {"name", "instrument", "notes", "low", "high", "range", "chord_share"} <= set(report["tracks"][0])
    code, out, _ = run_cli(capsys, "jazz", "tracks", str(path))
    assert code == 0 and "* 1." in out and "melody: track 1" in out


@pytest.mark.parametrize("kind", ["drums", "missing", "broken"])
def test_bad_files_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.mid"
    if kind == "drums":
        write_band(path, drums_only=True)
    elif kind == "broken":
        path.write_bytes(b"MThd garbage")
    code, out, err = run_cli(capsys, "jazz", "tracks", str(path), "--json")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert {"drums": "only drum tracks", "missing": "No such file", "broken": "not a readable MIDI"}[kind] in err


@pytest.mark.slow
def test_train_then_generate_with_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write_band(tmp_path / "band.mid")
    model = tmp_path / "mine.keras"
    code, out, err = run_cli(capsys, "jazz", "train", "--midi", str(path), "--track", "1", "--epochs", "3", "--tx", "8",
                             "--windows", "16", "--seed", "2", "--out", str(model), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert {"loss", "values", "seconds", "model"} <= set(summary)
    assert summary["model"] == str(model) and model.is_file() and summary["music"] == ["band.mid"]
    assert summary["status"] == "finished" and summary["epochs"] == 3
    assert "jazz fast" in err  # progress went to stderr
    last = [line for line in err.splitlines() if line.startswith("jazz fast")][-1]
    assert f"all_windows_loss {summary['loss']:.3f}" in last and f"loss {summary['last_batch_loss']:.3f}" in last

    midi, wav = tmp_path / "solo.mid", tmp_path / "solo.wav"
    code, out, err = run_cli(capsys, "jazz", "generate", "--model", str(model), "--bars", "4", "--seed", "3",
                             "--chords", "Dm7 G7 Cmaj7 A7", "--midi-out", str(midi), "--wav-out", str(wav), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["midi"] == str(midi) and report["wav"] == str(wav) and midi.is_file() and wav.is_file()
    assert report["notes"] and {"start", "duration", "pitch", "name"} <= set(report["notes"][0])
    assert {"chord_tones", "scale_tones", "approach_tones", "notes_per_bar", "low", "high", "longest_copy"} <= set(report["stats"])
    assert report["chords"] == "Dm7 | G7 | Cmaj7 | A7" and report["seed"] == 3
    assert max(n["start"] + n["duration"] for n in report["notes"]) <= 16 + 1e-9


@pytest.mark.slow
def test_generate_with_the_bundled_model(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "jazz", "generate", "--seed", "1", "--temperature", "0")
    assert code == 0, err
    assert "notes over 8 bars" in out and "chord tones" in out and "longest copied run" in out


@pytest.mark.parametrize("args,message", [
    (("--chords", "Dm7 H7"), "'H7' is not a chord symbol"),
    (("--midi-out", "solo.txt"), "--midi-out must end in .mid"),
    (("--wav-out", "solo.mp3"), "--wav-out must end in .wav"),
    (("--model", "/nowhere/m.keras"), "No such model file"),
    (("--temperature", "-1"), "expected a number ≥ 0"),
])
def test_bad_generate_options(capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str) -> None:
    code, out, err = run_cli(capsys, "jazz", "generate", *args)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_play_a_wav_on_the_null_device(tmp_path: Path) -> None:
    import numpy as np

    from seqtui_models.jazz.wav import write_wav

    wav = tmp_path / "beep.wav"
    write_wav(0.1 * np.sin(np.arange(4410) * 0.06), wav)  # 0.1 s
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # HOME has the null device (tests/conftest.py)
    proc = subprocess.run([sys.executable, "-m", "seqtui", "jazz", "play", str(wav), "--json"],
                          capture_output=True, text=True, timeout=60, env=env)
    report = json.loads(proc.stdout)
    if report["played"]:
        assert proc.returncode == 0 and report["seconds"] == pytest.approx(0.1)
    else:  # no simpleaudio here: one clear message and exit code 2, never a traceback
        assert proc.returncode == 2 and report["error"] and "Traceback" not in proc.stderr
    missing = subprocess.run([sys.executable, "-m", "seqtui", "jazz", "play", str(tmp_path / "none.wav")],
                             capture_output=True, text=True, timeout=60, env=env)
    assert missing.returncode == 2 and "No such file" in missing.stderr


def test_the_primer_example_in_the_help_is_one_the_bundled_model_accepts(capsys: pytest.CaptureFixture[str]) -> None:
    import re

    code, out, _ = run_cli(capsys, "jazz", "generate", "--help")
    example = re.search(r'--primer PRIMER .*?e\.g\. "([^"]+)"', " ".join(out.split()))
    assert code == 0 and example is not None
    code, out, err = run_cli(capsys, "jazz", "generate", "--bars", "1", "--primer", example.group(1), "--json")
    assert code == 0, err


def test_without_sound_play_says_so_before_reading_the_music(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from seqtui_models import jazz

    song = tmp_path / "song.mid"
    song.write_bytes(b"MThd junk that would take music21 a while, or fail")
    monkeypatch.setattr(jazz, "audio_status", lambda: "No sound here: playback needs the audio extra.")
    monkeypatch.setattr(jazz, "file_solo", lambda path: pytest.fail("the file was read before the sound was checked"))
    code, out, err = run_cli(capsys, "jazz", "play", str(song), "--json")
    assert code == 2 and json.loads(out) == {"file": str(song), "seconds": None, "played": False,
                                             "error": "No sound here: playback needs the audio extra."}
    code, _, err = run_cli(capsys, "jazz", "play", str(song))
    assert code == 2 and err.strip() == "seqtui: No sound here: playback needs the audio extra."


def test_generate_plays_through_no_chord_and_names_chord_tones_as_their_chord_spells_them(
        capsys: pytest.CaptureFixture[str]) -> None:
    progression = "Ab Eb7 | A7 | N.C. | Ab"  # the bundled model is in 2/4: A7 and N.C. fill quarters 2–6 of 8
    args = ("jazz", "generate", "--chords", progression, "--seed", "3", "--bars", "8")
    code, out, err = run_cli(capsys, *args, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["chords"] == f"{progression} | {progression}"
    thirds_of_a7 = [n for n in report["notes"] if 2 <= n["start"] % 8 < 6 and n["pitch"] % 12 == 1]
    assert thirds_of_a7 and all(n["name"].startswith("C#") for n in thirds_of_a7)  # not Db, though the solo is in flats
    in_key = [n for n in report["notes"] if n["pitch"] % 12 in (3, 8)]
    assert in_key and all(n["name"][1] == "b" for n in in_key)  # Eb and Ab, never D# or G#
    code, out, err = run_cli(capsys, *args)
    assert code == 0, err
    assert f"chords: {progression} | {progression}" in out
    assert "notes: " + " ".join(n["name"] for n in report["notes"]) in out


def test_reading_a_music_file_shows_each_track_then_wipes_the_line(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """tracks, train --midi and play report every track as music21 reads it (a 19-track file takes
    it many seconds); on a terminal the line is rewritten, then wiped, so an error stays one line."""
    from seqtui.cli import jazz as cli
    from seqtui_models import jazz
    from seqtui_models.core.errors import InvalidInput

    path = write_band(tmp_path / "band.mid")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # as on a terminal
    reading = [f"reading band.mid: track {i} of 4" for i in range(1, 5)]  # the conductor track and three parts

    def lines(err: str) -> list[str]:
        return [line.strip() for line in err.split("\r") if line.strip()]

    code, out, err = run_cli(capsys, "jazz", "tracks", str(path))
    assert code == 0 and "melody: track 1" in out
    assert [line[: len(reading[0])] for line in lines(err)] == reading and err.endswith("\r")

    def trains(job: object, description: str) -> object:  # the run itself: it finds the music parsed and cached
        monkeypatch.setattr(jazz.tracks, "_midi_tracks", lambda *a: pytest.fail("the file was parsed twice"))
        assert len(jazz.training_music(job.config)[0].melody) == 96  # type: ignore[attr-defined]
        raise InvalidInput("stopped here")

    monkeypatch.setattr(cli, "run_training", trains)
    code, _, err = run_cli(capsys, "jazz", "train", "--midi", str(path), "--track", "1")
    assert code == 2 and [line[: len(reading[0])] for line in lines(err)[:-1]] == reading
    assert lines(err)[-1] == "seqtui: stopped here"
    monkeypatch.undo()
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)

    class Silent:  # a sound card that fails once the file is rendered
        error = "The sound card is busy."

        def play(self, source: object) -> bool:
            return False

    monkeypatch.setattr(jazz, "audio_status", lambda: None)
    monkeypatch.setattr(jazz, "Player", Silent)
    code, _, err = run_cli(capsys, "jazz", "play", str(path))
    assert code == 2 and [line[: len(reading[0])] for line in lines(err)[:-1]] == reading
    assert lines(err)[-1] == "seqtui: The sound card is busy."
