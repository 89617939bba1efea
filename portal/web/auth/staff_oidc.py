"""Staff sign-in through the council's OpenID Connect provider (Microsoft Entra ID in production).

Authorisation code flow with state, nonce and PKCE (S256), through Authlib. Off, and its
routes 404, when STAFF_OIDC_ISSUER is unset. Whatever goes wrong at the provider or on the
way (a refusal, a stale or forged state, a timeout) ends on a page that says so, never a 500.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.flask_client import OAuthError
from flask import Blueprint, Flask, abort, current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from joserfc.errors import JoseError

from portal import db
from portal.extensions import oauth
from portal.services import staff_identity
from portal.services.staff_identity import ProviderRules, StaffClaims, StaffSignInRefused
from portal.vocabulary import Role
from portal.web.auth.signing_in import complete_sign_in
from portal.web.current import now, public, public_url, session_ref
from portal.web.limits import PER_ADDRESS, limiter

log = logging.getLogger(__name__)

bp = Blueprint("staff_oidc", __name__)

NAME = "staff"  # Authlib's name for the client: its state is kept under "_state_staff_…".
PROVIDER_TIMEOUT = 10  # seconds, for every request to the provider
SCOPE = "openid email profile"
# Claims the ID token may leave to userinfo (Entra ID leaves email; others leave groups).
USERINFO_CLAIMS = ("email", "name", "groups", "amr")
MAX_SUBJECT = 255


@dataclass(frozen=True)
class StaffProvider:
    issuer: str
    client: Any  # Authlib's FlaskOAuth2App
    rules: ProviderRules


class ProviderFailure(Exception):
    """The provider's answer cannot be used; `reason` picks the page's words."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@bp.route("/staff/sign-in")
@public
@limiter.limit(PER_ADDRESS)
def start() -> ResponseReturnValue:
    """Anyone: sends the browser to the council's provider, with state, nonce and PKCE."""
    provider = _provider()
    try:
        response: ResponseReturnValue = provider.client.authorize_redirect(_callback_url())
    except (requests.RequestException, ValueError) as error:
        return _failed(_network_failure(error))
    return response


@bp.route("/staff/sign-in/callback")
@public
@limiter.limit(PER_ADDRESS)
def callback() -> ResponseReturnValue:
    """Anyone coming back from the provider: a staff member with a mapped group and a second
    factor gets a session; everyone else a page that says why."""
    provider = _provider()
    try:
        claims = _claims(provider)
        account = staff_identity.staff_account_for(db.session(), claims, provider.rules, now())
    except ProviderFailure as failure:
        return _failed(failure)
    except StaffSignInRefused as refusal:
        return render_template("auth/staff-refused.html", reason=refusal.reason.value), 403
    target = complete_sign_in(account)
    staff_identity.record_sign_in(db.session(), account, claims.issuer, session_ref())
    return redirect(target)


def _claims(provider: StaffProvider) -> StaffClaims:
    """The validated ID token's claims (nonce included), completed from userinfo."""
    try:
        token = provider.client.authorize_access_token()
        # Authlib sets "userinfo" only from an ID token whose signature, issuer, audience,
        # expiry and nonce it has checked.
        claims = dict(token.get("userinfo") or {})
        if claims.get("iss") != provider.issuer:
            log.warning("staff sign-in: ID token from %r, not STAFF_OIDC_ISSUER", claims.get("iss"))
            raise ProviderFailure("invalid_response", 400)
        if any(key not in claims for key in USERINFO_CLAIMS):
            _add_userinfo(provider.client, token, claims)
    except MismatchingStateError as error:
        raise ProviderFailure("bad_state", 400) from error
    except OAuthError as error:
        raise _oauth_failure(error) from error
    except (requests.RequestException, ValueError) as error:
        raise _network_failure(error) from error
    except (AuthlibBaseError, JoseError) as error:
        log.warning("staff sign-in: unusable ID token: %s", error)
        raise ProviderFailure("invalid_response", 400) from error
    return _staff_claims(claims)


