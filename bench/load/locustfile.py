"""The busiest journeys, for Locust (headless; bench/load/run.py starts it in its own process).

Peer support workers read their caseload and their people's pages and log contacts (some of them
bad posts, which must come back 200 with the message beside the field, never a 500); managers read
the board and download it. Users are raised step by step (StepShape) until a step's 95th percentile
passes LOAD_P95_MS; each request is kept with its step, and the figures of each step are written
to LOAD_RESULT when the run ends. Contacts answered with success are listed in LOAD_OK_FILE, so the
runner can check that every one of them was kept (a gunicorn worker is killed during one run).

Sessions come from LOAD_SESSIONS (JSON made by run.py): no sign-in is measured."""

from __future__ import annotations

import itertools
import json
import os
import random
import statistics
import threading
import time
import uuid
from datetime import datetime, timedelta

from locust import HttpUser, LoadTestShape, between, events, task

SESSIONS = json.loads(open(os.environ["LOAD_SESSIONS"]).read())  # noqa: SIM115 (read once at import)
STEPS = [int(n) for n in os.environ.get("LOAD_STEPS", "5,10,20,30,40,60,80,100").split(",")]
STEP_SECONDS = float(os.environ.get("LOAD_STEP_SECONDS", "30"))
WARM_SECONDS = float(os.environ.get("LOAD_WARM_SECONDS", "5"))  # each step's first seconds: not counted
P95_MS = float(os.environ.get("LOAD_P95_MS", "500"))
RESULT = os.environ["LOAD_RESULT"]
OK_FILE = os.environ["LOAD_OK_FILE"]
FUTURE_MESSAGE = "A contact cannot be in the future"

workers = itertools.cycle(SESSIONS["workers"])
managers = itertools.cycle(SESSIONS["managers"])
lock = threading.Lock()
state = {"step": -1, "step_started": 0.0, "stopped_after": None}
samples: list[tuple[int, str, float, bool]] = []  # step, page, ms, failed
ok_contacts = open(OK_FILE, "a", buffering=1)  # noqa: SIM115 (line-buffered for the run's length)


@events.request.add_listener
def keep(request_type, name, response_time, response_length, exception=None, **kwargs):
    if state["step"] < 0 or time.monotonic() - state["step_started"] < WARM_SECONDS:
        return
    with lock:
        samples.append((state["step"], name, response_time, exception is not None))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0.0


def step_figures(step: int) -> dict:
    with lock:
        rows = [s for s in samples if s[0] == step]
    seconds = STEP_SECONDS - WARM_SECONDS
    pages: dict[str, dict] = {}
    for name in sorted({r[1] for r in rows}):
        times = [r[2] for r in rows if r[1] == name]
        pages[name] = {
            "requests": len(times),
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(p95(times), 1),
            "failures": sum(r[3] for r in rows if r[1] == name),
        }
    return {
        "users": STEPS[step],
        "requests": len(rows),
        "requests_per_s": round(len(rows) / seconds, 1),
        "median_ms": round(statistics.median([r[2] for r in rows]), 1) if rows else 0,
        "p95_ms": round(p95([r[2] for r in rows]), 1),
        "failures": sum(r[3] for r in rows),
        "pages": pages,
    }


class StepShape(LoadTestShape):
    """STEPS users, STEP_SECONDS each; stops after the first step whose p95 passes P95_MS."""

    def tick(self):
        run_time = self.get_run_time()
        step = int(run_time // STEP_SECONDS)
        if step != state["step"]:
            if state["step"] >= 0 and step_figures(state["step"])["p95_ms"] > P95_MS:
                state["stopped_after"] = state["step"]
                return None
            if step >= len(STEPS):
                return None
            state["step"], state["step_started"] = step, time.monotonic()
        return STEPS[step], 100  # spawn at once: the step's users are all there before its counting starts


@events.quitting.add_listener
def write_result(environment, **kwargs):
    steps = [step_figures(n) for n in range(state["step"] + 1)]
    with open(RESULT, "w") as out:
        json.dump({"steps": steps, "stopped_after_step": state["stopped_after"], "p95_budget_ms": P95_MS}, out)


def contact_at() -> str:
    when = datetime.now().astimezone() - timedelta(minutes=random.randint(5, 600))
    return when.strftime("%Y-%m-%dT%H:%M")


class PeerSupportWorker(HttpUser):
    weight = 8
    wait_time = between(0.5, 1.5)

    def on_start(self):
        me = next(workers)
        self.people = me["people"]
        self.client.cookies.set("sessionid", me["session"], domain="127.0.0.1")
        # The contact form sets the CSRF cookie, as a browser gets it before its first post.
        self.client.get(f"/caseload/people/{self.people[0]}/contacts/new/", name="contact form")

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", domain="127.0.0.1") or ""

    @task(3)
    def caseload(self):
        self.client.get("/caseload/people/", name="caseload list")

    @task(3)
    def person_page(self):
        self.client.get(f"/caseload/people/{random.choice(self.people)}/", name="person page")

    @task(1)
    def person_page_section(self):
        # A section of the person's page, opened in place (htmx), as a worker reads goals or contacts.
        section = random.choice(["recent-contacts", "goals", "plans"])
        url = f"/caseload/people/{random.choice(self.people)}/{section}/"
        self.client.get(url, headers={"HX-Request": "true"}, name="person page section")

    @task(2)
    def log_contact(self):
        person = random.choice(self.people)
        notes = f"Load run contact {uuid.uuid4().hex}"
        data = {
            "csrfmiddlewaretoken": self.csrf(),
            "contact_at": contact_at(),
            "contact_type": "phone",
            "duration_minutes": "20",
            "notes": notes,
            "written_with_person": "on",
        }
        url = f"/caseload/people/{person}/contacts/new/"
        with self.client.post(url, data=data, name="log contact", allow_redirects=False, catch_response=True) as r:
            if r.status_code == 302 and r.headers.get("Location", "").endswith(f"/caseload/people/{person}/"):
                ok_contacts.write(notes + "\n")
                r.success()
            else:
                r.failure(f"contact not saved: {r.status_code}")

    @task(1)
    def bad_contact(self):
        """A contact in the future, and a contact with no minutes: 200 with the messages, nothing saved."""
        future = (datetime.now().astimezone() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        data = {
            "csrfmiddlewaretoken": self.csrf(),
            "contact_at": future,
            "contact_type": "face_to_face",
            "duration_minutes": "0",
            "notes": "Load run: a bad post.",
        }
        url = f"/caseload/people/{random.choice(self.people)}/contacts/new/"
        with self.client.post(url, data=data, name="bad contact post", allow_redirects=False, catch_response=True) as r:
            if r.status_code == 200 and FUTURE_MESSAGE in r.text and "Enter how long the contact lasted" in r.text:
                r.success()
            else:
                r.failure(f"bad post answered {r.status_code} without its messages")


class TeamManager(HttpUser):
    weight = 2
    wait_time = between(0.5, 1.5)

    def on_start(self):
        me = next(managers)
        self.team = me["team"]
        self.client.cookies.set("sessionid", me["session"], domain="127.0.0.1")

    @task(4)
    def board(self):
        self.client.get(f"/caseload/review/board/?team={self.team}", name="board")

    @task(1)
    def board_download(self):
        with self.client.get(
            f"/caseload/review/board.csv?team={self.team}", name="board CSV", catch_response=True
        ) as r:
            if r.status_code == 200 and r.headers.get("Content-Type", "").startswith("text/csv"):
                r.success()
            else:
                r.failure(f"download answered {r.status_code} {r.headers.get('Content-Type')}")
