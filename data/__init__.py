"""Bundled data for seqtui (installed as the package ``seqtui_data``); see README.md here."""
