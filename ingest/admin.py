from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from kombu.exceptions import OperationalError as BrokerError

from ingest import reconcile
from ingest.models import Article, Candidate, IngestRun, Source
from investments.admin import HTTPS_URL_FIELDS, investment_link
from investments.models import Investment


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = ["source", "started", "finished", "status", "counts"]
    list_filter = ["status", "source"]
    search_fields = ["source", "target", "task_id"]
    readonly_fields = [f.name for f in IngestRun._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "language", "enabled", "poll_minutes", "last_polled", "last_status"]
    list_filter = ["enabled", "kind", "language"]
    search_fields = ["name", "url"]
    readonly_fields = ["etag", "last_modified", "last_polled", "last_succeeded", "last_status"]
    formfield_overrides = HTTPS_URL_FIELDS
    actions = ["poll_now"]

    @admin.action(description="Poll now", permissions=["change"])
    def poll_now(self, request, queryset):
        from ingest.tasks import poll_source

        try:
            for source in queryset:
                poll_source.delay(source.pk)
        except BrokerError as exc:
            self.message_user(
                request, f"Could not enqueue the poll, the task broker is unreachable: {exc}", messages.ERROR
            )
            return
        self.message_user(request, f"{queryset.count()} poll(s) enqueued; see Ingest runs for the outcome.")


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    fields = ["company", "country", "amount", "currency", "announced_on", "status", "discrepancy"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "published_on", "language", "status", "candidate_count", "fetched"]
    list_filter = ["status", "language", "source"]
    search_fields = ["title", "url", "text"]
    date_hierarchy = "fetched"
    readonly_fields = [f.name for f in Article._meta.fields]
    inlines = [CandidateInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("source").annotate(n_candidates=Count("candidates"))
        )

    @admin.display(description="candidates", ordering="n_candidates")
    def candidate_count(self, obj):
        return obj.n_candidates

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Articles are the memory of what was fetched (and their candidates of what was rejected).
        return False


class QueueFilter(admin.SimpleListFilter):
    """The review queue opens on the pending candidates."""

    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("pending", "Pending"),
            ("discrepancy", "Pending discrepancies"),
            *[(s.value, s.label) for s in Candidate.Status if s != Candidate.Status.PENDING],
            ("all", "All"),
        ]

    def choices(self, changelist):
        current = self.value() or "pending"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "pending"
        if value == "all":
            return queryset
        if value == "discrepancy":
            return queryset.filter(status=Candidate.Status.PENDING, discrepancy=True)
        return queryset.filter(status=value)


