"""ExamDesk's shared exam formats: what the client and the server must agree on, byte for byte.

Paper format and validation (`paper`), canonical JSON and the op hash chain (`chain`), op kinds and
the answer fold (`ops`), the signed paper bundle and receipt (`bundle`), the sealed export
(`sealed`), the policy schema with its defaults (`policy`), bilingual errors (`errors`).

Rules (checked in CI by import-linter, see pyproject.toml): this package imports neither `client`
nor `server`, no Qt and no I/O beyond bytes; its only third-party dependency is `cryptography`.
Python 3.8-compatible, because the Windows 7 client ships it.
"""
