"""Logins, roles and CSRF for the review app, on a signed session cookie (HttpOnly, SameSite=Lax).

The session holds the user's name, a stamp of their password hash, and the CSRF token every form posts
back. The user's role is read from the users file on each request, so a change there applies at once.
"""

import hmac
import secrets

from fastapi import Depends, Request

from adcraft.review.users import User, load_users

USER, STAMP, CSRF, FLASH = "user", "stamp", "csrf", "flash"


class LoginRequired(Exception):
    pass


class Forbidden(Exception):
    pass


def users(request: Request) -> dict[str, User]:
    return load_users(request.app.state.settings.review_users_path)


def optional_user(request: Request) -> User | None:
    user = users(request).get(request.session.get(USER, ""))
    if user is None or request.session.get(STAMP) != user.session_stamp:
        return None  # logged out, removed from the file, or the password changed since
    return user


def current_user(request: Request) -> User:
    user = optional_user(request)
    if user is None:
        raise LoginRequired()
    return user


def reviewer(request: Request, user: User = Depends(current_user)) -> User:
    if not user.can_decide:
        raise Forbidden(f"{user.name} has the viewer role: viewers can look but not decide or publish. Ask "
                        f"whoever keeps {request.app.state.settings.review_users_path.name} "
                        "to give you the reviewer role.")
    return user


def log_in(request: Request, user: User) -> None:
    """A fresh session for the user: nothing from before the login (a planted token) carries over."""
    request.session.clear()
    request.session.update({USER: user.name, STAMP: user.session_stamp, CSRF: secrets.token_urlsafe(32)})


def csrf_token(request: Request) -> str:
    if CSRF not in request.session:
        request.session[CSRF] = secrets.token_urlsafe(32)
    return request.session[CSRF]


async def csrf_valid(request: Request) -> None:
    """The form carries this session's CSRF token (the login form too: no login planted from elsewhere)."""
    sent = (await request.form()).get("csrf_token", "")
    expected = request.session.get(CSRF, "")
    if not (expected and isinstance(sent, str) and hmac.compare_digest(sent, expected)):
        raise Forbidden("This form was not sent from a page of this app, or your session changed since you "
                        "loaded it. Reload the page and try again.")


async def csrf_checked(request: Request, user: User = Depends(current_user)) -> User:
    """For every POST after login: first the login (401), then the form's CSRF token (403)."""
    await csrf_valid(request)
    return user


def flash(request: Request, message: str) -> None:
    request.session[FLASH] = [*request.session.get(FLASH, []), message][-3:]


def take_flashes(request: Request) -> list[str]:
    return request.session.pop(FLASH, [])
