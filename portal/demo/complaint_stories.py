"""The demo complaints: every channel, category and status, over the last nine months.

Each is received on a fixed day of a month counted back from this one, so it always falls in
the same month of the dashboard; what happened next is counted in days after receipt. Most
are acknowledged and resolved on time, some late (the dashboard test counts them by hand).
Nothing here is about a real person, and nothing reveals what the demo household's policy
hides from one member or another.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.vocabulary import ComplaintCategory as Cat
from portal.vocabulary import ComplaintChannel as Via
from portal.vocabulary import ComplaintStatus as St


@dataclass(frozen=True)
class Contact:
    """Someone without an account, and how they asked to be answered."""

    name: str
    email: str | None = None
    phone: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Story:
    key: str
    reference: str
    months_ago: int
    day: int
    channel: Via
    category: Cat
    status: St
    # A demo account's email, or someone without an account.
    complainant: str | Contact
    about: str | None
    what_happened: str
    desired_outcome: str
    acknowledged_after: int | None = None
    resolved_after: int | None = None
    closed_after: int | None = None
    # What happened in between: (days after receipt, step, words). Steps: claimed,
    # investigating, note (internal), waiting (a question, which is also a message),
    # resumed, to_complainant and from_complainant (messages).
    steps: tuple[tuple[int, str, str], ...] = ()
    outcome: str | None = None


SAM = "sam.rivers@example.com"
PAT = Contact("Pat Example", email="pat.example@example.com")

STORIES = (
    Story(
        key="ellie-attendance",
        reference="CMP-DEMQ2222",
        months_ago=6,
        day=4,
        channel=Via.PORTAL,
        category=Cat.WRONG_DATA,
        status=St.CLOSED,
        complainant=SAM,
        about="ellie",
        what_happened=(
            "Ellie's school attendance for the autumn term is shown lower than the figure on "
            "her school report. The school says it sent the corrected figure weeks ago."
        ),
        desired_outcome="Correct Ellie's attendance and tell me who was given the wrong figure.",
        acknowledged_after=0,
        resolved_after=21,
        closed_after=35,
        steps=(
            (1, "claimed", ""),
            (1, "investigating", ""),
            (
                2,
                "to_complainant",
                "Thank you. We have asked the school's data team to confirm the autumn term "
                "figure and will reply by the date shown.",
            ),
            (
                5,
                "from_complainant",
                "Thank you. The school office can send a copy of the report if it helps.",
            ),
            (
                9,
                "note",
                "School data team confirms the corrected figure was sent late; the next import "
                "from the One system corrected it.",
            ),
        ),
        outcome=(
            "We have upheld your complaint. The school sent a corrected attendance figure that "
            "our system had not yet loaded; it is now correct, and no one else was given the "
            "wrong figure."
        ),
    ),
    Story(
        key="ellie-sharing",
        reference="CMP-DEMQ2223",
        months_ago=2,
        day=10,
        channel=Via.PORTAL,
        category=Cat.UNEXPECTED_SHARING,
        status=St.INVESTIGATING,
        complainant=SAM,
        about="ellie",
        what_happened=(
            "A letter from the health visiting team mentioned Ellie's Early Help plan. I did "
            "not know the council shared it with them."
        ),
        desired_outcome=(
            "Tell me what was shared about Ellie, when and why, and stop sharing it if there "
            "was no need."
        ),
        acknowledged_after=0,
        steps=(
            (1, "claimed", ""),
            (2, "investigating", ""),
            (
                2,
                "to_complainant",
                "We are looking into this and will write to you by the date shown.",
            ),
            (
                4,
                "note",
                "No sharing event to the community health trust about Ellie in the record; "
                "asking the Early Help worker whether it was shared by phone.",
            ),
            (6, "from_complainant", "Thanks. The letter was dated in the spring, if that helps."),
        ),
    ),
    Story(
        key="pat-example",
        reference="CMP-DEMQ2224",
        months_ago=5,
        day=12,
        channel=Via.EMAIL,
        category=Cat.SECURITY,
        status=St.RESOLVED,
        complainant=PAT,
        about=None,
        what_happened=(
            "I received an email from the council about another family's Early Help meeting. "
            "It had their child's first name and the meeting date in it."
        ),
        desired_outcome="Make sure this does not happen again, and tell the other family.",
        acknowledged_after=3,
        resolved_after=45,
        steps=(
            (1, "claimed", ""),
            (4, "investigating", ""),
            (
                10,
                "note",
                "Sent by a worker to the wrong contact in the address book; recalled, logged as "
                "a personal data breach and assessed as not reportable to the ICO.",
            ),
            (
                12,
                "to_complainant",
                "We have confirmed what happened. Please delete the email; we have removed it "
                "from our systems.",
            ),
            (14, "from_complainant", "I have deleted it."),
        ),
        outcome=(
            "We have upheld your complaint. The email was sent to you by mistake; the family "
            "has been told, and workers now check the address before sending."
        ),
    ),
    Story(
        key="robin-post",
        reference="CMP-DEMQ2225",
        months_ago=7,
        day=8,
        channel=Via.POST,
        category=Cat.REQUEST_HANDLING,
        status=St.CLOSED,
        complainant=Contact(
            "Robin Sample", address="22 Sample Row\nLudlow\nSY99 4XX", phone="07700 900321"
        ),
        about=None,
        what_happened=(
            "I wrote asking for a copy of the information you hold about me and heard nothing "
            "for six weeks."
        ),
        desired_outcome="Send me my information and explain the delay.",
        acknowledged_after=38,
        resolved_after=52,
        closed_after=60,
        steps=(
            (38, "claimed", ""),
            (
                38,
                "note",
                "The letter was misfiled in the post room, so it was acknowledged late. The copy "
                "request was logged the same day.",
            ),
            (
                38,
                "to_complainant",
                "We are sorry that we did not reply sooner. Your request for a copy is now being "
                "dealt with.",
            ),
            (
                45,
                "from_complainant",
                "Thank you for your letter. I still want to know why it took so long.",
            ),
        ),
        outcome=(
            "We have upheld your complaint. Your letter was misfiled when it arrived; post is "
            "now logged on the day it comes in."
        ),
    ),
    Story(
        key="jordan-phone",
        reference="CMP-DEMQ2226",
        months_ago=4,
        day=15,
        channel=Via.PHONE,
        category=Cat.OTHER,
        status=St.RESOLVED,
        complainant=Contact("Jordan Test", phone="07700 900654"),
        about=None,
        what_happened=(
            "The caller says the privacy notice on the council's website is hard to find and "
            "does not explain Early Help clearly."
        ),
        desired_outcome="Make the privacy notice easier to find and to read.",
        acknowledged_after=2,
        resolved_after=14,
        steps=(
            (1, "claimed", ""),
            (3, "note", "Passed the caller's suggestions to the web team."),
            (
                3,
                "to_complainant",
                "Thank you for your call. We have passed your suggestions to our web team.",
            ),
        ),
        outcome=(
            "We have partly upheld your complaint. The privacy notice is now linked from every "
            "Early Help page; we are rewriting it in plainer words."
        ),
    ),
    Story(
        key="casey-waiting",
        reference="CMP-DEMQ2227",
        months_ago=1,
        day=6,
        channel=Via.EMAIL,
        category=Cat.WRONG_DATA,
        status=St.WAITING,
        complainant=Contact("Casey Demo", email="casey.demo@example.com"),
        about=None,
        what_happened="My date of birth is wrong on a letter I was sent about Early Help support.",
        desired_outcome="Correct my date of birth.",
        acknowledged_after=1,
        steps=(
            (1, "claimed", ""),
            (2, "investigating", ""),
            (
                8,
                "waiting",
                "Which letter was it? Please tell us its date, or send a photo of the top of it.",
            ),
            (
                13,
                "from_complainant",
                "It was the letter about the family support meeting, dated early last month.",
            ),
            (13, "resumed", ""),
            (
                15,
                "note",
                "No letter like that found for this address; asking for a photo of it.",
            ),
            (
                20,
                "waiting",
                "We could not find that letter. Please send a photo of it, covering anything "
                "you do not want us to see.",
            ),
        ),
    ),
    Story(
        key="drew-post",
        reference="CMP-DEMQ2228",
        months_ago=2,
        day=20,
        channel=Via.POST,
        category=Cat.UNEXPECTED_SHARING,
        status=St.NEW,
        complainant=Contact("Drew Sample", address="5 Example Terrace\nOswestry\nSY99 6XY"),
        about=None,
        what_happened=(
            "The letter says a youth activity provider told a neighbour that the family gets "
            "help from Early Help."
        ),
        desired_outcome="Find out who told them and stop it happening again.",
        steps=(
            (3, "claimed", ""),
            (
                3,
                "note",
                "Check the provider's information-sharing agreement before acknowledging.",
            ),
        ),
    ),
    Story(
        key="alex-phone",
        reference="CMP-DEMQ2229",
        months_ago=0,
        day=1,
        channel=Via.PHONE,
        category=Cat.REQUEST_HANDLING,
        status=St.NEW,
        complainant="alex.morgan@example.com",
        about="alex",
        what_happened=(
            "Alex called to say they asked their Early Help worker to change how we contact "
            "them two months ago, and it has not been done."
        ),
        desired_outcome="Change how we contact Alex and confirm it in writing.",
    ),
    Story(
        key="jamie-question",
        reference="CMP-DEMQ2232",
        months_ago=1,
        day=3,
        channel=Via.PORTAL,
        category=Cat.OTHER,
        status=St.ACKNOWLEDGED,
        complainant="jamie.rivers@example.com",
        about="jamie",
        what_happened=(
            "I want to know who at the council can read my record, and I want to be sure my "
            "parents cannot."
        ),
        desired_outcome="Explain who can see my record.",
        acknowledged_after=0,
        steps=(
            (
                2,
                "from_complainant",
                "I forgot to say: please reply by email, not by letter.",
            ),
        ),
    ),
    Story(
        key="lee-request",
        reference="CMP-DEMQ2233",
        months_ago=3,
        day=9,
        channel=Via.PORTAL,
        category=Cat.REQUEST_HANDLING,
        status=St.RESOLVED,
        complainant="lee.rivers@example.com",
        about="lee",
        what_happened=(
            "I asked for my records and was told it would take three months. Nobody explained why."
        ),
        desired_outcome="Explain the delay and give me a date.",
        acknowledged_after=0,
        resolved_after=36,
        steps=(
            (1, "claimed", ""),
            (2, "investigating", ""),
            (
                5,
                "waiting",
                "Which request do you mean? Please tell us roughly when you asked, and who.",
            ),
            (15, "from_complainant", "I asked my Early Help worker in person in the spring."),
            (15, "resumed", ""),
            (
                20,
                "note",
                "The worker passed the request on by word of mouth and it was never logged. "
                "Logged it as a copy request today.",
            ),
        ),
        outcome=(
            "We have upheld your complaint. Your request was not logged when you made it; it "
            "is logged now, and you will have your records within one month."
        ),
    ),
    Story(
        key="avery-phone",
        reference="CMP-DEMQ2234",
        months_ago=8,
        day=14,
        channel=Via.PHONE,
        category=Cat.WRONG_DATA,
        status=St.CLOSED,
        complainant=Contact("Avery Sample", phone="07700 900987"),
        about=None,
        what_happened="The caller says we have recorded the wrong school for her son.",
        desired_outcome="Correct the record and tell the school.",
        acknowledged_after=30,
        resolved_after=40,
        closed_after=47,
        steps=(
            (30, "claimed", ""),
            (
                30,
                "note",
                "Acknowledged on the last day: the call note waited in a shared inbox.",
            ),
            (
                30,
                "to_complainant",
                "Thank you for your call. We are checking the record with the school.",
            ),
        ),
        outcome=(
            "We have upheld your complaint. The school on your son's record is now correct, "
            "and we have told the school."
        ),
    ),
    Story(
        key="sam-signed-out",
        reference="CMP-DEMQ2235",
        months_ago=5,
        day=22,
        channel=Via.PORTAL,
        category=Cat.OTHER,
        status=St.CLOSED,
        complainant=SAM,
        about=None,
        what_happened="The portal signed me out while I was reading my record and I lost my place.",
        desired_outcome="Warn people before signing them out.",
        acknowledged_after=0,
        resolved_after=12,
        closed_after=20,
        steps=(
            (1, "claimed", ""),
            (
                2,
                "note",
                "Passed to the digital team: the warning shows two minutes before; it may "
                "have been missed.",
            ),
            (5, "to_complainant", "We have asked our digital team to look at this."),
        ),
        outcome=(
            "We have partly upheld your complaint. The portal already warns two minutes "
            "before signing you out; the warning is now easier to notice."
        ),
    ),
    Story(
        key="taylor-email",
        reference="CMP-DEMQ2236",
        months_ago=4,
        day=2,
        channel=Via.EMAIL,
        category=Cat.UNEXPECTED_SHARING,
        status=St.RESOLVED,
        complainant=Contact("Taylor Example", email="taylor.example@example.com"),
        about=None,
        what_happened=(
            "I was surprised that the council told my child's nursery about our Early Help plan."
        ),
        desired_outcome="Explain why it was shared and what the nursery was told.",
        acknowledged_after=31,
        resolved_after=42,
        steps=(
            (31, "claimed", ""),
            (
                31,
                "to_complainant",
                "We are sorry that we took so long to acknowledge your complaint.",
            ),
            (
                35,
                "note",
                "Shared under the early years information-sharing agreement; explain the "
                "lawful basis in the outcome.",
            ),
        ),
        outcome=(
            "We have not upheld your complaint. The nursery was told what it needed to support "
            "your child, as the privacy notice explains; we are sorry that we were slow to "
            "reply."
        ),
    ),
    Story(
        key="sasha-post",
        reference="CMP-DEMQ2237",
        months_ago=6,
        day=25,
        channel=Via.POST,
        category=Cat.SECURITY,
        status=St.INVESTIGATING,
        complainant=Contact("Sasha Example", address="9 Demo Court\nBridgnorth\nSY99 7QQ"),
        about=None,
        what_happened="A council letter about the family arrived opened and resealed.",
        desired_outcome="Check whether anyone else saw the letter.",
        acknowledged_after=5,
        steps=(
            (2, "claimed", ""),
            (6, "investigating", ""),
            (
                6,
                "to_complainant",
                "We have asked our post supplier to check how your letter was sent.",
            ),
            (7, "note", "Asked the print and post supplier for the dispatch record."),
            (20, "from_complainant", "Is there any news?"),
            (40, "note", "The supplier is still investigating; chased by phone."),
        ),
    ),
)
