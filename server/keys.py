"""The server's long-lived keys in data-dir/keys (mode 0600), generated on first start."""

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from examcore.bundle import sign_with
from examcore.keys import b64e, raw_private, raw_public


def _load_or_create(path: Path, generate, load):
    if path.exists():
        try:
            return load(base64.b64decode(path.read_bytes().strip(), validate=True))
        except ValueError:
            # never replace a damaged key silently: receipts signed with it must stay verifiable
            raise SystemExit("密钥文件已损坏：%s\nthe key file is damaged: %s (restore it from backup)"
                             % (path, path)) from None
    key = generate()
    # O_EXCL + 0600: never world-readable, even for an instant
    fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(base64.b64encode(raw_private(key)) + b"\n")
        f.flush()
        os.fsync(f.fileno())
    return key


class KeyRing:
    def __init__(self, data_dir: Path) -> None:
        keys_dir = Path(data_dir) / "keys"
        keys_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(str(keys_dir), 0o700)
        self.signing = _load_or_create(keys_dir / "signing-ed25519.key", Ed25519PrivateKey.generate,
                                       Ed25519PrivateKey.from_private_bytes)
        self.sealing = _load_or_create(keys_dir / "sealing-x25519.key", X25519PrivateKey.generate,
                                       X25519PrivateKey.from_private_bytes)
        self.signing_public_b64 = b64e(raw_public(self.signing.public_key()))
        self.sealing_public_b64 = b64e(raw_public(self.sealing.public_key()))
        self.sign = sign_with(self.signing)   # b64 Ed25519 signature over canonical(obj)
