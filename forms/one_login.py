"""Linking a GOV.UK One Login to the portal: the same proof as creating an account."""

from __future__ import annotations

from wtforms import SubmitField

from forms.base import BaseForm
from forms.create_account import CreateAccountForm
from forms.fields import SubmitButton
from portal.i18n import lazy_gettext as _l


class LinkOneLoginForm(BaseForm):
    invitation_code = CreateAccountForm.invitation_code
    date_of_birth = CreateAccountForm.date_of_birth
    submit = SubmitField(_l("Continue"), widget=SubmitButton())
