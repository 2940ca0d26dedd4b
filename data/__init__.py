"""seqtui's bundled data, installed as the package ``seqtui_models.data``; see README.md here."""
