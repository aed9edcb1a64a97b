from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from investments.choices import Category, Confidence, DatePrecision
from investments.models.investment import CURRENCY_CODE


class IngestRunQuerySet(models.QuerySet):
    def start(self, source: str, target: str = "", task_id: str = "") -> "IngestRun":
        """Record a run that begins now. A task delivered again after its worker died (acks_late) closes
        the run its first delivery left `running`: that one never finishes."""
        if task_id:
            self.filter(task_id=task_id, status=IngestRun.Status.RUNNING).update(
                status=IngestRun.Status.FAILED,
                finished=timezone.now(),
                errors=["worker lost: the task was delivered again and ran anew"],
            )
        return self.create(source=source, target=target, task_id=task_id)

    def close_abandoned(self, older_than: timedelta) -> int:
        """Close as failed every task's run still `running` after `older_than` (longer than any task
        may run): its worker died or was killed at the time limit, and the message that would have
        closed it on redelivery may never come. Runs of management commands, which have no time limit,
        are left alone. Returns how many were closed."""
        return (
            self.filter(status=IngestRun.Status.RUNNING, started__lt=timezone.now() - older_than)
            .exclude(task_id="")
            .update(
                status=IngestRun.Status.FAILED,
                finished=timezone.now(),
                errors=[
                    f"abandoned: still running after {older_than.total_seconds():.0f} s, longer than a task "
                    "may run; its worker died or was stopped"
                ],
            )
        )


