"""Jazz improvisation: an LSTM learns a solo's musical values and improvises new ones over chords.

The door to the jazz task: the tab and ``seqtui jazz`` use only the names below. Dataclasses in,
dataclasses out:

- :func:`training_music` → the :class:`Piece` list a run learns from: the default ragtime corpus,
  or a melody track of your MIDI/MusicXML file (:func:`open_music` lists its tracks,
  :func:`file_solo` turns it into a :class:`Solo` to listen to; each reports every track it reads
  as a :class:`ReadProgress`).
- :func:`preset_config` / :class:`TrainConfig` (:data:`PRESETS`: ``course`` and ``fast``) →
  :func:`train` (the protocol of :mod:`seqtui_models.core.training`; run it with
  ``TrainingJob("seqtui_models.jazz:train", config, isolate=False)``) → ``RunResult`` whose
  ``payload["model"]`` is the trained :class:`JazzModel`.
- :func:`save_model` / :func:`load_model` / :func:`default_model` (the bundled ``data/jazz.keras``,
  :data:`DEFAULT_MODEL`): one ``.keras`` file holding the network and, as ``seqtui.json``, its
  values and metadata (:mod:`seqtui_models.jazz.files` describes the format).
- :func:`generate` (:class:`GenerateConfig`: bars, temperature, top-k, seed, chords, primer)
  → :class:`Improvisation` (the :class:`Solo`, its values, its statistics);
  :func:`chord_symbols_at` and :func:`check_chords` show and check progressions;
  :func:`melody_names` names a solo's notes as notation software spells them.
- :func:`export_midi` / :func:`export_wav`; :class:`Player` plays a solo or a WAV file
  (:func:`audio_status` says whether it can here, :func:`read_wav_info` checks a WAV file).

The pipeline, as in the course: music → values (:mod:`~seqtui_models.jazz.grammar`: kind of note
over the chord, duration, interval bounds) → an LSTM over one-hot values
(:mod:`~seqtui_models.jazz.model`) → sampled values → notes over a chord progression → MIDI / WAV /
piano roll. Inside the package:

====================  ======================================================================
``config``            TrainConfig and the presets
``training``          the music as values, and :func:`train`
``trained``           JazzModel and PieceValues: a trained model as data
``files``             save and load model files
``improvise``         GenerateConfig, generate, Improvisation, MIDI/WAV export
``model``             the course's Keras models and the numpy cell that samples
``grammar``           values: a note's kind, duration and interval bounds over its chord
``chords``            chord symbols, voicings, progressions, chord recognition
``notes``             notes, chord events and solos (plain data)
``stats``             a solo's statistics and novelty
``music``             tracks, files and pieces (plain data); the lazy music21 import
``tracks``            reading MIDI/MusicXML files and their tracks
``lead_sheet``        a melody and its chords out of a file
``corpus``            the default corpus and the cache of parsed pieces
``midi_out``          a solo as a MIDI file
``audio``             the synthesizer; ``wav``: WAV files; ``playback``: simpleaudio
====================  ======================================================================

Importing this package imports numpy but neither music21 nor Keras/TensorFlow: each is
imported by the first function that needs it.
"""

from __future__ import annotations

from seqtui_models.jazz.chords import melody_names
from seqtui_models.jazz.config import PRESETS, TrainConfig, preset_config
from seqtui_models.jazz.files import DEFAULT_MODEL, default_model, load_model, save_model
from seqtui_models.jazz.improvise import (
    GenerateConfig,
    Improvisation,
    check_chords,
    chord_symbols_at,
    export_midi,
    export_wav,
    generate,
)
from seqtui_models.jazz.music import SUFFIXES, Piece, ReadProgress, note_name
from seqtui_models.jazz.notes import CHORD, Solo, pitch_name
from seqtui_models.jazz.playback import Player, audio_status
from seqtui_models.jazz.trained import JazzModel, PieceValues
from seqtui_models.jazz.tracks import file_solo, open_music
from seqtui_models.jazz.training import train, training_music, training_stats, values_of
from seqtui_models.jazz.wav import read_wav_info

__all__ = [
    "TrainConfig", "PRESETS", "preset_config", "train", "training_music", "JazzModel", "PieceValues",
    "save_model", "load_model", "default_model", "DEFAULT_MODEL", "GenerateConfig", "Improvisation",
    "generate", "export_midi", "export_wav", "values_of", "chord_symbols_at", "check_chords", "training_stats",
    "Player", "audio_status", "read_wav_info", "SUFFIXES", "file_solo", "note_name",
    "open_music", "CHORD", "Solo", "pitch_name", "Piece", "melody_names", "ReadProgress",
]
