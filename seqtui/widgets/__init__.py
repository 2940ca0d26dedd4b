"""Shared widgets of the seqtui app."""