class IngestRun(models.Model):
    """One run of an ingest pipeline (dataset, news feeds, FX refresh): what it did and what went wrong."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        REFUSED = "refused", "Refused (invalid input, nothing changed)"
        FAILED = "failed", "Failed (error, nothing changed)"

    source = models.CharField(max_length=200, help_text="What was ingested: 'dataset', a feed's name, 'fx'.")
    target = models.CharField(max_length=1000, blank=True, help_text="The path or URL read.")
    task_id = models.CharField(max_length=255, blank=True)
    started = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    traceback = models.TextField(blank=True)

    objects = IngestRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started"]
        indexes = [models.Index(fields=["source", "-started"], name="ingestrun_source_started")]

    def __str__(self):
        return f"{self.source} {self.started:%Y-%m-%d %H:%M} {self.status}"

    def finish(self, status, *, counts=None, errors=None, tb="") -> None:
        """Record how the run ended (the counterpart of IngestRun.objects.start)."""
        self.status = status
        self.finished = timezone.now()
        self.counts = counts or {}
        self.errors = errors or []
        self.traceback = tb
        self.save()

    @property
    def duration(self):
        return (self.finished - self.started) if self.finished else None


class Source(models.Model):
    """A news feed polled for articles, declared in data/sources.csv and editable in admin.

    `etag` and `last_modified` make the next poll a conditional GET; `last_polled`, `last_succeeded`
    and `last_status` say how the feed is doing.
    """

    class Kind(models.TextChoices):
        RSS = "rss", "RSS"
        ATOM = "atom", "Atom"
        HTML = "html", "HTML list page"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=4, choices=Kind.choices, default=Kind.RSS)
    url = models.URLField("feed URL", max_length=1000, unique=True)
    language = models.CharField(
        max_length=2, blank=True, help_text="ISO 639-1 code of its articles, when the feed has one language."
    )
    enabled = models.BooleanField(default=True)
    poll_minutes = models.PositiveIntegerField(
        "poll every (minutes)", default=60, validators=[MinValueValidator(5)]
    )
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled = models.DateTimeField(null=True, blank=True, help_text="When the last poll started.")
    last_succeeded = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            # Be gentle with publishers: no feed is polled more than every five minutes.
            models.CheckConstraint(condition=Q(poll_minutes__gte=5), name="source_poll_at_most_every_5_min"),
            models.CheckConstraint(
                condition=Q(language="") | Q(language__regex=r"^[a-z]{2}$"), name="source_language_iso639"
            ),
        ]

    def __str__(self):
        return self.name

    def is_due(self, now=None) -> bool:
        now = now or timezone.now()
        return self.enabled and (
            self.last_polled is None or self.last_polled + timedelta(minutes=self.poll_minutes) <= now
        )


class Article(models.Model):
    """A news article read from a feed, keyed by its canonical URL so that it is fetched only once.

    `text` and `title` are plain text, never HTML. An article whose text another one already has
    (a syndicated copy) is kept as a duplicate and not read for investments again; one that could not
    be fetched for good (404, too large) is kept as failed so that it is not fetched again.
    """

    class Status(models.TextChoices):
        FETCHED = "fetched", "Fetched"
        DUPLICATE = "duplicate", "Duplicate of another article's text"
        FAILED = "failed", "Failed (not fetched again)"

    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    url = models.URLField(
        max_length=1000, unique=True, help_text="Canonical URL: no tracking parameters, no fragment."
    )
    title = models.CharField(max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=2, blank=True, help_text="ISO 639-1 code.")
    text = models.TextField(blank=True, help_text="Plain text.")
    content_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the text.")
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.FETCHED)
    error = models.CharField(max_length=1000, blank=True)
    fetched = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-fetched"]
        indexes = [
            models.Index(fields=["content_hash"], name="article_content_hash"),
            models.Index(fields=["source", "-fetched"], name="article_source_fetched"),
            models.Index(fields=["status"], name="article_status"),
        ]

    def __str__(self):
        return self.title or self.url


class Candidate(models.Model):
    """An investment read in an article, waiting for a curator, or the record of how it was settled.

    Pending: it matched no investment, or matched one but gave another figure (`discrepancy`).
    Merged: it is another source of `matched_investment` (set automatically, or by a curator).
    Approved: a curator made it an investment (`matched_investment`). Rejected: its `fingerprint`
    (company, country, amount, currency, date) is never proposed again, from any article.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        APPROVED = "approved", "Approved (new investment)"
        MERGED = "merged", "Merged into an investment"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="candidates")
    company = models.ForeignKey(
        "investments.Company", on_delete=models.PROTECT, related_name="news_candidates"
    )
    country = models.ForeignKey(
        "investments.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="news_candidates",
        help_text="Empty for a Europe-wide programme.",
    )
    place = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    amount_eur = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    announced_on = models.DateField(null=True, blank=True)
    announced_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    period_start = models.PositiveSmallIntegerField(null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(null=True, blank=True)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.DATACENTRE)
    evidence = models.TextField(blank=True, help_text="The sentences that carry the figure (plain text).")
    # Capacity the article states (ingest.extract.capacity), copied to the investment on approval.
    capacity_mw = models.DecimalField("capacity (MW)", max_digits=10, decimal_places=1, null=True, blank=True)
    capacity_as_given = models.CharField(max_length=200, blank=True)
    gpus = models.PositiveIntegerField("GPUs", null=True, blank=True)
    gpus_as_given = models.CharField("GPUs as given", max_length=200, blank=True)
    confidence = models.CharField(max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM)
    score = models.FloatField(
        null=True,
        blank=True,
        help_text="The extractor's confidence, 0 to 1: 0.8 and above is usually right, below 0.5 usually wrong.",
    )
    date_source = models.CharField(
        max_length=10,
        blank=True,
        help_text="Where the date was read: sentence, paragraph, lead, dateline or published (a fallback).",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    discrepancy = models.BooleanField(
        default=False, help_text="Same company, country and dates as the matched investment, another figure."
    )
    matched_investment = models.ForeignKey(
        "investments.Investment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news_candidates",
    )
    fingerprint = models.CharField(max_length=64, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    reviewed = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["article", "fingerprint"], name="candidate_once_per_article"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="candidate_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1), name="candidate_score_0_to_1"
            ),
            models.CheckConstraint(
                condition=Q(currency="") | Q(currency__regex=CURRENCY_CODE), name="candidate_currency_iso4217"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created"], name="candidate_status_created"),
            # The queue lists the pending candidates, the most confident first.
            models.Index(fields=["status", "-score"], name="candidate_status_score"),
            models.Index(fields=["fingerprint", "status"], name="candidate_fingerprint_status"),
        ]

    def __str__(self):
        figure = f"{self.amount:,.0f} {self.currency}" if self.amount is not None else "undisclosed"
        where = self.country.iso2 if self.country_id else "Europe"
        return f"{self.company} in {where}: {figure}"
