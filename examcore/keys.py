"""Raw 32-byte key encodings (Ed25519 signing, X25519 sealing) and their base64 text form."""
from __future__ import annotations

import base64
from typing import Union

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

PrivateKey = Union[Ed25519PrivateKey, X25519PrivateKey]
PublicKey = Union[Ed25519PublicKey, X25519PublicKey]


def raw_public(key: PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def raw_private(key: PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
