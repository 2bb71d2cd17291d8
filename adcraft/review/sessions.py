"""Review sessions kept on the server, and the login limits (docs/review.md, "Security").

The browser's signed cookie holds only a random session token. The server keeps the token's SHA-256 with the
user, a stamp of the password the session was opened with, and when it ends, so a logout ends the session at
once: a copy of the cookie, replayed, finds nothing and gets the login page. So does a session opened before
a password change (its stamp no longer matches).

The store is a small SQLite file beside the warehouse, HOME/review_sessions.sqlite3, readable by its owner
only. Every request checks its session there, banner pictures included; SQLite answers in well under a
millisecond and does not wait for a nightly run's lock on the warehouse. Its SQL is in
warehouse/queries/review/session_*.sql and login_*.sql.
"""

import hashlib
import secrets
import sqlite3
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from adcraft.kernel.db import sql
from adcraft.kernel.settings import get_settings

FILE = "review_sessions.sqlite3"
WINDOW_S = 15 * 60
"""Failed logins count for this long."""
USER_LIMIT = 5
"""Failed logins for one user name within the window, since its last good one, before its logins pause."""
ADDRESS_LIMIT = 20
"""Failed logins from one address within the window, for any user names, before its logins pause."""
DAY_S = 24 * 3600

_ready: set[Path] = set()


def _path() -> Path:
    return get_settings().home / FILE


@contextmanager
def _store():
    """A connection to the session store, its tables made on first use; committed when the block ends."""
    path = _path()
    if path not in _ready:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=10)) as con:
        if path not in _ready:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(sql("review/session_schema"))
            _ready.add(path)
        con.row_factory = sqlite3.Row
        with con:  # a transaction: committed, or rolled back on an error
            yield con


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(username: str, password_stamp: str, address: str) -> str:
    """Open a session; returns its token, for the cookie. Sessions over a day past their end are dropped."""
    token = secrets.token_urlsafe(32)
    now = time.time()
    hours = get_settings().review_session_hours
    with _store() as con:
        con.execute(sql("review/sessions_purge"), {"before": now - DAY_S})
        con.execute(sql("review/session_start"), {
            "session_hash": _hash(token), "username": username, "password_stamp": password_stamp,
            "address": address, "now": now, "expires_at": now + hours * 3600})
    return token


def find(token: str) -> dict | None:
    """The open session with this token: its user name and password stamp; None if it ended or expired."""
    with _store() as con:
        row = con.execute(sql("review/session_find"), {"session_hash": _hash(token), "now": time.time()}).fetchone()
    return dict(row) if row else None


def end(token: str | None = None, username: str | None = None, why: str = "logout") -> None:
    """End one session (a logout), or every open session of a user."""
    with _store() as con:
        con.execute(sql("review/session_end"), {"session_hash": _hash(token) if token else None,
                                                "username": username, "now": time.time(), "why": why})


@dataclass(frozen=True)
class Paused:
    """Logins paused for a user name or an address, until a time."""
    kind: str
    until: float

    @property
    def retry_after(self) -> int:
        return max(1, int(self.until - time.time()) + 1)

    def message(self, username: str) -> str:
        until = datetime.fromtimestamp(self.until, UTC).strftime("%H:%M UTC")
        minutes = WINDOW_S // 60
        if self.kind == "user":
            return (f"Too many failed logins for the user name {username!r}: {USER_LIMIT} in {minutes} minutes. "
                    f"Its logins are paused until {until}. Wait until then and try again, or ask whoever keeps "
                    "the users file to set a new password for you.")
        return (f"Too many failed logins from your address: {ADDRESS_LIMIT} in {minutes} minutes. Logins from it "
                f"are paused until {until}. Wait until then and try again.")


def paused(username: str, address: str) -> Paused | None:
    """Whether logins for this user name, or from this address, are paused by too many failures."""
    now = time.time()
    with _store() as con:
        rows = con.execute(sql("review/login_failures"), {"username": username, "address": address,
                                                          "since": now - WINDOW_S}).fetchall()
    for kind, limit in (("user", USER_LIMIT), ("address", ADDRESS_LIMIT)):
        times = [row["attempted_at"] for row in rows if row["kind"] == kind]  # newest first
        if len(times) >= limit:
            return Paused(kind, times[limit - 1] + WINDOW_S)  # when the limit-th newest failure stops counting
    return None


def record_attempt(username: str, address: str, ok: bool) -> None:
    now = time.time()
    with _store() as con:
        con.execute(sql("review/login_attempt"), {"now": now, "username": username, "address": address, "ok": ok})
        con.execute(sql("review/login_attempts_purge"), {"before": now - DAY_S})
