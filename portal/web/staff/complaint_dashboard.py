"""DPO officers: the complaints dashboard, as charts each followed by its table, and as a CSV
file of the same figures.

Its address is /staff/complaints-dashboard, beside (not under) the queue's /staff/complaints,
so that it can never be read as a complaint's reference.
"""

from __future__ import annotations

import datetime as dt

from flask import Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_date, format_decimal

from forms.complaint_dashboard import FINANCIAL_YEAR, PeriodForm
from portal import db
from portal.csv_export import csv_text
from portal.i18n import gettext as _
from portal.services import complaint_dashboard
from portal.services.audit import record_event
from portal.services.complaint_dashboard import Dashboard, Figures, Period
from portal.vocabulary import Role, label
from portal.web.charts import Bar, Chart, Group, bar_chart
from portal.web.current import account, role_required, session_ref, today
from portal.web.staff import staff_blueprint

bp = staff_blueprint("staff_complaint_dashboard", "/staff")

# Complaints are kept six years after closure: the years a DPO officer may look back on.
YEARS_OFFERED = 6


@bp.route("/complaints-dashboard")
@role_required(Role.DPO_OFFICER)
def dashboard() -> ResponseReturnValue:
    """DPO officers: the figures for a period, by month and by category."""
    form, period = _period()
    found = complaint_dashboard.dashboard(db.session(), period)
    months, categories = _named(found)
    return render_template(
        "staff/complaint-dashboard.html",
        form=form,
        dashboard=found,
        months=months,
        categories=categories,
        charts=_charts(found),
        span=_span(period),
        days_text=days_text,
        query={"period": form.period.data} if "period" in request.args else {},
    )


@bp.route("/complaints-dashboard.csv")
@role_required(Role.DPO_OFFICER)
def download() -> ResponseReturnValue:
    """The same figures as a CSV file, in the page's language; the download is audited."""
    period = _period()[1]
    found = complaint_dashboard.dashboard(db.session(), period)
    body = csv_text(_csv_header(), _csv_rows(found))
    record_event(
        db.session(),
        actor=account(),
        action="complaints.dashboard_downloaded",
        session_ref=session_ref(),
        detail={"from": period.first_month.isoformat(), "to": period.last_month.isoformat()},
    )
    db.session().commit()
    name = f"complaints-{period.first_month:%Y-%m}-to-{period.last_month:%Y-%m}.csv"
    disposition = f'attachment; filename="{name}"'
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": disposition})


def month_name(month: dt.date) -> str:
    """November 2026 / Tachwedd 2026."""
    return format_date(month, "MMMM y")


def days_text(days: float | None) -> str:
    """30.5, or words when nothing was resolved."""
    return _("None resolved") if days is None else format_decimal(days, format="0.#")


def _csv_header() -> list[str]:
    return [
        _("Figures by"),
        _("Month or category"),
        _("Received"),
        _("Acknowledged on time"),
        _("Resolved"),
        _("Resolved on time"),
        _("Median days to resolve"),
    ]


def _csv_rows(found: Dashboard) -> list[list[object]]:
    """A row per month, per category and for the whole period, as on the page; no median
    is an empty cell."""
    months, categories = _named(found)
    rows = [[_("Month"), name, *_numbers(figures)] for name, figures in months]
    rows += [[_("Category"), name, *_numbers(figures)] for name, figures in categories]
    period = _span(found.period)
    rows.append([_("Whole period"), _("%(first)s to %(last)s", **period), *_numbers(found.overall)])
    return rows


def _numbers(figures: Figures) -> list[object]:
    median = figures.median_days_to_resolve
    return [
        figures.received,
        figures.acknowledged_on_time,
        figures.resolved,
        figures.resolved_on_time,
        "" if median is None else days_text(median),
    ]


def _period() -> tuple[PeriodForm, Period]:
    """The GET form; an invalid choice shows its error and the last 12 months."""
    form = PeriodForm(request.args, meta={"csrf": False})
    form.offer_years([today().year - back for back in range(YEARS_OFFERED)])
    choice = form.period.data if form.validate() else None
    if choice == FINANCIAL_YEAR:
        return form, complaint_dashboard.financial_year(today())
    if choice and choice.isdigit():
        return form, complaint_dashboard.calendar_year(int(choice), today())
    return form, complaint_dashboard.last_twelve_months(today())


def _span(period: Period) -> dict[str, str]:
    return {"first": month_name(period.first_month), "last": month_name(period.last_month)}


def _named(found: Dashboard) -> tuple[list[tuple[str, Figures]], list[tuple[str, Figures]]]:
    """Months and categories by the names the page and the file show."""
    months = [(month_name(month), figures) for month, figures in found.by_month]
    categories = [(str(label(category)), figures) for category, figures in found.by_category]
    return months, categories


def _charts(found: Dashboard) -> dict[str, Chart]:
    months, categories = _named(found)
    span = _span(found.period)
    return {
        "month_counts": bar_chart(
            "month-counts",
            _("Complaints received, acknowledged on time and resolved on time, by month"),
            _(
                "Bars for each month from %(first)s to %(last)s: complaints received, "
                "acknowledged on time and resolved on time. The table after the chart gives "
                "the same figures.",
                **span,
            ),
            [_count_group(name, figures) for name, figures in months],
            label_beside=True,
        ),
        "month_days": bar_chart(
            "month-days",
            _("Median days to resolve, by month"),
            _(
                "A bar for each month from %(first)s to %(last)s: the median number of days "
                "taken to resolve the complaints received that month. The table after the "
                "chart gives the same figures.",
                **span,
            ),
            [_days_group(name, figures) for name, figures in months],
            label_beside=True,
        ),
        "category_counts": bar_chart(
            "category-counts",
            _("Complaints received, acknowledged on time and resolved on time, by category"),
            _(
                "Bars for each category of the complaints received from %(first)s to "
                "%(last)s: complaints received, acknowledged on time and resolved on time. "
                "The table after the chart gives the same figures.",
                **span,
            ),
            [_count_group(name, figures) for name, figures in categories],
            label_beside=False,
        ),
        "category_days": bar_chart(
            "category-days",
            _("Median days to resolve, by category"),
            _(
                "A bar for each category of the complaints received from %(first)s to "
                "%(last)s: the median number of days taken to resolve them. The table after "
                "the chart gives the same figures.",
                **span,
            ),
            [_days_group(name, figures) for name, figures in categories],
            label_beside=False,
        ),
    }


def _count_group(name: str, figures: Figures) -> Group:
    counts = (
        (_("Received"), figures.received),
        (_("Acknowledged on time"), figures.acknowledged_on_time),
        (_("Resolved on time"), figures.resolved_on_time),
    )
    return Group(name, [Bar(series, value, format_decimal(value)) for series, value in counts])


def _days_group(name: str, figures: Figures) -> Group:
    median = figures.median_days_to_resolve
    series = _("Median days to resolve")
    return Group(name, [Bar(series, median or 0, days_text(median))])
