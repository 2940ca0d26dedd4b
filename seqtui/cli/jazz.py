"""Provides ``seqtui jazz tracks|train|generate|play``: LSTM jazz improvisation, headless."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from seqtui.cli.common import fail, finish_training, non_negative_float, positive_int, print_json, run_training, seed
from seqtui.text import plural

if TYPE_CHECKING:
    from seqtui_models.jazz import ReadProgress


class ReadingLine:
    """Says on stderr which track of a music file is being read (a 19-track MIDI file takes music21
    many seconds): one line rewritten on a terminal and wiped at the end, so an error that follows
    is still one line; elsewhere a line every few seconds, so a quick read prints nothing."""

    EVERY = 2.0
    """Seconds between two lines when stderr is not a terminal."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self._shown = 0  # characters of the line on the terminal
        self._last = time.monotonic()

    def __enter__(self) -> ReadingLine:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.clear()

    def __call__(self, progress: ReadProgress) -> None:
        text = progress.describe()
        if self.tty:
            print("\r" + text.ljust(self._shown), end="", file=sys.stderr, flush=True)
            self._shown = len(text)
        elif time.monotonic() - self._last >= self.EVERY:
            self._last = time.monotonic()
            print(text, file=sys.stderr, flush=True)

    def clear(self) -> None:
        """Wipe the line on the terminal."""
        if self.tty and self._shown:
            print("\r" + " " * self._shown + "\r", end="", file=sys.stderr, flush=True)
            self._shown = 0


def add_parser(tasks: Any) -> None:
    """Add the ``jazz`` task and its verbs to the top-level subparsers."""
    parser = tasks.add_parser(
        "jazz", help="jazz improvisation: an LSTM learns musical values and plays a solo over chords",
        description="Learn the 'musical values' of a melody over chords (deepjazz's grammar) with the course's "
                    "LSTM, improvise new ones over any chord progression, and write MIDI and WAV files. "
                    "The default music is the ragtime in music21's corpus; --midi takes your own file.",
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=type(parser))

    tracks = verbs.add_parser(
        "tracks", help="list the tracks of a MIDI or MusicXML file and the melody seqtui would pick",
        description="List every track (part): name, instrument, notes, range and how many notes sound at once; "
                    "say which one the heuristic takes as the melody, and why.",
    )
    tracks.add_argument("file", metavar="FILE", help="a .mid, .midi, .musicxml, .xml or .mxl file")
    tracks.add_argument("--json", action="store_true", help="print one JSON object")
    tracks.set_defaults(func=run_tracks)

    train = verbs.add_parser(
        "train", help="train the LSTM on the default corpus or your file",
        description="Train on the default ragtime corpus or on a melody track of --midi FILE. --preset course "
                    "trains the course's unrolled djmodel (LSTM 64, Tx 30, 60 windows, 100 epochs, Adam 0.01); "
                    "--preset fast trains the same model with Keras' own loop for 25 epochs (it compiles in "
                    "seconds and copies less of the training music).",
    )
    train.add_argument("--midi", metavar="FILE", help="a MIDI or MusicXML file to learn from (default: the ragtime corpus)")
    train.add_argument("--track", type=positive_int, metavar="N", help="the melody's track number (see 'jazz tracks')")
    train.add_argument("--chord-track", type=positive_int, metavar="N", help="take the chords from this track")
    train.add_argument("--preset", choices=("course", "fast"), default="fast")
    train.add_argument("--epochs", type=positive_int, help="passes over the windows")
    train.add_argument("--windows", type=positive_int, help="random training windows (the course's m = 60)")
    train.add_argument("--tx", type=positive_int, dest="Tx", help="values per window (the course's Tx = 30)")
    train.add_argument("--hidden", type=positive_int, dest="n_a", help="LSTM units n_a (the course's 64)")
    train.add_argument("--seed", type=seed, help="seeds the windows and the initial weights")
    train.add_argument("--out", metavar="PATH", help="also save the model here (one .keras file: the network, its values "
                                                     "and metadata); every run keeps one in its run folder")
    train.add_argument("--json", action="store_true", help="print one JSON object")
    train.set_defaults(func=run_train)

    generate = verbs.add_parser(
        "generate", help="improvise a solo; write MIDI and WAV",
        description="Sample musical values from the model and turn them into notes over a chord progression: "
                    "a training piece's (default) or one you type, e.g. --chords \"Dm7 G7 Cmaj7 A7\" (one chord per "
                    "bar) or \"Dm7 G7 | Cmaj7 | A7\" (bar lines). N.C. (no chord) stops the band; the solo plays on "
                    "over the chord before it, as through a break. Notes are named as notation programs spell them: "
                    "a chord tone as its chord spells it (C#6 over A7), any other note in the solo's key; "
                    "the range is spelt in the key.",
    )
    generate.add_argument("--model", metavar="PATH|RUN", help="a .keras model or a run id (default: the bundled pretrained one)")
    generate.add_argument("--bars", type=positive_int, default=8, help="length in bars (default 8)")
    generate.add_argument("--temperature", type=non_negative_float, default=0.7,
                          help="0 is greedy, 1 the model's own odds, above 1 wilder (default 0.7)")
    generate.add_argument("--top-k", type=int, default=0, help="draw among the k likeliest values only (default 0: all)")
    generate.add_argument("--seed", type=seed, help="makes the solo repeatable")
    generate.add_argument("--chords", help="a progression to play over, e.g. \"Dm7 G7 Cmaj7 A7\" (one chord a bar, or "
                          "bars split by '|' whose chords share the bar; '%%' repeats the chord before; N.C. for "
                          "no chord: the band stops, the solo goes on over the chord before; bars in the metre "
                          "of --piece: 2/4 for the ragtime model)")
    generate.add_argument("--piece", type=int, default=0, help="which training piece's chords (default 0, the first)")
    generate.add_argument("--primer", help="values to start from, ones the model knows (an unknown one is refused with examples), e.g. \"C,0.250 C,0.500,<M2,M-3> S,0.250,<P4,m-2>\"")
    generate.add_argument("--tempo", type=non_negative_float, help="quarter notes per minute")
    generate.add_argument("--midi-out", metavar="FILE", help="write the solo and its chords as a MIDI file")
    generate.add_argument("--wav-out", metavar="FILE", help="write the solo and its chords as a WAV file")
    generate.add_argument("--json", action="store_true", help="print one JSON object")
    generate.set_defaults(func=run_generate)

    play = verbs.add_parser(
        "play", help="play a WAV, MIDI or MusicXML file",
        description="Play a file through the sound card (needs the audio extra: pip install 'seqtui[audio]'). "
                    "MIDI and MusicXML files are rendered by seqtui's own synthesizer first.",
    )
    play.add_argument("file", metavar="FILE", help="a .wav, .mid or MusicXML file")
    play.add_argument("--json", action="store_true", help="print one JSON object")
    play.set_defaults(func=run_play)


