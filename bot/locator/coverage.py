"""``hrbot validate --coverage``: what the directory covers, per region, for staff."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from bot.locator._load import REQUIRED_ROLES
from bot.locator._locator import Locator

ROLES = ("health", "crisis", "treatment", "addiction", "poison", "drug_checking")


def coverage_lines(locator: Locator, today: date, stale_days: int = 365) -> list[str]:
    """One block per province region: lines present, sites by category and status, stale."""
    stale_before = today - timedelta(days=stale_days)
    evidence_before = today - timedelta(days=30 * locator.evidence_max_months)
    out = [
        "coverage (sites by category: active / unverified / closed; stale = not verified "
        f"for {stale_days} days or evidence older than {locator.evidence_max_months} months)"
    ]
    totals: Counter[str] = Counter()
    for region in sorted(locator.regions.values(), key=lambda r: (r.province, r.level)):
        if region.level != "province":
            continue
        members = [
            s
            for s in locator.services.values()
            if locator.home_region(locator.region_of(s)).id == region.id
        ]
        roles = {h.role for h in region.helplines}
        present = [r for r in ROLES if r in roles]
        missing = [r for r in REQUIRED_ROLES if r not in roles]
        emergency = region.emergency_number or "none (see emergency_note)"
        out.append(
            f"{region.province} {region.name.en}: emergency {emergency}; protocol "
            f"{region.protocol or 'none found'}; naloxone locator "
            f"{'yes' if region.naloxone and region.naloxone.locator else 'no'}; "
            f"lines {', '.join(present) or 'none'}"
            + (f"; MISSING {', '.join(missing)}" if missing else "")
        )
        by_category: dict[str, Counter[str]] = {}
        stale = 0
        for service in members:
            for category in service.categories:
                by_category.setdefault(category, Counter())[service.status] += 1
            if service.status != "closed" and (
                service.verified < stale_before
                or (service.evidence is not None and service.evidence < evidence_before)
            ):
                stale += 1
            totals[service.status] += 1
        if not members:
            out.append("  sites: none known")
            continue
        cells = [
            f"{c} {n['active']}/{n['unverified']}/{n['closed']}"
            for c, n in sorted(by_category.items())
        ]
        out.append(f"  sites: {'; '.join(cells)}; stale {stale}")
    out.append(
        f"total: {sum(totals.values())} services ({totals['active']} active, "
        f"{totals['unverified']} unverified, {totals['temporarily_closed']} temporarily "
        f"closed, {totals['closed']} closed)"
    )
    return out
