"""Blueprints: thin views that parse, call one service, and render or redirect."""

from __future__ import annotations

from flask import Flask

from portal.web import compression, errors, form_data, limits, security
from portal.web.accounts import views as accounts
from portal.web.auth import one_login, staff_oidc
from portal.web.auth import views as auth
from portal.web.family import (
    access_record,
    complaints,
    contact_details,
    copy_requests,
    corrections,
    guardian,
    sharing,
    your_complaints,
)
from portal.web.family import views as family
from portal.web.pages import views as pages
from portal.web.staff import complaint_actions as staff_complaint_actions
from portal.web.staff import complaint_dashboard as staff_complaint_dashboard
from portal.web.staff import complaints as staff_complaints
from portal.web.staff import copy_request_actions as staff_copy_request_actions
from portal.web.staff import copy_requests as staff_copy_requests
from portal.web.staff import corrections as staff_corrections
from portal.web.staff import guardian_requests as staff_guardian
from portal.web.staff import invitations as staff_invitations
from portal.web.staff import partners as staff_partners
from portal.web.staff import relationships as staff_relationships
from portal.web.staff import sharing_events as staff_sharing_events
from portal.web.staff import views as staff


def init_app(app: Flask) -> None:
    # First, so that it runs last: it compresses the page every other hook has finished.
    compression.init_app(app)
    form_data.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    limits.init_app(app)
    auth.init_app(app)
    staff_oidc.init_app(app)
    one_login.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(family.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(guardian.bp)
    app.register_blueprint(corrections.bp)
    app.register_blueprint(contact_details.bp)
    app.register_blueprint(sharing.bp)
    app.register_blueprint(access_record.bp)
    app.register_blueprint(complaints.bp)
    app.register_blueprint(your_complaints.bp)
    app.register_blueprint(copy_requests.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(staff_guardian.bp)
    app.register_blueprint(staff_corrections.bp)
    app.register_blueprint(staff_complaints.bp)
    app.register_blueprint(staff_complaint_actions.bp)
    app.register_blueprint(staff_complaint_dashboard.bp)
    app.register_blueprint(staff_copy_requests.bp)
    app.register_blueprint(staff_copy_request_actions.bp)
    app.register_blueprint(staff_invitations.bp)
    app.register_blueprint(staff_relationships.bp)
    app.register_blueprint(staff_sharing_events.bp)
    app.register_blueprint(staff_partners.bp)
