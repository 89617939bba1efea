"""Staff sign-in through the council's OpenID Connect provider (Microsoft Entra ID in production).

Authorisation code flow with state, nonce and PKCE (S256), through Authlib. Off, and its
routes 404, when STAFF_OIDC_ISSUER is unset. Whatever goes wrong at the provider or on the
way (a refusal, a stale or forged state, a timeout) ends on a page that says so, never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from flask import Blueprint, Flask, abort, current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from portal import db
from portal.extensions import oauth
from portal.services import staff_identity
from portal.services.staff_identity import ProviderRules, StaffClaims, StaffSignInRefused
from portal.vocabulary import Role
from portal.web.auth.oidc_common import (
    ProviderFailure,
    add_userinfo,
    discovery_url,
    forget_client,
    id_token_claims,
    network_failure,
    provider_errors,
    strings,
    subject_of,
    text,
)
from portal.web.auth.signing_in import complete_sign_in
from portal.web.current import now, public, public_url, session_ref
from portal.web.limits import PER_ADDRESS, limiter

bp = Blueprint("staff_oidc", __name__)

NAME = "staff"  # Authlib's name for the client: its state is kept under "_state_staff_…".
PROVIDER_TIMEOUT = 10  # seconds, for every request to the provider
SCOPE = "openid email profile"
# Claims the ID token may leave to userinfo (Entra ID leaves email; others leave groups).
USERINFO_CLAIMS = ("email", "name", "groups", "amr")
LABEL = "staff sign-in"  # for the log


@dataclass(frozen=True)
class StaffProvider:
    issuer: str
    client: Any  # Authlib's FlaskOAuth2App
    rules: ProviderRules


@bp.route("/staff/sign-in")
@public
@limiter.limit(PER_ADDRESS)
def start() -> ResponseReturnValue:
    """Anyone: sends the browser to the council's provider, with state, nonce and PKCE."""
    provider = _provider()
    try:
        response: ResponseReturnValue = provider.client.authorize_redirect(_callback_url())
    except (requests.RequestException, ValueError) as error:
        return _failed(network_failure(error, LABEL))
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
    with provider_errors(LABEL):
        token, claims = id_token_claims(provider.client, provider.issuer, LABEL)
        if any(key not in claims for key in USERINFO_CLAIMS):
            add_userinfo(provider.client, token, claims)
    return _staff_claims(claims)


def _staff_claims(claims: dict[str, Any]) -> StaffClaims:
    return StaffClaims(
        issuer=claims["iss"],
        subject=subject_of(claims),
        email=text(claims.get("email")),
        name=text(claims.get("name")),
        groups=strings(claims.get("groups")),
        amr=strings(claims.get("amr")),
        acr=text(claims.get("acr")),
    )


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
        server_metadata_url=discovery_url(issuer),
        client_kwargs={
            "scope": SCOPE,
            "code_challenge_method": "S256",
            "default_timeout": PROVIDER_TIMEOUT,
        },
    )
    return StaffProvider(issuer=issuer, client=client, rules=_rules(config))


def init_app(app: Flask) -> None:
    forget_client(app, NAME)
    if app.config.get("STAFF_OIDC_ISSUER"):
        app.extensions["staff_oidc"] = _register(app)
    app.add_template_global(staff_sign_in_enabled)
    app.register_blueprint(bp)
