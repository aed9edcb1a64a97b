"""Who may do what: the API only reads, operational data and curation are staff-only through admin, and
the admin login resists password guessing."""

import base64

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.http import HttpResponse

from ingest.models import Candidate, IngestRun
from investments.models import Announcement, Company, Investment
from tests.factories import CandidateFactory, IngestRunFactory, SourceFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
LOGIN = "/admin/login/"
PUBLIC_API = [
    "/api/v1/investments/",
    "/api/v1/investments/T-MS-ES-01/",
    "/api/v1/companies/",
    "/api/v1/companies/microsoft/",
    "/api/v1/countries/",
    "/api/v1/countries/ES/",
    "/api/v1/announcements/",
    "/api/v1/stats/",
]
STAFF_PAGES = [
    "/admin/ingest/candidate/",  # the review queue
    "/admin/ingest/ingestrun/",
    "/admin/ingest/source/",
    "/admin/ingest/article/",
    "/admin/investments/investment/add/",
]


def snapshot():
    return (
        Investment.objects.count(),
        Company.objects.count(),
        Announcement.objects.count(),
        sorted(Investment.objects.values_list("ref", "title", "amount")),
    )


@pytest.fixture
def staff(django_user_model):
    """A staff member with no permission at all: may open admin, may change nothing."""
    return django_user_model.objects.create_user("clerk", "clerk@example.org", PASSWORD, is_staff=True)


@pytest.fixture
def member(django_user_model):
    """A logged-in account that is not staff."""
    return django_user_model.objects.create_user("reader", "reader@example.org", PASSWORD)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)


