"""Who we shared your data with (filtered, paginated, downloadable as CSV), research
extracts, where the data came from, and who our partners are."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue

from forms.sharing import SharingFilterForm
from portal import db
from portal.csv_export import csv_text
from portal.i18n import chosen_language
from portal.i18n import gettext as _
from portal.models import Person, SharingEvent
from portal.services import sharing_record
from portal.services.audit import record_event
from portal.services.your_data import visible_people
from portal.vocabulary import PartnerKind, Role, label
from portal.web.current import account, public, role_required, session_ref, today, viewer

bp = Blueprint("sharing", __name__)


@bp.route("/who-we-shared-with")
@role_required(Role.FAMILY)
def record() -> ResponseReturnValue:
    """A family member: each time we shared data about someone whose record they may see."""
    people = visible_people(db.session(), viewer(), today())
    form, wanted = _filter(people)
    page = request.args.get("page", "1")
    shown = sharing_record.record_page(
        db.session(),
        viewer(),
        today(),
        people,
        wanted,
        page=int(page) if page.isascii() and page.isdigit() else 1,
    )
    return render_template(
        "family/sharing.html",
        form=form,
        found=shown.found,
        research=shown.research,
        research_count=shown.research_count,
        query=_query(),
    )


@bp.route("/who-we-shared-with.csv")
@role_required(Role.FAMILY)
def download() -> ResponseReturnValue:
    """The same record, as filtered, as a CSV file; the download is audited."""
    people = visible_people(db.session(), viewer(), today())
    wanted = _filter(people)[1]
    events = sharing_record.everything_shared(db.session(), viewer(), today(), people, wanted)
    header = [_("Date"), _("Shared with"), _("About"), _("What kinds of information")]
    header += [_("Why"), _("The law that allowed it")]
    body = csv_text(header, [_row(event) for event in events])
    record_event(
        db.session(),
        actor=account(),
        action="sharing.downloaded",
        session_ref=session_ref(),
        detail={"rows": str(len(events))},
    )
    db.session().commit()
    disposition = 'attachment; filename="who-we-shared-with.csv"'
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": disposition})


@bp.route("/where-your-data-came-from")
@role_required(Role.FAMILY)
def sources() -> ResponseReturnValue:
    """A family member: the organisations our data about them and their children came from."""
    found = sharing_record.sources_of(db.session(), viewer(), today())
    return render_template("family/sources.html", found=found)


@bp.route("/partners/<code>")
@public
def partner(code: str) -> ResponseReturnValue:
    """Anyone: who a partner organisation is and why the council shares with them."""
    found = sharing_record.partner_by_code(db.session(), code)
    if found is None:
        abort(404)
    return render_template("pages/partner.html", partner=found)


def _filter(people: list[Person]) -> tuple[SharingFilterForm, sharing_record.SharingFilter]:
    """The GET form, offering only `people` (those the viewer may see); an invalid filter
    shows its errors and filters nothing."""
    form = SharingFilterForm(request.args, meta={"csrf": False})
    form.offer_people([(str(person.id), person.full_name) for person in people])
    if not form.validate():
        return form, sharing_record.SharingFilter()
    return form, sharing_record.SharingFilter(
        person_id=uuid.UUID(form.person.data) if form.person.data else None,
        partner_kind=PartnerKind(form.partner_kind.data) if form.partner_kind.data else None,
        shared_from=form.shared_from.data,
        shared_to=form.shared_to.data,
    )


def _query() -> dict[str, list[str]]:
    """The filter as chosen, for the page links and the download link."""
    return {key: values for key, values in request.args.lists() if key != "page"}


def _row(event: SharingEvent) -> list[str]:
    partner = event.partner.name_cy if chosen_language() == "cy" else event.partner.name_en
    kinds = "; ".join(str(label(category)) for category in sharing_record.categories_of(event))
    return [
        event.shared_on.isoformat(),
        partner,
        event.person.full_name,
        kinds,
        str(label(event.purpose)),
        str(label(event.lawful_basis)),
    ]
