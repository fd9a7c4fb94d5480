"""Encryption at rest for personal data, and keyed hashes for lookups."""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@cache
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


@cache
def _hash_key(key: str) -> bytes:
    return hashlib.sha256(b"dangjian-lookup:" + key.encode()).digest()


def encrypt(value: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def lookup_hash(value: str) -> str:
    """HMAC-SHA256 of a normalized value: equal inputs give equal hashes, nothing else leaks."""
    digest = hmac.new(_hash_key(settings.FIELD_ENCRYPTION_KEY), value.encode(), hashlib.sha256)
    return digest.hexdigest()