def login(client, username, password, address="10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


# --- The API reads, for everyone -----------------------------------------------------------------


def refused_writes(client):
    """Every write method on every public endpoint; returns the (url, method, status) not refused."""
    accepted = []
    for url in PUBLIC_API:
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(url, {"title": "defaced"}, content_type="application/json")
            if response.status_code not in (403, 405):
                accepted.append((url, method, response.status_code))
    return accepted


def test_api_refuses_every_write_to_anonymous_users(client, loaded):
    before = snapshot()
    assert refused_writes(client) == []
    assert snapshot() == before


def test_api_refuses_every_write_even_to_a_superuser(client, loaded, superuser):
    client.force_login(superuser)
    before = snapshot()
    assert refused_writes(client) == []
    assert snapshot() == before


def test_api_write_from_a_browser_session_is_refused_before_csrf_matters(loaded, superuser):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(superuser)
    response = browser.delete("/api/v1/investments/T-MS-ES-01/")
    assert response.status_code == 403
    assert Investment.objects.filter(ref="T-MS-ES-01").exists()


def test_api_does_not_check_passwords_so_it_cannot_be_used_to_guess_them(client, loaded, superuser):
    """Basic auth on the API would be an unthrottled password oracle beside the throttled admin login."""
    IngestRunFactory()
    token = base64.b64encode(f"root:{PASSWORD}".encode()).decode()
    assert client.get("/api/v1/ingest-runs/", HTTP_AUTHORIZATION=f"Basic {token}").status_code == 403
    wrong = base64.b64encode(b"root:guess").decode()
    assert client.get("/api/v1/investments/", HTTP_AUTHORIZATION=f"Basic {wrong}").status_code == 200


# --- Operational data: staff only --------------------------------------------------------------


def test_ingest_runs_are_invisible_to_anonymous_users(client, loaded):
    run = IngestRun.objects.get()
    assert client.get("/api/v1/ingest-runs/").status_code in (403, 404)
    assert client.get(f"/api/v1/ingest-runs/{run.pk}/").status_code in (403, 404)
    assert "ingest-runs" not in client.get("/api/v1/").content.decode()
    assert "ingest-runs" not in client.get("/api/schema/").content.decode()


def test_ingest_runs_are_refused_to_a_logged_in_user_who_is_not_staff(client, loaded, member):
    client.force_login(member)
    assert client.get("/api/v1/ingest-runs/").status_code == 403


def test_ingest_runs_are_refused_to_staff_without_the_view_permission_as_admin_refuses_them(
    client, loaded, staff
):
    run = IngestRun.objects.first()
    client.force_login(staff)
    assert client.get("/admin/ingest/ingestrun/").status_code == 403
    assert client.get("/api/v1/ingest-runs/").status_code == 403
    assert client.get(f"/api/v1/ingest-runs/{run.pk}/").status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_ingestrun"))
    staff = type(staff).objects.get(pk=staff.pk)  # a fresh user: permissions are cached per instance
    client.force_login(staff)
    assert client.get("/api/v1/ingest-runs/").status_code == 200
    assert client.get(f"/api/v1/ingest-runs/{run.pk}/").status_code == 200


def test_ingest_runs_are_read_only_even_for_staff(client, loaded, superuser):
    client.force_login(superuser)
    run = IngestRun.objects.get()
    assert client.get("/api/v1/ingest-runs/").status_code == 200
    assert client.get("/api/v1/ingest-runs/").get("Cache-Control") == "private, no-store"
    assert client.delete(f"/api/v1/ingest-runs/{run.pk}/").status_code in (403, 405)
    assert client.post("/api/v1/ingest-runs/", {"source": "x"}).status_code in (403, 405)
    assert IngestRun.objects.filter(pk=run.pk).exists()


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_review_queue_and_ingest_control_send_anonymous_users_to_the_login(client, loaded, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_review_queue_and_ingest_control_send_non_staff_users_to_the_login(client, loaded, member, path):
    client.force_login(member)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_without_permission_cannot_open_the_review_queue_or_ingest_control(client, loaded, staff, path):
    client.force_login(staff)
    assert client.get(path).status_code == 403


def test_poll_now_needs_the_change_permission_on_sources(client, loaded, staff, monkeypatch):
    from ingest import tasks

    enqueued = []
    monkeypatch.setattr(tasks.poll_source, "delay", lambda pk: enqueued.append(pk))
    source = SourceFactory()
    staff.user_permissions.add(Permission.objects.get(codename="view_source"))
    client.force_login(staff)
    response = client.post(
        "/admin/ingest/source/", {"action": "poll_now", "_selected_action": [source.pk], "index": 0}
    )
    assert enqueued == []
    assert response.status_code in (200, 302, 403)
    staff.user_permissions.add(Permission.objects.get(codename="change_source"))
    client.post("/admin/ingest/source/", {"action": "poll_now", "_selected_action": [source.pk], "index": 0})
    assert enqueued == [source.pk]


def test_review_decisions_need_the_change_permission_on_candidates(client, loaded, staff):
    candidate = CandidateFactory(status=Candidate.Status.PENDING)
    reject = {"action": "reject_selected", "_selected_action": [candidate.pk], "index": 0}
    staff.user_permissions.add(Permission.objects.get(codename="view_candidate"))
    client.force_login(staff)
    assert client.get("/admin/ingest/candidate/").status_code == 200
    client.post("/admin/ingest/candidate/", reject)
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.PENDING
    staff.user_permissions.add(Permission.objects.get(codename="change_candidate"))
    client.post("/admin/ingest/candidate/", reject)
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.REJECTED


def test_nobody_records_an_ingest_run_by_hand(client, loaded, superuser):
    client.force_login(superuser)
    assert client.get("/admin/ingest/ingestrun/add/").status_code == 403


# --- Admin login throttle ------------------------------------------------------------------------


def test_admin_login_is_refused_with_429_after_five_failures_even_with_the_right_password(client, superuser):
    for _ in range(5):
        assert login(client, "root", "guess").status_code == 200
    response = login(client, "root", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session


def test_admin_login_lockout_is_per_address_and_username(client, superuser, django_user_model):
    django_user_model.objects.create_superuser("other", "other@example.org", PASSWORD)
    for _ in range(5):
        login(client, "root", "guess")
    assert login(client, "ROOT ", PASSWORD).status_code == 429  # the same username, however written
    assert login(client, "root", PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    assert login(client, "other", PASSWORD).status_code == 302


def test_admin_login_lockout_cannot_be_escaped_with_a_forged_forwarded_for_header(client, superuser):
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "root", "password": "guess"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    response = client.post(
        LOGIN,
        {"username": "root", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert response.status_code == 429


def test_admin_login_behind_a_declared_proxy_tells_clients_apart_by_the_address_it_saw(
    client, superuser, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = {"REMOTE_ADDR": "10.0.0.254"}
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "root", "password": "guess"},
            HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7",
            **proxy,
        )
    locked = client.post(
        LOGIN, {"username": "root", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy
    )
    assert locked.status_code == 429  # whatever the client wrote on the left
    other = client.post(
        LOGIN, {"username": "root", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy
    )
    assert other.status_code == 302


def test_successful_admin_login_clears_the_failures(client, superuser):
    for _ in range(4):
        login(client, "root", "guess")
    assert login(client, "root", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, "root", "guess").status_code == 200
    assert login(client, "root", PASSWORD).status_code == 302


def test_admin_login_lockout_ends_with_its_window(client, superuser):
    for _ in range(5):
        login(client, "root", "guess")
    assert login(client, "root", PASSWORD).status_code == 429
    cache.clear()  # what the window's expiry does
    assert login(client, "root", PASSWORD).status_code == 302


def test_admin_login_still_works_when_the_cache_is_down(client, superuser, monkeypatch):
    from config import login_throttle

    class DeadCache:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("Redis is down")

            return fail

    monkeypatch.setattr(login_throttle, "cache", DeadCache())
    assert login(client, "root", "guess").status_code == 200
    assert login(client, "root", PASSWORD).status_code == 302


def test_simultaneous_wrong_passwords_get_no_more_checks_than_the_limit(superuser, settings):
    """Counting after the check let 30 simultaneous guesses all pass a count still below the limit."""
    import threading
    import time

    from django.test import RequestFactory

    from config.login_throttle import AdminLoginThrottleMiddleware

    checked, lock, start = [], threading.Lock(), threading.Barrier(30)

    def check_password(request):  # what the admin does: slow, and the form again on a wrong password
        with lock:
            checked.append(request)
        time.sleep(0.2)
        return HttpResponse("the login form again", status=200)

    middleware = AdminLoginThrottleMiddleware(check_password)
    factory = RequestFactory()
    statuses = []

    def guess(n):
        request = factory.post(LOGIN, {"username": "root", "password": f"guess-{n}"}, REMOTE_ADDR="10.0.0.9")
        start.wait()
        statuses.append(middleware(request).status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == settings.LOGIN_FAILURE_LIMIT == 5
    assert sorted(statuses) == [200] * 5 + [429] * 25


def test_api_throttle_ignores_x_forwarded_for_when_no_proxy_is_declared(client, loaded, monkeypatch):
    """DRF took the whole header as the client's identity: a new one on each request, a fresh quota."""
    from investments.api.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "10/minute"})
    statuses = [
        client.get(
            "/api/v1/companies/", REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        ).status_code
        for n in range(30)
    ]
    assert statuses == [200] * 10 + [429] * 20


def test_api_throttle_behind_a_declared_proxy_counts_the_address_the_proxy_saw(
    client, loaded, monkeypatch, settings
):
    from investments.api.throttling import AnonRateThrottle

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "10/minute"})
    proxy = {"REMOTE_ADDR": "10.0.0.254"}
    forged = [
        client.get("/api/v1/companies/", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 198.51.100.7", **proxy).status_code
        for n in range(12)
    ]
    assert forged == [200] * 10 + [429] * 2  # whatever the client wrote on the left
    assert client.get("/api/v1/companies/", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 200
