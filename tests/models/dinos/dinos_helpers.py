"""What the dinos tests share: a small names list, writing files, and untrained models with lively weights."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from seqtui_models.dinos import CharModel, TrainConfig, Vocab
from seqtui_models.dinos import net as dinos_net
from seqtui_models.dinos.data import split_names

NAMES = (
    "tyrannosaurus", "triceratops", "stegosaurus", "velociraptor", "allosaurus", "brachiosaurus",
    "diplodocus", "iguanodon", "spinosaurus", "ankylosaurus", "parasaurolophus", "gallimimus",
    "pachycephalosaurus", "protoceratops", "oviraptor", "coelophysis", "compsognathus", "baryonyx",
    "carnotaurus", "giganotosaurus", "maiasaura", "edmontosaurus", "troodon", "deinonychus",
)


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def random_model(cell: str, names: tuple[str, ...] = NAMES, hidden: int = 6, seed: int = 0) -> CharModel:
    """An untrained model with lively (not near-uniform) weights."""
    vocab = Vocab.from_names(names)
    params = dinos_net.init_parameters(cell, vocab.size, hidden, np.random.default_rng(seed), dtype=np.float64)
    params = {k: 3 * v if k.startswith("W") else v for k, v in params.items()}
    train_names, val_names = split_names(names)
    return CharModel(cell, vocab, params, TrainConfig(cell=cell, hidden=hidden), train_names, val_names)  # type: ignore[arg-type]


def course_parameters(n_a: int, vocab_size: int, seed: int) -> dict[str, np.ndarray]:
    """The course's RNN parameters with weights big enough for gradients to matter."""
    rng = np.random.default_rng(seed)
    return {
        "Wax": rng.standard_normal((n_a, vocab_size)) * 0.5,
        "Waa": rng.standard_normal((n_a, n_a)) * 0.5,
        "Wya": rng.standard_normal((vocab_size, n_a)) * 0.5,
        "b": rng.standard_normal((n_a, 1)) * 0.5,
        "by": rng.standard_normal((vocab_size, 1)) * 0.5,
    }


def gradient_errors(
    loss: Callable[[], float], params: dict[str, np.ndarray], analytic: dict[str, np.ndarray], eps: float,
) -> dict[str, float]:
    """Each parameter's relative error ‖n − a‖ / (‖n‖ + ‖a‖) between ``analytic`` and centred differences.

    The numeric gradient of entry θ is (L(θ + ε) − L(θ − ε)) / 2ε; ``params`` are changed in place
    one entry at a time and restored.
    """
    errors = {}
    for name, value in params.items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            kept = value[index]
            value[index] = kept + eps
            up = loss()
            value[index] = kept - eps
            down = loss()
            value[index] = kept
            numeric[index] = (up - down) / (2 * eps)
        errors[name] = float(np.linalg.norm(numeric - analytic[name]) / (np.linalg.norm(numeric) + np.linalg.norm(analytic[name])))
    return errors
