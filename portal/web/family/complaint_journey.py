"""Where someone is in making a complaint: which pages they must answer (a family member says
whom it is about; someone without an account gives their name and how to reply), what they
have answered so far (a server-side draft, portal/services/complaint_drafts.py), and where to
go next. The views in portal/web/family/complaints.py use it on every page."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, session, url_for
from flask_login import current_user

from forms.complaints import NOT_ONE_PERSON
from portal import db
from portal.i18n import chosen_language
from portal.i18n import gettext as _
from portal.models import Account, Person
from portal.services.complaint_drafts import Draft, DraftFile, Drafts, owner_of
from portal.services.complaints import Complainant
from portal.services.your_complaints import people_to_name
from portal.uploads import CheckedFile
from portal.vocabulary import Role
from portal.web.attachments import attachments_dir
from portal.web.current import account, now, today, viewer

DRAFT = "complaint_draft"


@dataclass(frozen=True)
class Step:
    """One page of questions: its view, and the answer that says it has been answered."""

    endpoint: str
    answer: str


CATEGORY = Step("complaints.category", "category")
PERSON = Step("complaints.person", "about")
WHAT_HAPPENED = Step("complaints.what_happened", "what_happened")
DESIRED_OUTCOME = Step("complaints.desired_outcome", "desired_outcome")
EVIDENCE = Step("complaints.evidence", "evidence")
DETAILS = Step("complaints.details", "email")
CHECK = "complaints.check"


def drafts() -> Drafts:
    return Drafts(attachments_dir())


def family_account() -> Account | None:
    """The signed-in family member, or None for anyone else (who complains as someone
    without an account)."""
    if current_user.is_authenticated and account().role is Role.FAMILY:
        return account()
    return None


@dataclass
class Journey:
    complainant: Account | None
    draft: Draft | None
    people: list[Person] = field(default_factory=list)

    @classmethod
    def here(cls) -> Journey:
        """This request's journey: the session's draft, if it is this person's and current."""
        complainant = family_account()
        owner = owner_of(complainant.id if complainant else None)
        draft = drafts().load(session.get(DRAFT), owner, now())
        people = people_to_name(db.session(), viewer(), today()) if complainant else []
        return cls(complainant, draft, people)

    @property
    def steps(self) -> tuple[Step, ...]:
        if self.complainant is None:
            return (CATEGORY, WHAT_HAPPENED, DESIRED_OUTCOME, EVIDENCE, DETAILS)
        # With nobody to name (an account waiting for a guardian), the question is skipped.
        about = (PERSON,) if self.people else ()
        return (CATEGORY, *about, WHAT_HAPPENED, DESIRED_OUTCOME, EVIDENCE)

    @property
    def answers(self) -> dict[str, str]:
        return self.draft.answers if self.draft else {}

    @property
    def files(self) -> list[DraftFile]:
        return self.draft.files if self.draft else []

    @property
    def submission_key(self) -> str:
        return self.draft.submission_key if self.draft else ""

    def unanswered(self, before: Step | None = None) -> Step | None:
        """The first page not yet answered (before `before`, if given)."""
        steps = self.steps[: self.steps.index(before)] if before else self.steps
        return next((step for step in steps if not self.answers.get(step.answer)), None)

    def next_url(self) -> str:
        step = self.unanswered()
        return url_for(step.endpoint if step else CHECK)

    def back_url(self, step: Step) -> str:
        """Back to the check page once everything is answered; else the page before."""
        if self.unanswered() is None:
            return url_for(CHECK)
        position = self.steps.index(step)
        return url_for(self.steps[position - 1].endpoint if position else "complaints.start")

    def answer(self, values: dict[str, str]) -> None:
        """Keeps answers that passed their page's checks; the first answer starts the draft."""
        if self.draft is None:
            self.draft = drafts().start(self._owner, now())
            session[DRAFT] = self.draft.key
        self.draft.answers.update(values)
        drafts().save(self.draft, now())

    def add_files(self, files: list[CheckedFile]) -> None:
        assert self.draft is not None, "the evidence page follows answered pages"
        for checked in files:
            drafts().add_file(self.draft, checked, now())

    def remove_file(self, storage_key: str) -> None:
        if self.draft is not None:
            drafts().remove_file(self.draft, storage_key, now())

    def person_choices(self) -> list[tuple[str, str]]:
        """Each person the complainant may name, themselves as "You: …"."""
        me = viewer().person_id
        return [
            (str(p.id), _("You: %(name)s", name=p.full_name) if p.id == me else p.full_name)
            for p in self.people
        ]

    def about(self) -> Person | None:
        chosen = self.answers.get("about")
        return next((p for p in self.people if str(p.id) == chosen), None)

    def names_someone_hidden(self) -> bool:
        """The answer names a person the complainant may no longer see (the policy changed
        since they answered): the question is asked again."""
        chosen = self.answers.get("about")
        return bool(chosen) and chosen != NOT_ONE_PERSON and self.about() is None

    def who(self) -> Complainant:
        if self.complainant is not None:
            return Complainant(account=self.complainant)
        return Complainant(
            name=self.answers["name"],
            email=self.answers["email"],
            phone=self.answers.get("phone") or None,
            address=self.answers.get("address") or None,
            language=chosen_language(),
        )

    @property
    def _owner(self) -> str:
        return owner_of(self.complainant.id if self.complainant else None)

    def finish(self) -> None:
        """The complaint is sent: its draft and files are deleted."""
        if self.draft is not None:
            drafts().discard(self.draft)
        session.pop(DRAFT, None)


def response_months() -> int:
    months: int = current_app.config["COMPLAINT_RESPONSE_MONTHS"]
    return months