def run_tracks(args: argparse.Namespace) -> int:
    """``seqtui jazz tracks FILE``: the tracks and the melody pick."""
    from seqtui_models.jazz import open_music

    with ReadingLine() as shown:
        music = open_music(args.file, on_progress=shown)
    report = {
        "file": args.file, "title": music.title, "beats_per_bar": music.beats_per_bar, "tempo": music.tempo,
        "tracks": [t.to_dict() for t in music.tracks], "melody": music.melody, "reason": music.reason,
    }
    if args.json:
        print_json(report)
    else:
        print(f"{music.title} — {plural(len(music.tracks), 'track')}, {music.beats_per_bar} quarters per bar, {music.tempo:g} bpm")
        for info in music.tracks:
            mark = "*" if info.number == music.melody else " "
            print(f"{mark} {info.describe()}")
        print(f"melody: {music.reason}" if music.melody else f"no melody track: {music.reason}")
    return 0


def run_train(args: argparse.Namespace) -> int:
    """``seqtui jazz train``: one run with progress on stderr; the summary on stdout."""
    from seqtui_models.jazz import preset_config, training_music
    from seqtui_models.core.training import TrainingJob

    config = preset_config(
        args.preset, midi=args.midi, track=args.track, chord_track=args.chord_track, epochs=args.epochs,
        windows=args.windows, Tx=args.Tx, n_a=args.n_a, seed=args.seed, out=args.out,
    )
    if config.midi is not None:  # read (and cache) the file here, track by track on stderr: the run finds it cached
        with ReadingLine() as shown:
            training_music(config, on_progress=shown)
    # Keras runs its own threads: train in this process (a stop request reaches its callback).
    job = TrainingJob("seqtui_models.jazz:train", config, isolate=False)
    result = run_training(job, f"jazz {config.preset}")
    model = result.payload["model"]
    extra = {
        "preset": config.preset, "music": [p.name for p in model.pieces], "n_a": config.n_a, "Tx": config.Tx,
        "train_stats": model.train_stats.to_dict() if model.train_stats else None,
    }
    return finish_training(result, args.json, extra)


