"""One digest run: for each subscriber, what changed since their last digest, sent exactly once.

Every subscriber's window ends at the same place, the newest change and alert when the run
starts; what lands while it runs is the next run's. The sent log (`log`) says how each
delivery ended; one refused address is reported and retried next time, and holds up no one else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from pipeline import trends
from pipeline.digest import log
from pipeline.digest.compose import compose
from pipeline.digest.exposure import latest_alert_id
from pipeline.digest.links import Site
from pipeline.digest.render import message
from pipeline.digest.send import DeliveryFailed, as_bytes
from pipeline.digest.subscriptions import Subscription, all_subscriptions
from pipeline.store.changes import latest_change_id
from spiders.kit import clock

SENT, RESENT, FAILED, NOTHING_NEW, WRITTEN = "sent", "resent", "failed", "nothing new", "written"


@dataclass
class Delivery:
    email: str
    status: str  # sent, resent, failed, nothing new, written (--dry-run)
    detail: str = ""  # the subject, or why it failed


@dataclass
class DigestRun:
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def failed(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.status == FAILED]

    def summary(self) -> str:
        """One line: how many digests went out, failed, or had nothing to say."""
        if not self.deliveries:
            return "no subscribers (add one with `chokepoint subscribe EMAIL`)"
        counts = {}
        for delivery in self.deliveries:
            counts[delivery.status] = counts.get(delivery.status, 0) + 1
        parts = [f"{n} {status}" for status, n in counts.items() if status != FAILED]
        if self.failed:
            parts.append(f"{len(self.failed)} failed ({', '.join(d.email for d in self.failed)})")
        return ", ".join(parts)


def send_digests(
    db: Database,
    private: Database,
    *,
    outbox,
    health: list[dict[str, Any]],
    site: Site,
    since: str | None = None,
    probes: dict[str, str] | None = None,
) -> DigestRun:
    """Compose and deliver every subscriber's digest through `outbox` (SMTP, or .eml files for a dry run).

    Call while holding the published database's crawl lock (`pipeline.crawl.lock`; `chokepoint digest`
    and `chokepoint daily` do): two runs at once could both send a window, and a crawl landing
    mid-run would change what it reads.
    """
    run = DigestRun()
    upto = {"change": latest_change_id(db), "alert": latest_alert_id(private)}
    counted = _read_trends(db)
    for subscription in all_subscriptions(private):
        context = dict(upto=upto, health=health, site=site, since=since, probes=probes, counted=counted)
        run.deliveries.append(_deliver(db, private, subscription, outbox, **context))
    return run


def _read_trends(db: Database) -> tuple[trends.Stored | None, str | None]:
    """What the surges are judged on, read once for every subscriber; or why there is nothing to judge."""
    try:
        return trends.read(db, clock.now()), None
    except trends.NothingToCount as error:
        return None, str(error)


def _deliver(
    db, private, subscription: Subscription, outbox, *, upto, health, site, since, probes, counted
) -> Delivery:
    name = f"{subscription.id}-{subscription.email}"
    resent = False
    interrupted = log.pending(private, subscription) if outbox.records else None
    if interrupted:
        # A run died while sending this: the server may have it. The same bytes (same Message-ID) go again,
        # before anything newer, so the subscriber gets it at least once and their window stays whole.
        try:
            outbox.deliver(interrupted["message"].encode("ascii"), subscription.email, name)
        except DeliveryFailed as error:
            log.finish(private, interrupted["id"], log.PENDING, str(error))
            return Delivery(subscription.email, FAILED, f"an interrupted digest could not be sent again: {error}")
        log.finish(private, interrupted["id"], log.SENT)
        resent = True
    place = log.place(private, subscription)
    digest = compose(
        db,
        private,
        subscription,
        place,
        upto_change_id=upto["change"],
        upto_alert_id=upto["alert"],
        health=health,
        site=site,
        now=clock.now(),
        trends=counted,
        since=since,
        probes=probes,
    )
    if resent and not digest.news:
        return Delivery(subscription.email, RESENT, "an interrupted digest, sent again")
    covered = dict(
        after=place,
        upto_change_id=upto["change"],
        upto_alert_id=upto["alert"],
        since=digest.window.since,
        summary=digest.summary(),
    )
    if not digest.news:
        # Nothing new: said only to those who asked for a confirmation, or when a source they follow could not
        # be checked (never a silent all-clear), and then at most once a day.
        wanted = subscription.confirm_empty or digest.problems
        if not wanted or log.told_today(private, subscription):
            advanced = upto["change"] > place.after_change_id or upto["alert"] > place.after_alert_id
            if outbox.records and advanced:
                log.begin(private, subscription, status=log.EMPTY, **covered)
            return Delivery(subscription.email, NOTHING_NEW)
    email = message(digest, outbox.sender)
    if not outbox.records:
        outbox.deliver(email, subscription.email, name)
        return Delivery(subscription.email, WRITTEN, email["Subject"])
    log_id = log.begin(
        private,
        subscription,
        status=log.PENDING,
        message_id=email["Message-ID"],
        message=as_bytes(email).decode("ascii"),
        **covered,
    )
    try:
        outbox.deliver(email, subscription.email, name)
    except DeliveryFailed as error:
        log.finish(private, log_id, log.FAILED, str(error))
        return Delivery(subscription.email, FAILED, str(error))
    log.finish(private, log_id, log.SENT)
    return Delivery(subscription.email, SENT, email["Subject"])