def _add_userinfo(client: Any, token: dict[str, Any], claims: dict[str, Any]) -> None:
    """Userinfo fills gaps only: what the signed ID token says is never overwritten."""
    extra = client.userinfo(token=token)
    if extra.get("sub") != claims.get("sub"):
        raise ProviderFailure("invalid_response", 400)
    for key, value in extra.items():
        claims.setdefault(key, value)


def _staff_claims(claims: dict[str, Any]) -> StaffClaims:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > MAX_SUBJECT:
        raise ProviderFailure("invalid_response", 400)
    return StaffClaims(
        issuer=claims["iss"],
        subject=subject,
        email=_text(claims.get("email")),
        name=_text(claims.get("name")),
        groups=_strings(claims.get("groups")),
        amr=_strings(claims.get("amr")),
        acr=_text(claims.get("acr")),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str))
    return ()


def _oauth_failure(error: OAuthError) -> ProviderFailure:
    """An error the provider sent back, such as a cancelled sign-in or a refused request."""
    log.info("staff sign-in: provider answered %s: %s", error.error, error.description)
    if error.error in {"access_denied", "consent_required", "interaction_required"}:
        return ProviderFailure("denied", 403)
    return ProviderFailure("provider_error", 400)


def _network_failure(error: Exception) -> ProviderFailure:
    log.warning("staff sign-in: provider unreachable or unreadable: %s", error)
    return ProviderFailure("unavailable", 503)


def _failed(failure: ProviderFailure) -> ResponseReturnValue:
    return render_template("auth/staff-sign-in-failed.html", reason=failure.reason), failure.status


def _callback_url() -> str:
    """The redirect URI registered at the provider: fixed by PUBLIC_URL, not the Host header."""
    return public_url() + url_for("staff_oidc.callback")


def _provider() -> StaffProvider:
    provider: StaffProvider | None = current_app.extensions.get("staff_oidc")
    if provider is None:
        abort(404)
    return provider


def staff_sign_in_enabled() -> bool:
    """For templates: whether to offer the council sign-in."""
    return current_app.extensions.get("staff_oidc") is not None


def _rules(config: dict[str, Any]) -> ProviderRules:
    group_roles = {group: Role(role) for group, role in config["STAFF_OIDC_GROUP_ROLES"].items()}
    if not group_roles or Role.FAMILY in group_roles.values():
        raise ValueError("STAFF_OIDC_GROUP_ROLES must map at least one group, to staff roles only")
    return ProviderRules(
        group_roles=group_roles,
        mfa_amr=frozenset(config["STAFF_OIDC_MFA_AMR"]),
        mfa_acr=frozenset(config["STAFF_OIDC_MFA_ACR"]),
    )


def _register(app: Flask) -> StaffProvider:
    """Fails at start if the provider is half configured: never a staff sign-in that
    cannot work, or one that maps people to the wrong role."""
    config = app.config
    missing = [k for k in ("STAFF_OIDC_CLIENT_ID", "STAFF_OIDC_CLIENT_SECRET") if not config.get(k)]
    if missing:
        raise RuntimeError(f"STAFF_OIDC_ISSUER is set but not {', '.join(missing)}")
    issuer = config["STAFF_OIDC_ISSUER"]
    client = oauth.register(
        NAME,
        client_id=config["STAFF_OIDC_CLIENT_ID"],
        client_secret=config["STAFF_OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={
            "scope": SCOPE,
            "code_challenge_method": "S256",
            "default_timeout": PROVIDER_TIMEOUT,
        },
    )
    return StaffProvider(issuer=issuer, client=client, rules=_rules(config))


def init_app(app: Flask) -> None:
    oauth.init_app(app)
    # Authlib keeps one client per name in the process; each app (one per test) needs its own.
    oauth._clients.pop(NAME, None)
    if app.config.get("STAFF_OIDC_ISSUER"):
        app.extensions["staff_oidc"] = _register(app)
    app.add_template_global(staff_sign_in_enabled)
    app.register_blueprint(bp)