def run_generate(args: argparse.Namespace) -> int:
    """``seqtui jazz generate``: a solo, its statistics, and optional MIDI/WAV files."""
    from seqtui_models.core.errors import InvalidInput
    from seqtui_models.core.paths import check_writable
    from seqtui_models.jazz import GenerateConfig, check_chords, export_midi, export_wav, generate
    from seqtui_models.jazz import melody_names, note_name

    if args.chords is not None:
        check_chords(args.chords)  # a typo is reported before the model loads
    for flag, value, suffixes in (("--midi-out", args.midi_out, (".mid", ".midi")), ("--wav-out", args.wav_out, (".wav",))):
        if value is not None and Path(value).suffix.lower() not in suffixes:
            raise InvalidInput(f"{flag} must end in {' or '.join(suffixes)} (got {value}).")
        if value is not None:
            check_writable(value)  # before the model loads and the solo is made
    model = _load(args.model)
    improvisation = generate(model, GenerateConfig(
        bars=args.bars, temperature=args.temperature, top_k=args.top_k, seed=args.seed, chords=args.chords,
        piece=args.piece, primer=args.primer, tempo=args.tempo,
    ))
    midi = str(export_midi(improvisation, args.midi_out)) if args.midi_out else None
    wav = str(export_wav(improvisation, args.wav_out).path) if args.wav_out else None
    summary = improvisation.summary()
    sharps = improvisation.solo.sharps  # the range is spelt in the solo's key signature, each note by its chord
    notes = [
        {"start": round(n.start, 4), "duration": round(n.duration, 4), "pitch": n.pitch, "name": name}
        for n, name in zip(improvisation.solo.melody, melody_names(improvisation.solo))
    ]
    report = {"notes": notes, "midi": midi, "wav": wav, **{k: v for k, v in summary.items() if k != "notes"},
              "model": model.path}
    if args.json:
        print_json(report)
        return 0
    stats = improvisation.stats
    print(f"{plural(len(notes), 'note')} over {plural(args.bars, 'bar')} ({improvisation.solo.seconds:.1f} s at {improvisation.solo.tempo:g} bpm), "
          f"seed {improvisation.config.seed}")
    print(f"chords: {improvisation.chords}")
    print("notes: " + " ".join(f"{n['name']}" for n in notes))
    train = improvisation.train_stats
    versus = f" (training music {train.chord_tones:.0%})" if train else ""
    print(f"chord tones {stats.chord_tones:.0%}{versus}, scale tones {stats.scale_tones:.0%}, "
          f"approach {stats.approach_tones:.0%}, range {note_name(stats.low, sharps) if stats.low is not None else '–'}–"
          f"{note_name(stats.high, sharps) if stats.high is not None else '–'}, {stats.notes_per_bar:.1f} notes/bar, "
          f"longest copied run {stats.longest_copy} values")
    for label, path in (("MIDI", midi), ("WAV", wav)):
        if path:
            print(f"{label}: {path}")
    return 0


def _load(path: str | None) -> Any:
    from seqtui_models.core.runs import model_argument
    from seqtui_models.jazz import default_model, load_model

    return load_model(model_argument(path, "jazz")) if path else default_model()


def run_play(args: argparse.Namespace) -> int:
    """``seqtui jazz play FILE``: play a file, with its position on stderr."""
    from seqtui_models.core.errors import DataFileError
    from seqtui_models.jazz import Player, audio_status, read_wav_info
    from seqtui_models.jazz import SUFFIXES, file_solo

    path = Path(args.file)
    if not path.is_file():
        raise DataFileError(f"No such file: {path} — pass a .wav, .mid or MusicXML file.")
    suffix = path.suffix.lower()
    if suffix != ".wav" and suffix not in SUFFIXES:
        raise DataFileError(f"{path.name}: seqtui plays .wav, .mid and MusicXML files.")
    message = audio_status()  # before reading the file: a big MIDI file takes many seconds to render
    if message is not None:
        if args.json:
            seconds_known = read_wav_info(path).seconds if suffix == ".wav" else None
            print_json({"file": str(path), "seconds": seconds_known, "played": False, "error": message})
            return 2
        fail(message)
    if suffix == ".wav":
        source: Any = path
        seconds = read_wav_info(path).seconds
    else:
        with ReadingLine() as shown:
            source = file_solo(path, on_progress=shown)
        seconds = source.seconds
    player = Player()
    if not player.play(source):
        if args.json:
            print_json({"file": str(path), "seconds": seconds, "played": False, "error": player.error})
            return 2
        fail(player.error or "Playback did not start.")
    started = time.monotonic()
    try:
        while player.playing:
            if sys.stderr.isatty():
                position = player.position or 0.0
                print(f"\rplaying {path.name}: {position:5.1f} / {player.duration:.1f} s", end="", file=sys.stderr, flush=True)
            time.sleep(0.1)
    except KeyboardInterrupt:
        player.stop()
        if sys.stderr.isatty():
            print(file=sys.stderr)
        fail("Stopped.")
    if sys.stderr.isatty():
        print(file=sys.stderr)
    report = {"file": str(path), "seconds": round(player.duration, 3), "played": True, "error": None,
              "wall_seconds": round(time.monotonic() - started, 3)}
    if args.json:
        print_json(report)
    else:
        print(f"played {path.name} ({player.duration:.1f} s)")
    return 0
