"""Review app users: a YAML file of names, roles and scrypt password hashes (format in docs/review.md).

Passwords are hashed with the standard library's scrypt, so no hashing package is needed; only the hash
is stored. The file is read again when it changes, so adding a user or changing a role needs no restart.
"""

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

Role = Literal["reviewer", "viewer"]
ROLES: tuple[str, ...] = ("reviewer", "viewer")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # about 16 MiB and a few tens of ms per hash


class UsersFileError(ValueError):
    pass


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    password_hash: str

    @property
    def can_decide(self) -> bool:
        return self.role == "reviewer"

    @property
    def session_stamp(self) -> str:
        """Changes when the password does, so a new password ends every session made with the old one."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(expected), maxmem=64 * 2**20)
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


# Checked when a name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = hash_password(secrets.token_hex(8))


def check_login(users: dict[str, User], name: str, password: str) -> User | None:
    user = users.get(name)
    ok = verify_password(password, user.password_hash if user else _DUMMY_HASH)
    return user if ok and user else None


def parse_users(path: Path) -> dict[str, User]:
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except FileNotFoundError:
        raise UsersFileError(
            f"No users file at {path}. Add a user with `adcraft review add-user NAME --role reviewer`, "
            "or copy config/reviewers.example.yaml there for the demo users (docs/review.md).") from None
    except yaml.YAMLError as exc:
        raise UsersFileError(f"{path} is not valid YAML ({exc}); fix it, or re-create it with "
                             "`adcraft review add-user`.") from None
    entries = data.get("users") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise UsersFileError(f"{path} has no `users:` mapping; see config/reviewers.example.yaml for the format.")
    users = {}
    for name, entry in entries.items():
        role = (entry or {}).get("role")
        password = (entry or {}).get("password", "")
        if role not in ROLES or not str(password).startswith("scrypt$"):
            raise UsersFileError(
                f"{path}: user {name!r} needs a role ({' or '.join(ROLES)}) and a password made by "
                "`adcraft review hash-password` (scrypt$...); fix the entry or re-add the user.")
        users[str(name)] = User(str(name), role, str(password))
    return users


_cache: dict[Path, tuple[float, dict[str, User]]] = {}


def load_users(path: Path) -> dict[str, User]:
    """The users in path, read again whenever the file changes."""
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return parse_users(path)  # raises, saying what to do
    cached = _cache.get(path)
    if cached is None or cached[0] != mtime:
        _cache[path] = cached = (mtime, parse_users(path))
    return cached[1]


def add_user(path: Path, name: str, role: Role, password: str) -> None:
    """Add or replace a user in path, keeping the others; the file is created, readable by its owner only."""
    data = yaml.safe_load(path.read_text()) if path.exists() else None
    data = data if isinstance(data, dict) and isinstance(data.get("users"), dict) else {"users": {}}
    data["users"][name] = {"role": role, "password": hash_password(password)}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.touch(mode=0o600)
    tmp.write_text(yaml.safe_dump(data, sort_keys=True))
    tmp.replace(path)
