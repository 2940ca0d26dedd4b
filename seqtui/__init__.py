"""seqtui: a terminal playground for sequence models."""

__version__ = "0.1.0"