class MergeForm(forms.Form):
    investment = forms.ModelChoiceField(queryset=Investment.objects.none(), label="Merge into")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        companies = ({c.company_id for c in candidates} | {c.company.parent_id for c in candidates}) - {None}
        family = Q(company__in=companies) | Q(company__parent__in=companies)
        self.fields["investment"].queryset = (
            Investment.objects.filter(family).select_related("company", "country").order_by("-announced_on")
        )
        matched = {c.matched_investment_id for c in candidates}
        if len(matched) == 1 and None not in matched:
            self.fields["investment"].initial = matched.pop()


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    """The review queue: investments read in the news, for a curator to approve, merge or reject.

    It opens on the pending candidates, the most confident first; each row shows its article (title and
    date), the sentence that carries the figure and the investment it matched side by side, with
    approve, merge and reject one click away.
    """

    list_display = [
        "company",
        "country",
        "figure",
        "amount_eur",
        "announced",
        "category",
        "score_shown",
        "capacity",
        "flag",
        "article_link",
        "evidence_excerpt",
        "matched",
        "review",
    ]
    ordering = [F("score").desc(nulls_last=True), "-created"]
    list_filter = [QueueFilter, "confidence", "category", "company", "country"]
    search_fields = ["evidence", "article__title", "article__url", "company__name", "place"]
    list_select_related = ["company", "country", "article", "matched_investment"]
    autocomplete_fields = ["company", "country", "matched_investment"]
    readonly_fields = [
        "article_link",
        "evidence",
        "amount_eur",
        "score",
        "date_source",
        "status",
        "discrepancy",
        "fingerprint",
        "created",
        "reviewed",
        "reviewed_by",
    ]
    fields = [
        "article_link",
        "evidence",
        ("company", "country", "place"),
        ("amount", "currency", "amount_eur"),
        ("announced_on", "announced_precision"),
        ("period_start", "period_end"),
        ("category", "confidence", "score"),
        "date_source",
        ("capacity_mw", "capacity_as_given"),
        ("gpus", "gpus_as_given"),
        "matched_investment",
        ("status", "discrepancy"),
        ("reviewed", "reviewed_by"),
        "fingerprint",
    ]
    actions = ["approve_selected", "merge_selected", "reject_selected"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Capacity", ordering="capacity_mw")
    def capacity(self, obj):
        """MW and GPUs read in the article (ingest.extract.capacity), for the curator to check."""
        parts = []
        if obj.capacity_mw is not None:
            parts.append(f"{obj.capacity_mw.normalize():f} MW")
        if obj.gpus is not None:
            parts.append(f"{obj.gpus:,} GPUs")
        return " · ".join(parts) or "—"

    def has_delete_permission(self, request, obj=None):
        # A rejected candidate is the memory that keeps its figure out of the queue.
        return False

    def has_approve_permission(self, request):
        return self.has_change_permission(request) and request.user.has_perm("investments.add_investment")

    def save_model(self, request, obj, form, change):
        obj.amount_eur = reconcile.to_eur(
            obj.amount,
            obj.currency,
            obj.announced_on or obj.article.published_on,
            obj.announced_precision,
        )
        super().save_model(request, obj, form, change)

    @admin.display(description="amount", ordering="amount")
    def figure(self, obj):
        return f"{obj.amount:,.0f} {obj.currency}" if obj.amount is not None else "undisclosed"

    @admin.display(description="discrepancy", boolean=True, ordering="discrepancy")
    def flag(self, obj):
        return obj.discrepancy

    @admin.display(description="announced", ordering="announced_on")
    def announced(self, obj):
        if obj.announced_on is None:
            return "-"
        if obj.date_source in ("", "sentence", "paragraph"):
            return obj.announced_on
        return format_html("{} <small>({})</small>", obj.announced_on, obj.date_source)

    @admin.display(description="confidence", ordering=F("score").desc(nulls_last=True))
    def score_shown(self, obj):
        return f"{obj.score:.2f}" if obj.score is not None else obj.get_confidence_display()

    @admin.display(description="matched investment")
    def matched(self, obj):
        investment = obj.matched_investment
        if investment is None:
            return "-"
        figure = (
            f"{investment.amount:,.0f} {investment.currency}"
            if investment.amount is not None
            else "undisclosed"
        )
        return format_html(
            "{}<br><small>{}, {}</small>", investment_link(investment), figure, investment.announced_on
        )

    @admin.display(description="article")
    def article_link(self, obj):
        url = reverse("admin:ingest_article_change", args=[obj.article_id])
        article = obj.article
        return format_html(
            '<a href="{}">{}</a><br><small>{}</small>',
            url,
            Truncator(article.title or article.url).chars(80),
            article.published_on or "undated",
        )

    @admin.display(description="evidence")
    def evidence_excerpt(self, obj):
        return Truncator(obj.evidence).chars(240)

    @admin.display(description="review")
    def review(self, obj):
        """Approve, merge (into the matched investment, else pick one) and reject, one click each.

        The buttons submit the changelist's own form (it carries the CSRF token) to the row's URL."""
        if obj.status != Candidate.Status.PENDING:
            return obj.get_status_display()
        buttons = (("approve", "Approve"), ("merge", "Merge"), ("reject", "Reject"))
        return format_html_join(
            " ",
            '<button type="submit" class="button" formaction="{}" formmethod="post">{}</button>',
            (
                (reverse("admin:ingest_candidate_review", args=[obj.pk, decision]), label)
                for decision, label in buttons
            ),
        )

    def get_urls(self):
        review = path(
            "<int:pk>/review/<str:decision>/",
            self.admin_site.admin_view(self.review_one),
            name="ingest_candidate_review",
        )
        return [review, *super().get_urls()]

    def review_one(self, request, pk, decision):
        """One curator's decision on one candidate (POST only), then back to the queue."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        queryset = Candidate.objects.filter(pk=pk)
        candidate = queryset.select_related("matched_investment").first()
        allowed = {
            "approve": self.has_approve_permission(request),
            "merge": self.has_change_permission(request),
            "reject": self.has_change_permission(request),
        }
        if candidate is None or decision not in allowed:
            raise Http404("No such candidate or decision.")
        if not allowed[decision]:
            raise PermissionDenied
        if decision == "approve":
            self.approve_selected(request, queryset)
        elif decision == "reject":
            self.reject_selected(request, queryset)
        elif "apply" in request.POST or candidate.matched_investment is None:
            response = self.merge_selected(request, queryset)  # asks which investment when none matched
            if response is not None:
                return response
        else:
            self._merge(request, [candidate], candidate.matched_investment)
        return HttpResponseRedirect(reverse("admin:ingest_candidate_changelist"))

    @admin.action(description="Approve: create an investment from each", permissions=["approve"])
    def approve_selected(self, request, queryset):
        for candidate in queryset:
            try:
                investment = reconcile.approve(candidate, request.user)
            except reconcile.ReviewError as exc:
                self.message_user(request, str(exc), messages.WARNING)
            else:
                self.message_user(
                    request, format_html("Created {}", investment_link(investment)), messages.SUCCESS
                )

    @admin.action(description="Merge into an existing investment…", permissions=["change"])
    def merge_selected(self, request, queryset):
        candidates = list(queryset.select_related("company", "matched_investment"))
        form = MergeForm(request.POST if "apply" in request.POST else None, candidates=candidates)
        if form.is_valid():
            self._merge(request, candidates, form.cleaned_data["investment"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge candidates into an investment",
            "opts": self.model._meta,
            "candidates": candidates,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/ingest/candidate/merge.html", context)

    def _merge(self, request, candidates, investment):
        for candidate in candidates:
            try:
                reconcile.merge(candidate, investment, request.user)
            except reconcile.ReviewError as exc:
                self.message_user(request, str(exc), messages.WARNING)
            else:
                self.message_user(
                    request,
                    format_html("{} merged into {}", candidate, investment_link(investment)),
                    messages.SUCCESS,
                )

    @admin.action(description="Reject (never propose these figures again)", permissions=["change"])
    def reject_selected(self, request, queryset):
        done = 0
        for candidate in queryset:
            try:
                reconcile.reject(candidate, request.user)
                done += 1
            except reconcile.ReviewError as exc:
                self.message_user(request, str(exc), messages.WARNING)
        if done:
            self.message_user(request, f"{done} candidate(s) rejected.", messages.SUCCESS)
