"""Families sign in with GOV.UK One Login instead of their password.

Authorisation code flow with state, nonce and PKCE (S256), through Authlib. At the token
endpoint the portal authenticates with private_key_jwt: an assertion signed with its own
private key, whose public key One Login holds. The portal asks for a level of authentication
with One Login's `vtr` parameter and refuses an ID token whose `vot` is not that level.

A first sign-in links the One Login identity to a portal account only after the invitation
check (the code from the Early Help worker and the date of birth); until then the identity
waits, for 10 minutes, in the signed cookie session. Off, and its routes 404, when
ONE_LOGIN_ISSUER is unset; the app will not start if it is half configured.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

import requests
from authlib.oauth2.rfc7523 import PrivateKeyJWT, private_key_jwt_sign
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from forms.one_login import LinkOneLoginForm
from portal import db
from portal.extensions import oauth
from portal.i18n import chosen_language
from portal.models import Account
from portal.services import one_login, two_step
from portal.services.one_login import LinkRequest, OneLoginIdentity, OneLoginRefused
from portal.web.auth.oidc_common import (
    ProviderFailure,
    add_userinfo,
    discovery_url,
    forget_client,
    id_token_claims,
    network_failure,
    provider_errors,
    subject_of,
    text,
)
from portal.web.auth.signing_in import complete_sign_in, fresh_session, hold_for_second_step
from portal.web.current import now, public, public_url, safe_next, session_ref
from portal.web.limits import ACCOUNT_CREATION, PER_ADDRESS, limiter

log = logging.getLogger(__name__)

bp = Blueprint("one_login", __name__)

# Authlib's name for the client (its state is kept under "_state_govuk_one_login_…"). Not
# "one_login": Authlib would read ONE_LOGIN_CLIENT_ID and the like from the config by itself.
NAME = "govuk_one_login"
PROVIDER_TIMEOUT = 10  # seconds, for every request to One Login
SCOPE = "openid email"
LEVELS = ("Cl", "Cl.Cm")  # One Login's credential levels: password; password and a second factor
PENDING = "one_login_pending"
PENDING_FOR = dt.timedelta(minutes=10)
NEXT = "one_login_next"
MAX_EMAIL = 320
LABEL = "One Login sign-in"  # for the log
ASSERTION_LIFETIME = 300  # seconds; Authlib's default is an hour


@dataclass(frozen=True)
class OneLoginProvider:
    issuer: str
    client: Any  # Authlib's FlaskOAuth2App
    vtr: str

    @property
    def second_factor(self) -> bool:
        """Cl.Cm includes a second factor, so the portal's own second step would repeat it."""
        return "Cm" in self.vtr.split(".")


class ShortLivedPrivateKeyJWT(PrivateKeyJWT):
    """private_key_jwt whose client assertions expire within minutes, not Authlib's hour:
    one copied from a log or a proxy is of little use."""

    def sign(self, auth: Any, token_endpoint: str) -> str:
        assertion: str = private_key_jwt_sign(
            auth.client_secret,
            client_id=auth.client_id,
            token_endpoint=token_endpoint,
            claims=self.claims,
            header=self.headers,
            alg=self.alg,
            expires_in=ASSERTION_LIFETIME,
        )
        return assertion


@bp.route("/one-login/sign-in")
@public
@limiter.limit(PER_ADDRESS)
def start() -> ResponseReturnValue:
    """Anyone: sends the browser to One Login, with state, nonce, PKCE, vtr and the language."""
    provider = _provider()
    try:
        response: ResponseReturnValue = provider.client.authorize_redirect(
            public_url() + url_for("one_login.callback"),
            vtr=json.dumps([provider.vtr]),
            ui_locales=chosen_language(),
        )
    except (requests.RequestException, ValueError) as error:
        return _failed(network_failure(error, LABEL))
    session[NEXT] = safe_next(request.args.get("next")) or ""
    return response


@bp.route("/one-login/callback")
@public
@limiter.limit(PER_ADDRESS)
def callback() -> ResponseReturnValue:
    """Anyone coming back from One Login: a linked family account gets a session; an identity
    not linked yet goes on to the invitation check."""
    provider = _provider()
    next_url = safe_next(session.get(NEXT))
    try:
        identity = _identity(provider)
        account = one_login.linked_account(db.session(), identity)
    except ProviderFailure as failure:
        return _failed(failure)
    except OneLoginRefused as refusal:
        return _refused(refusal)
    if account is not None:
        return _finish(provider, account, next_url)
    _hold(identity, next_url)
    return redirect(url_for("one_login.link"))


@bp.route("/one-login/link", methods=["GET", "POST"])
@public
@limiter.limit(PER_ADDRESS)
@limiter.limit(ACCOUNT_CREATION, methods=["POST"])
def link() -> ResponseReturnValue:
    """Whoever has just come back from One Login with an identity not linked yet: the
    invitation code and date of birth link it, creating the account if there is none."""
    provider = _provider()
    held = _held()
    if held is None:
        session.pop(PENDING, None)
        return redirect(url_for("auth.sign_in"))
    identity, next_url = held
    form = LinkOneLoginForm()
    failed = False
    if form.validate_on_submit() and form.date_of_birth.data is not None:
        typed = LinkRequest(form.invitation_code.data, form.date_of_birth.data, chosen_language())
        secret = current_app.config["SECRET_KEY"]
        try:
            account = one_login.link_with_invitation(
                db.session(), identity, typed, now(), secret, public_url()
            )
        except OneLoginRefused as refusal:
            session.pop(PENDING, None)
            return _refused(refusal)
        if account is not None:
            return _finish(provider, account, next_url)
        failed = True
        form.mark_refused()
    return render_template("auth/one-login-link.html", form=form, failed=failed)


