"""The default training music (music21's ragtime) and the cache of parsed pieces.

**The default corpus** is the ragtime that ships with music21: Scott Joplin's *Maple Leaf Rag*
(1899; piano — the right hand's top line is the melody, the left hand gives the chords) and Irving
Berlin's *Alexander's Ragtime Band* (1911; a lead sheet — melody with chord symbols). Ragtime is
where jazz came from: syncopated melodies over dominant-seventh harmony with chromatic approach
notes, the same material deepjazz's grammar describes.

Parsing a score takes seconds, so pieces are cached as JSON in ``<seqtui home>/cache/jazz``, keyed
by the file's bytes (or the corpus and music21's version), the tracks chosen and
:data:`EXTRACT_VERSION`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.core.paths import atomic_write, user_models_dir
from seqtui_models.jazz.lead_sheet import extract
from seqtui_models.jazz.music import SUFFIXES, Piece, ReadCallback, import_music21
from seqtui_models.jazz.tracks import open_music

#: music21 corpus paths of the default training music (see the module docstring).
DEFAULT_CORPUS: tuple[str, ...] = ("joplin/maple_leaf_rag.mxl", "leadSheet/berlinAlexandersRagtime.mxl")
CORPUS_TITLES = {
    "joplin/maple_leaf_rag.mxl": "Maple Leaf Rag (Joplin, 1899)",
    "leadSheet/berlinAlexandersRagtime.mxl": "Alexander's Ragtime Band (Berlin, 1911)",
}
#: Bump when the extraction (:mod:`seqtui_models.jazz.lead_sheet`) changes, so old cache entries are not used.
EXTRACT_VERSION = 4  # 4: N.C. kept, chords named from notes spelt in the music's key


def _cache_dir() -> Path:
    folder = user_models_dir().parent / "cache" / "jazz"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _cached(key: str) -> list[Piece] | None:
    path = _cache_dir() / f"{key}.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Piece.from_dict(item) for item in data["pieces"]]
    except (OSError, ValueError, KeyError, TypeError, InvalidInput):
        return None  # a stale or damaged cache entry is simply rebuilt


def _store(key: str, pieces: Sequence[Piece]) -> None:
    text = json.dumps({"version": EXTRACT_VERSION, "pieces": [p.to_dict() for p in pieces]})

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    atomic_write(_cache_dir() / f"{key}.json", write)


def load_piece(
    path: str | Path, melody: int | None = None, chords: int | None = None, *, cache: bool = True,
    on_progress: ReadCallback | None = None,
) -> Piece:
    """A :class:`Piece` from a file, parsed once and then read from the cache.

    The cache (``<seqtui home>/cache/jazz``) is keyed by the file's bytes and the tracks chosen.
    ``on_progress`` hears of each track as the file is parsed (not when the cache has it).
    """
    path = Path(path)
    if path.is_file() and path.suffix.lower() in SUFFIXES:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:24]
        key = f"file-{digest}-{melody}-{chords}-v{EXTRACT_VERSION}"
        if cache and (hit := _cached(key)):
            return hit[0]
    else:
        key = ""
    piece = extract(open_music(path, on_progress=on_progress), melody, chords, name=path.name)
    if cache and key:
        _store(key, [piece])
    return piece


def corpus_files() -> list[Path]:
    """The default corpus's files in music21's installation (a run records them and their hashes);
    empty when music21 cannot find them (:func:`corpus_pieces` then says so)."""
    music21 = import_music21()
    try:
        return [Path(str(music21.corpus.getWork(name))) for name in DEFAULT_CORPUS]
    except music21.exceptions21.CorpusException:
        return []


def corpus_pieces(*, cache: bool = True) -> list[Piece]:
    """The default training music (see the module docstring), parsed once and cached."""
    music21 = import_music21()
    key = f"corpus-{hashlib.sha256('|'.join(DEFAULT_CORPUS).encode()).hexdigest()[:12]}-m{music21.__version__}-v{EXTRACT_VERSION}"
    if cache and (hit := _cached(key)):
        return hit
    pieces = []
    for name in DEFAULT_CORPUS:
        try:
            score = music21.corpus.parse(name)
        except Exception as exc:  # noqa: BLE001 - a music21 without its corpus
            raise DataFileError(
                f"music21's corpus file {name} could not be read ({exc}) — reinstall music21 (pip install music21)."
            ) from None
        music = open_music(f"corpus:{name}", score=score, title=CORPUS_TITLES[name])
        pieces.append(extract(music, name=CORPUS_TITLES[name]))
    if cache:
        _store(key, pieces)
    return pieces

