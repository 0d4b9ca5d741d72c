"""Talking to the server: journal, sync worker, uploads (no Qt)."""
