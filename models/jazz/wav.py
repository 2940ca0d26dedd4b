"""WAV files for the jazz task: 16-bit PCM out, 8/16/24/32-bit PCM in, every failure a clear error.

Samples are floats in [−1, 1]; a file stores them as integers, ``round(x · 32767)`` when
writing 16-bit, ``x = n / 2^(bits − 1)`` when reading (8-bit WAV is unsigned: ``n − 128``).
Files are written atomically, and a header that promises more frames than the file holds is
reported as truncated rather than read as silence.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.core.paths import atomic_write

SAMPLE_RATE = 44100  # the CD rate: every sound device plays it


def check_sample_rate(sample_rate: int) -> None:
    """Raise InvalidInput unless the sample rate is a whole number 8,000–192,000."""
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, int) or not 8000 <= sample_rate <= 192000:
        raise InvalidInput(f"Sample rate {sample_rate!r} is not valid — use a whole number of Hz such as 44100.")


@dataclass(frozen=True)
class WavInfo:
    """What a WAV file holds.

    Attributes:
        path: The file.
        seconds: Duration (frames / sample_rate).
        sample_rate: Frames per second.
        frames: Number of frames (one sample per channel each).
        channels: 1 for mono, 2 for stereo.
        sample_width: Bytes per sample (2 for 16-bit PCM).
    """

    path: Path
    seconds: float
    sample_rate: int
    frames: int
    channels: int = 1
    sample_width: int = 2


def to_pcm16(samples: NDArray[np.floating]) -> bytes:
    """Convert float samples in [−1, 1] to little-endian 16-bit PCM bytes (clipped, rounded)."""
    scaled = np.rint(np.clip(samples, -1.0, 1.0) * 32767.0)  # same shape, in [−32767, 32767]
    return scaled.astype("<i2").tobytes()


def write_wav(samples: NDArray[np.floating], path: str | Path, *, sample_rate: int = SAMPLE_RATE) -> WavInfo:
    """Write float samples (mono ``(n,)`` or ``(n, channels)``) as a 16-bit PCM WAV, atomically.

    Raises:
        InvalidInput: Bad sample rate or array shape.
        DataFileError: The file cannot be written (folder missing or read-only, disk full …).
    """
    check_sample_rate(sample_rate)
    array = np.asarray(samples)
    if array.ndim == 1:
        array = array[:, None]  # (n, 1)
    if array.ndim != 2 or array.shape[1] not in (1, 2):
        raise InvalidInput(f"Audio of shape {np.shape(samples)} cannot be written — give (frames,) or (frames, 2).")
    channels = int(array.shape[1])
    data = to_pcm16(array)  # interleaved frames

    def write(tmp: Path) -> None:
        with wave.open(str(tmp), "wb") as handle:
            handle.setnchannels(channels)
            handle.setsampwidth(2)
            handle.setframerate(sample_rate)
            handle.writeframes(data)

    target = Path(path)
    try:
        atomic_write(target, write)
    except OSError as exc:
        raise DataFileError(f"Cannot write {target}: {exc.strerror or exc} — choose a folder you can write to.") from exc
    frames = int(array.shape[0])
    return WavInfo(target, frames / sample_rate, sample_rate, frames, channels, 2)


def _open_wav(path: str | Path) -> wave.Wave_read:
    """Open a WAV file for reading, turning every failure into a DataFileError."""
    target = Path(path)
    if not target.is_file():
        raise DataFileError(f"No such WAV file: {target} — check the path.")
    try:
        return wave.open(str(target), "rb")
    except (wave.Error, EOFError, ValueError) as exc:
        raise DataFileError(f"{target} is not a valid WAV file ({exc}) — export it again as 16-bit PCM WAV.") from exc
    except OSError as exc:
        raise DataFileError(f"Cannot read {target}: {exc.strerror or exc} — check the file's permissions.") from exc


def read_wav_info(path: str | Path) -> WavInfo:
    """Read a WAV file's header and check that its frames are all there.

    Raises:
        DataFileError: Missing, unreadable, not a PCM WAV, empty, or truncated.
    """
    target = Path(path)
    with _open_wav(target) as handle:
        channels, width, rate, frames = (
            handle.getnchannels(), handle.getsampwidth(), handle.getframerate(), handle.getnframes()
        )
        if rate <= 0 or channels <= 0 or width <= 0:
            raise DataFileError(f"{target} has a broken header ({channels} channels at {rate} Hz) — export it again.")
        try:
            present = len(handle.readframes(frames)) // (channels * width)
        except (wave.Error, EOFError) as exc:
            raise DataFileError(f"{target} is not a valid WAV file ({exc}) — export it again.") from exc
    if frames == 0:
        raise DataFileError(f"{target} holds no audio — export the solo again.")
    if present < frames:
        raise DataFileError(f"{target} is truncated ({present} of {frames} frames) — export it again.")
    return WavInfo(target, frames / rate, rate, frames, channels, width)


def read_wav(path: str | Path) -> tuple[NDArray[np.float32], int]:
    """Read a PCM WAV file (8/16/24/32-bit, any channels) as float samples in [−1, 1].

    Returns:
        ``(samples, sample_rate)`` with samples of shape ``(frames, channels)``.

    Raises:
        DataFileError: As :func:`read_wav_info`.
    """
    info = read_wav_info(path)
    with _open_wav(path) as handle:
        raw = handle.readframes(info.frames)
    width, channels = info.sample_width, info.channels
    if width == 1:  # 8-bit WAV is unsigned
        ints = np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0
        scale = 128.0
    elif width == 2:
        ints = np.frombuffer(raw, dtype="<i2").astype(np.float32)
        scale = 32768.0
    elif width == 3:  # assemble little-endian 24-bit samples into int32, sign-extended
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)  # (samples, 3)
        value = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        ints = np.where(value >= 1 << 23, value - (1 << 24), value).astype(np.float32)
        scale = float(1 << 23)
    elif width == 4:
        ints = np.frombuffer(raw, dtype="<i4").astype(np.float32)
        scale = float(1 << 31)
    else:
        raise DataFileError(f"{path} uses {8 * width}-bit samples — export it as 16-bit PCM WAV.")
    samples = (ints / scale).reshape(-1, channels)  # (frames, channels)
    return samples.astype(np.float32), info.sample_rate
