"""What the two OpenID Connect sign-ins share: the council's provider for staff
(staff_oidc.py) and GOV.UK One Login for families (one_login.py).

Authlib checks the ID token (signature against the provider's JWKS, audience, expiry, nonce)
and the state; these helpers add the issuer check, fill gaps from userinfo, and turn whatever
goes wrong on the way into a ProviderFailure whose reason picks the page's words.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.flask_client import OAuthError
from flask import Flask
from joserfc.errors import JoseError

from portal.extensions import oauth

log = logging.getLogger(__name__)

MAX_SUBJECT = 255
DENIED = frozenset({"access_denied", "consent_required", "interaction_required"})


class ProviderFailure(Exception):
    """The provider's answer cannot be used; `reason` picks the page's words."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@contextmanager
def provider_errors(label: str) -> Iterator[None]:
    """Maps Authlib's, the network's and the JOSE library's errors to a ProviderFailure."""
    try:
        yield
    except MismatchingStateError as error:
        raise ProviderFailure("bad_state", 400) from error
    except OAuthError as error:
        raise oauth_failure(error, label) from error
    except (requests.RequestException, ValueError) as error:
        raise network_failure(error, label) from error
    except (AuthlibBaseError, JoseError) as error:
        log.warning("%s: unusable ID token: %s", label, error)
        raise ProviderFailure("invalid_response", 400) from error


def id_token_claims(client: Any, issuer: str, label: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Exchanges the code; returns the token and the claims of its checked ID token."""
    token: dict[str, Any] = client.authorize_access_token()
    # Authlib sets "userinfo" only from an ID token whose signature, issuer, audience,
    # expiry and nonce it has checked.
    claims = dict(token.get("userinfo") or {})
    if claims.get("iss") != issuer:
        log.warning("%s: ID token from %r, not the configured issuer", label, claims.get("iss"))
        raise ProviderFailure("invalid_response", 400)
    return token, claims


def add_userinfo(client: Any, token: dict[str, Any], claims: dict[str, Any]) -> None:
    """Userinfo fills gaps only: what the signed ID token says is never overwritten."""
    extra = client.userinfo(token=token)
    if extra.get("sub") != claims.get("sub"):
        raise ProviderFailure("invalid_response", 400)
    for key, value in extra.items():
        claims.setdefault(key, value)


def subject_of(claims: dict[str, Any]) -> str:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > MAX_SUBJECT:
        raise ProviderFailure("invalid_response", 400)
    return subject


def text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str))
    return ()


def oauth_failure(error: OAuthError, label: str) -> ProviderFailure:
    """An error the provider sent back, such as a cancelled sign-in or a refused request."""
    log.info("%s: provider answered %s: %s", label, error.error, error.description)
    if error.error in DENIED:
        return ProviderFailure("denied", 403)
    return ProviderFailure("provider_error", 400)


def network_failure(error: Exception, label: str) -> ProviderFailure:
    log.warning("%s: provider unreachable or unreadable: %s", label, error)
    return ProviderFailure("unavailable", 503)


def discovery_url(issuer: str) -> str:
    return f"{issuer.rstrip('/')}/.well-known/openid-configuration"


def forget_client(app: Flask, name: str) -> None:
    """Authlib keeps one client per name in the process; each app (one per test) needs its
    own, so the next registration under `name` must not find the last app's."""
    oauth.init_app(app)
    oauth._clients.pop(name, None)
