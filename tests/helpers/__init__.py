"""Shared test helpers (one place for fakes and fixtures, as in qutebrowser's tests/helpers)."""
