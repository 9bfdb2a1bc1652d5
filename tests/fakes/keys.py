"""Stand-in secrets for tests, built at run time so that no string shaped like a real key is
committed: a secret scanner (or a reader) sees at once that none is real. They keep the shapes
the code checks: ``sk-ant-…`` for Anthropic, ``0x`` + 64 hex for an exchange private key."""

from __future__ import annotations

import hashlib


def anthropic_key(label: str) -> str:
    return "-".join(("sk", "ant", "test", label))


def hex_secret(label: str) -> str:
    """64 hex digits, different for each label."""
    return hashlib.sha256(label.encode()).hexdigest()


def private_key(label: str) -> str:
    return "0x" + hex_secret(label)
