"""Configuration read from the environment, and the paths of the top-level folders.

Secrets have no defaults: a missing SECRET_KEY, AUDIT_HMAC_KEY or data key stops the app at
start rather than running with a guessable key.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
TRANSLATIONS = ROOT / "translations"
INSTANCE = ROOT / "instance"

DEFAULT_DATABASE_URL = f"sqlite:///{INSTANCE / 'portal.db'}"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:5000"
DEFAULT_MAIL_FROM = "Family Data Portal <no-reply@example.gov.uk>"
DEFAULT_SMTP_PORT = 587
DEFAULT_NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
DEFAULT_ONE_LOGIN_VTR = "Cl.Cm"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment() -> dict[str, Any]:
    """The settings of a running portal, production or `make run`."""
    secure_cookies = _flag("SECURE_COOKIES", True)
    return {
        # Never debug mode in a running portal, whatever FLASK_DEBUG says.
        "DEBUG": False,
        "SECRET_KEY": os.environ["SECRET_KEY"],
        # Signs the audit chain (portal/audit_keys.py); keep it as long as the events.
        "AUDIT_HMAC_KEY": os.environ["AUDIT_HMAC_KEY"],
        "AUDIT_HMAC_KEY_ID": os.environ.get("AUDIT_HMAC_KEY_ID", "1"),
        "AUDIT_HMAC_RETIRED_KEYS": _pairs(os.environ.get("AUDIT_HMAC_RETIRED_KEYS", "")),
        # Encryption of personal data at rest and its blind index (portal/encryption.py).
        "DATA_KEYS": os.environ["DATA_KEYS"],
        "DATA_KEY_ID": os.environ["DATA_KEY_ID"],
        "BLIND_INDEX_KEY": os.environ["BLIND_INDEX_KEY"],
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        "COUNCIL_NAME": os.environ.get("COUNCIL_NAME", "Shropshire Council"),
        "COUNCIL_NAME_CY": os.environ.get("COUNCIL_NAME_CY", "Cyngor Swydd Amwythig"),
        "DPO_EMAIL": os.environ.get("DPO_EMAIL", "information.request@shropshire.gov.uk"),
        "SESSION_COOKIE_SECURE": secure_cookies,
        "SESSION_COOKIE_NAME": "__Host-session" if secure_cookies else "session",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "PREFERRED_URL_SCHEME": "https" if secure_cookies else "http",
        # Required: a request naming any other host is refused (no Host header injection).
        "TRUSTED_HOSTS": _hosts(os.environ["TRUSTED_HOSTS"]),
        "ATTACHMENTS_DIR": os.environ.get("ATTACHMENTS_DIR", str(INSTANCE / "attachments")),
        # Built copies of people's data (ZIPs), kept until 30 days after release.
        "COPIES_DIR": os.environ.get("COPIES_DIR", str(INSTANCE / "copies")),
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", DEFAULT_PUBLIC_URL),
        # Rate limits count across every process and machine only in a shared store.
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL", "memory://"),
        # Background jobs on RQ when set, else inline in this process (portal/jobs/).
        "JOBS_REDIS_URL": os.environ.get("REDIS_URL") or None,
        "JOB_QUEUE_PREFIX": os.environ.get("JOB_QUEUE_PREFIX", "portal"),
        # Seconds before each retry of a failed job; then it waits in RQ's failed registry.
        "JOB_RETRY_INTERVALS": _seconds(os.environ.get("JOB_RETRY_INTERVALS", "60,300,1800")),
        # How many reverse proxies in front set X-Forwarded-For (0: none, trust no header).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # The policy target for a complaint's outcome, in calendar months (DESIGN.md).
        "COMPLAINT_RESPONSE_MONTHS": int(os.environ.get("COMPLAINT_RESPONSE_MONTHS", "1")),
        **_retention_settings(),
        **_notification_settings(),
        **_staff_oidc_settings(),
        **_one_login_settings(),
    }


def _retention_settings() -> dict[str, Any]:
    """The retention schedule (DESIGN.md "Retention"), applied by `flask --app portal
    retention` (portal/services/retention.py)."""
    return {
        name: int(os.environ.get(name, default)) for name, default in RETENTION_DEFAULTS.items()
    }


RETENTION_DEFAULTS = {
    # Complaints, correction requests and copy requests: years after closure.
    "COMPLAINT_RETENTION_YEARS": 6,
    "REQUEST_RETENTION_YEARS": 6,
    # A released copy (the ZIP): days after release.
    "COPY_RETENTION_DAYS": 30,
    # Unused invitation codes: days after issue.
    "INVITATION_RETENTION_DAYS": 30,
    # Early Help case data: until the youngest child in the household is this old.
    "CASE_RETENTION_AGE": 25,
    # A household with no child recorded: also years after the last case activity.
    "NO_CHILD_CASE_RETENTION_YEARS": 6,
}


def _notification_settings() -> dict[str, Any]:
    """Emails by GOV.UK Notify when NOTIFY_API_KEY is set, else SMTP; text messages by Notify
    only, when NOTIFY_SMS_TEMPLATE_ID is also set (portal/services/delivery.py)."""
    return {
        "SMTP_HOST": os.environ.get("SMTP_HOST"),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", DEFAULT_SMTP_PORT)),
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS", True),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME"),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", DEFAULT_MAIL_FROM),
        "NOTIFY_API_KEY": os.environ.get("NOTIFY_API_KEY"),
        "NOTIFY_BASE_URL": os.environ.get("NOTIFY_BASE_URL", DEFAULT_NOTIFY_BASE_URL),
        "NOTIFY_TEMPLATE_ID": os.environ.get("NOTIFY_TEMPLATE_ID"),
        "NOTIFY_SMS_TEMPLATE_ID": os.environ.get("NOTIFY_SMS_TEMPLATE_ID"),
    }


def _staff_oidc_settings() -> dict[str, Any]:
    """The council's OpenID Connect provider for staff sign-in; off when STAFF_OIDC_ISSUER is
    unset (portal/web/auth/staff_oidc.py)."""
    return {
        "STAFF_OIDC_ISSUER": os.environ.get("STAFF_OIDC_ISSUER") or None,
        "STAFF_OIDC_CLIENT_ID": os.environ.get("STAFF_OIDC_CLIENT_ID"),
        "STAFF_OIDC_CLIENT_SECRET": os.environ.get("STAFF_OIDC_CLIENT_SECRET"),
        "STAFF_OIDC_GROUP_ROLES": _pairs(os.environ.get("STAFF_OIDC_GROUP_ROLES", "")),
        "STAFF_OIDC_MFA_AMR": _words(os.environ.get("STAFF_OIDC_MFA_AMR", "mfa")),
        "STAFF_OIDC_MFA_ACR": _words(os.environ.get("STAFF_OIDC_MFA_ACR", "")),
    }


def _one_login_settings() -> dict[str, Any]:
    """GOV.UK One Login for families; off when ONE_LOGIN_ISSUER is unset
    (portal/web/auth/one_login.py, which refuses to start if it is half configured)."""
    return {
        "ONE_LOGIN_ISSUER": os.environ.get("ONE_LOGIN_ISSUER") or None,
        "ONE_LOGIN_CLIENT_ID": os.environ.get("ONE_LOGIN_CLIENT_ID") or None,
        "ONE_LOGIN_PRIVATE_KEY": _one_login_private_key(),
        "ONE_LOGIN_VTR": os.environ.get("ONE_LOGIN_VTR") or DEFAULT_ONE_LOGIN_VTR,
    }


def _one_login_private_key() -> str | None:
    """The PEM itself, or a file holding it; an unreadable file stops the app at start."""
    pem = os.environ.get("ONE_LOGIN_PRIVATE_KEY") or None
    path = os.environ.get("ONE_LOGIN_PRIVATE_KEY_FILE") or None
    if pem and path:
        raise RuntimeError("set ONE_LOGIN_PRIVATE_KEY or ONE_LOGIN_PRIVATE_KEY_FILE, not both")
    if path:
        return Path(path).read_text(encoding="ascii")
    # A PEM squeezed onto one line keeps its line breaks as "\n".
    return pem.replace("\\n", "\n") if pem else None


def _words(value: str) -> tuple[str, ...]:
    """A comma-separated list, blanks dropped."""
    return tuple(word.strip() for word in value.split(",") if word.strip())


def _pairs(value: str) -> dict[str, str]:
    """Comma-separated `name=value` pairs, in the order given."""
    pairs = (word.partition("=") for word in _words(value))
    return {key.strip(): role.strip() for key, _, role in pairs}


def _seconds(value: str) -> tuple[int, ...]:
    return tuple(int(word) for word in _words(value))


def _hosts(value: str) -> list[str]:
    hosts = [host.strip() for host in value.split(",") if host.strip()]
    if not hosts:
        raise RuntimeError("TRUSTED_HOSTS must name the host names the portal is served under")
    return hosts


BASE: dict[str, Any] = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 12 * 60 * 60,
    "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_DEFAULT_LOCALE": "en_GB",
    "BABEL_DEFAULT_TIMEZONE": "Europe/London",
    "BABEL_TRANSLATION_DIRECTORIES": str(TRANSLATIONS),
    "LANGUAGES": ("en", "cy"),
    "RATELIMIT_STORAGE_URI": "memory://",
    "JOBS_REDIS_URL": None,
    "JOB_QUEUE_PREFIX": "portal",
    "JOB_RETRY_INTERVALS": (60, 300, 1800),
    "ATTACHMENTS_DIR": str(INSTANCE / "attachments"),
    "COPIES_DIR": str(INSTANCE / "copies"),
    "TRUSTED_PROXIES": 0,
    "COUNCIL_NAME": "Shropshire Council",
    "COUNCIL_NAME_CY": "Cyngor Swydd Amwythig",
    "DPO_EMAIL": "information.request@shropshire.gov.uk",
    "COMPLAINT_RESPONSE_MONTHS": 1,
    **RETENTION_DEFAULTS,
    "PUBLIC_URL": DEFAULT_PUBLIC_URL,
    "STAFF_OIDC_ISSUER": None,
    "STAFF_OIDC_GROUP_ROLES": {},
    "STAFF_OIDC_MFA_AMR": ("mfa",),
    "STAFF_OIDC_MFA_ACR": (),
    "ONE_LOGIN_ISSUER": None,
    "ONE_LOGIN_VTR": DEFAULT_ONE_LOGIN_VTR,
    "AUDIT_HMAC_KEY_ID": "1",
    "AUDIT_HMAC_RETIRED_KEYS": {},
}


# Fixed keys for the test suite only (32 bytes each, base64).
TEST_KEYS = {
    "DATA_KEYS": "test-1:dGVzdC1vbmx5LWRhdGEta2V5LW5vdC1mb3ItdXNlLTE=",
    "DATA_KEY_ID": "test-1",
    "BLIND_INDEX_KEY": "dGVzdC1vbmx5LWJsaW5kLWluZGV4LWtleS1ub3QtdXNl",
}


def for_tests(database_url: str) -> dict[str, Any]:
    """Settings for the test suite: a fixed key, plain cookies over http."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return {
        "TESTING": True,
        "SECRET_KEY": "test-only-secret-key-not-for-production",
        "AUDIT_HMAC_KEY": "test-only-audit-key-not-for-production",
        **TEST_KEYS,
        "DATABASE_URL": database_url,
        "SESSION_COOKIE_SECURE": False,
        "SESSION_COOKIE_NAME": "session",
        "WTF_CSRF_ENABLED": True,
        "PUBLIC_URL": "http://localhost",
        # One pair of folders per test process: `make test` runs the suite in parallel.
        "ATTACHMENTS_DIR": str(Path(tempfile.gettempdir()) / f"portal-test-attachments-{worker}"),
        "COPIES_DIR": str(Path(tempfile.gettempdir()) / f"portal-test-copies-{worker}"),
    }