def _finish(
    provider: OneLoginProvider, account: Account, next_url: str | None
) -> ResponseReturnValue:
    """Signs in. At a level without a second factor, two-step families still take their step."""
    if not provider.second_factor and two_step.enabled(account):
        hold_for_second_step(account, next_url)
        return redirect(url_for("two_step.security_code"))
    target = complete_sign_in(account, next_url)
    one_login.record_sign_in(db.session(), account, provider.issuer, session_ref())
    return redirect(target)


def _identity(provider: OneLoginProvider) -> OneLoginIdentity:
    """The checked ID token's subject, at the level asked for; email from userinfo."""
    with provider_errors(LABEL):
        token, claims = id_token_claims(provider.client, provider.issuer, LABEL)
        if claims.get("vot") != provider.vtr:
            log.warning("%s: vot %r, not %r", LABEL, claims.get("vot"), provider.vtr)
            raise ProviderFailure("level_too_low", 403)
        add_userinfo(provider.client, token, claims)
    email = text(claims.get("email"))
    if not email or len(email) > MAX_EMAIL:
        raise ProviderFailure("invalid_response", 400)
    return OneLoginIdentity(
        issuer=claims["iss"],
        subject=subject_of(claims),
        email=email,
        email_verified=claims.get("email_verified") is True,
    )


def _hold(identity: OneLoginIdentity, next_url: str | None) -> None:
    """Keeps the identity, signed but readable, in the cookie session while the person proves
    who they are; nothing else from before survives."""
    fresh_session()
    session[PENDING] = {
        "issuer": identity.issuer,
        "subject": identity.subject,
        "email": identity.email,
        "email_verified": identity.email_verified,
        "until": (now() + PENDING_FOR).timestamp(),
        "next": next_url or "",
    }


def _held() -> tuple[OneLoginIdentity, str | None] | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or pending.get("until", 0) < now().timestamp():
        return None
    try:
        identity = OneLoginIdentity(
            issuer=str(pending["issuer"]),
            subject=str(pending["subject"]),
            email=str(pending["email"]),
            email_verified=pending["email_verified"] is True,
        )
    except KeyError:
        return None
    return identity, safe_next(pending.get("next"))


def _failed(failure: ProviderFailure) -> ResponseReturnValue:
    return render_template("auth/one-login-failed.html", reason=failure.reason), failure.status


def _refused(refusal: OneLoginRefused) -> ResponseReturnValue:
    return render_template("auth/one-login-refused.html", reason=refusal.reason.value), 403


def _provider() -> OneLoginProvider:
    provider: OneLoginProvider | None = current_app.extensions.get("one_login")
    if provider is None:
        abort(404)
    return provider


def one_login_enabled() -> bool:
    """For templates: whether to offer GOV.UK One Login."""
    return current_app.extensions.get("one_login") is not None


NOT_A_KEY = "ONE_LOGIN_PRIVATE_KEY is not a PEM RSA or P-256 private key"


def _signing_key(pem: str) -> tuple[RSAKey | ECKey, str]:
    """The portal's private key and the algorithm its client assertions use: RS256 for an
    RSA key, ES256 for a P-256 one."""
    try:
        return _private(RSAKey.import_key(pem)), "RS256"
    except (JoseError, ValueError):
        pass
    try:
        key = ECKey.import_key(pem)
    except (JoseError, ValueError) as error:
        raise RuntimeError(NOT_A_KEY) from error
    if key.curve_name != "P-256":
        raise RuntimeError(NOT_A_KEY)
    return _private(key), "ES256"


def _private(key: RSAKey | ECKey) -> RSAKey | ECKey:
    if not key.is_private:
        raise RuntimeError(NOT_A_KEY)
    return key


def _register(app: Flask) -> OneLoginProvider:
    """Fails at start if One Login is half configured: never a sign-in that cannot work."""
    config = app.config
    wanted = ("ONE_LOGIN_ISSUER", "ONE_LOGIN_CLIENT_ID", "ONE_LOGIN_PRIVATE_KEY")
    missing = [name for name in wanted if not config.get(name)]
    if missing:
        given = [name for name in wanted if name not in missing]
        raise RuntimeError(f"{', '.join(given)} set but not {', '.join(missing)}")
    if config["ONE_LOGIN_VTR"] not in LEVELS:
        raise ValueError(f"ONE_LOGIN_VTR must be one of {', '.join(LEVELS)}")
    key, alg = _signing_key(config["ONE_LOGIN_PRIVATE_KEY"])
    issuer = config["ONE_LOGIN_ISSUER"]
    client = oauth.register(
        NAME,
        client_id=config["ONE_LOGIN_CLIENT_ID"],
        client_secret=key,  # PrivateKeyJWT signs the client assertion with it
        server_metadata_url=discovery_url(issuer),
        client_auth_methods=[ShortLivedPrivateKeyJWT(alg=alg)],
        client_kwargs={
            "scope": SCOPE,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "private_key_jwt",
            "default_timeout": PROVIDER_TIMEOUT,
        },
    )
    return OneLoginProvider(issuer=issuer, client=client, vtr=config["ONE_LOGIN_VTR"])


def init_app(app: Flask) -> None:
    forget_client(app, NAME)
    wanted = ("ONE_LOGIN_ISSUER", "ONE_LOGIN_CLIENT_ID", "ONE_LOGIN_PRIVATE_KEY")
    if any(app.config.get(name) for name in wanted):
        app.extensions["one_login"] = _register(app)
    app.add_template_global(one_login_enabled)
    app.register_blueprint(bp)
