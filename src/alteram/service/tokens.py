"""Secrets handed to people (invite links, sessions): made random, stored hashed."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    """A fresh URL-safe secret of 192 bits."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored in place of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
