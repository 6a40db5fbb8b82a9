"""Concurrent edits through gunicorn with the production settings: 100 pairs of users (a person's
worker and their team manager) open the same plan, advance statement or person, change it, and save
at the same moment. No update may be lost: the second is told clearly and keeps what they wrote."""

from __future__ import annotations

import datetime as dt
import html
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest
import requests

from faults.conftest import record
from faults.servers import WebServer, csrf_post, stage

PAIRS = 100
AT_ONCE = 10  # pairs saving at the same moment (20 requests at once against 2 x 8 threads)
NOTICE = "Not saved: someone else saved a newer version"


class FormValues(HTMLParser):
    """What a browser would post back from a page's form: inputs, checked boxes, selected options
    and textareas, by name."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            else:
                self.values[name] = a.get("value") or ""
        elif tag == "select" and name:
            self.select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in a:
            self.values[self.select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self.textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data


def form_values(page: str) -> dict[str, str]:
    parser = FormValues()
    parser.feed(page)
    values = parser.values
    values.pop("csrfmiddlewaretoken", None)
    return {k: v.removeprefix("\n") for k, v in values.items()}


def client_for(server: WebServer, session_key: str) -> requests.Session:
    client = requests.Session()
    client.cookies.set("sessionid", session_key, domain="127.0.0.1")
    return client


@pytest.fixture(scope="module")
def edits(cluster, tmp_path_factory):
    database = cluster.create_database("ps_edits", template="ps_template")
    web = WebServer(database, workdir=tmp_path_factory.mktemp("edits"), workers=2, threads=8)
    staged = stage(database, "trust", web.secret_key, teams=PAIRS // 10, workers=10, documents=True, tag="edits")
    pairs = [
        {"person": w["person"], "worker": w["session"], "manager": team["manager"]}
        for team in staged["teams"]
        for w in team["workers"]
    ]
    web.start()
    yield web, pairs, cluster
    web.stop()


def save_together(web: WebServer, pairs: list[dict], url_of, change) -> list[dict]:
    """Each pair: both open the form, each changes it (change(values, who, i)), both save at once."""

    def one(i: int) -> dict:
        pair = pairs[i]
        url = url_of(pair)
        clients = {who: client_for(web, pair[who]) for who in ("worker", "manager")}
        forms = {}
        for who, client in clients.items():
            page = client.get(url, timeout=30)
            assert page.status_code == 200, (url, page.status_code)
            forms[who] = change(form_values(page.text), who, i)
        barrier = threading.Barrier(2)

        def save(who: str) -> requests.Response:
            barrier.wait(timeout=30)
            return csrf_post(clients[who], url, forms[who], timeout=60)

        with ThreadPoolExecutor(2) as both:
            answers = dict(zip(clients, both.map(save, clients), strict=True))
        return {"i": i, "pair": pair, "forms": forms, "answers": answers, "clients": clients, "url": url}

    with ThreadPoolExecutor(AT_ONCE) as pool:
        return list(pool.map(one, range(len(pairs))))


def errors(answers: dict[str, requests.Response]) -> dict[str, list[str]]:
    """The messages beside the fields of each answer that was not a redirect."""
    return {
        who: re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*(?:<p[^>]*>)?\s*(?:<strong>)?([^<]+)', r.text)
        for who, r in answers.items()
        if r.status_code != 302
    }


def text_of(who: str, i: int) -> str:
    return f"What the {who} wrote for pair {i}."


@pytest.mark.parametrize(
    ("path", "section", "table"),
    [
        ("plan", "wellness_toolbox", "caseload_recoveryplan"),
        ("advance-statement", "wishes", "caseload_advancestatement"),
    ],
)
def test_two_saves_of_the_same_plan_at_once_refuse_the_second_and_keep_its_text(edits, path, section, table):
    web, pairs, cluster = edits

    review_on = (dt.date.today() + dt.timedelta(days=90)).isoformat()

    def change(values: dict, who: str, i: int) -> dict:
        return {**values, section: text_of(who, i), "review_on": review_on}

    results = save_together(web, pairs, lambda p: f"{web.url}/caseload/people/{p['person']}/{path}/new/", change)
    saved_twice = 0
    for result in results:
        codes = {who: r.status_code for who, r in result["answers"].items()}
        assert sorted(codes.values()) == [200, 302], (codes, errors(result["answers"]))  # one saved, one told
        winner = next(who for who, code in codes.items() if code == 302)
        loser = next(who for who, code in codes.items() if code == 200)
        told = result["answers"][loser].text
        assert NOTICE in told and "nothing has been lost" in told
        assert html.escape(text_of(loser, result["i"])) in told  # the second keeps what they wrote
        assert 'name="based_on" value="2"' in told  # ... rebased on the version that won
        person = result["pair"]["person"]
        query = f"SELECT version || ':' || {section} FROM {table} WHERE person_id = {person} ORDER BY version"  # noqa: S608
        stored = cluster.psql("ps_edits", query).splitlines()
        assert stored == ["1:The first version.", f"2:{text_of(winner, result['i'])}"]
        # A second, deliberate save of the writer's kept text makes it the next version.
        again = csrf_post(result["clients"][loser], result["url"], form_values(told), timeout=30)
        assert again.status_code == 302
        saved_twice += 1
    record(
        f"4. Concurrent saves: {path}",
        pairs=len(results),
        one_saved_one_told=len(results),
        lost_updates=0,
        kept_text_saved_as_next_version=saved_twice,
    )


def test_two_edits_of_the_same_person_at_once_lose_nothing(edits):
    web, pairs, cluster = edits

    def change(values: dict, who: str, i: int) -> dict:
        # Each changes a different field: the worker the phone, the manager the address.
        if who == "worker":
            return {**values, "phone": f"07700 900{i:03d}"}
        return {**values, "address": f"{i} Manager Road"}

    results = save_together(web, pairs, lambda p: f"{web.url}/caseload/people/{p['person']}/edit/", change)
    lost = told = 0
    for result in results:
        codes = {who: r.status_code for who, r in result["answers"].items()}
        assert 302 in codes.values(), (codes, errors(result["answers"]))  # the forms were valid: one saved
        stored = cluster.psql(
            "ps_edits",
            f"SELECT phone || '|' || address FROM caseload_person WHERE id = {result['pair']['person']}",  # noqa: S608
        )
        both = f"07700 900{result['i']:03d}|{result['i']} Manager Road"
        if sorted(codes.values()) == [302, 302]:
            lost += stored != both  # both were told "Details saved."
        else:
            told += 1
            loser = next(who for who, code in codes.items() if code != 302)
            page = result["answers"][loser].text
            assert codes[loser] == 200  # the form again, not an error page
            assert re.search(r"(?i)changed .* while you were", page), "the second must be told clearly"
            mine = result["forms"][loser]["phone" if loser == "worker" else "address"]
            assert html.escape(mine) in page  # ... and keeps what they wrote
            theirs = both.split("|")[0 if loser == "manager" else 1]
            assert theirs in stored.split("|")  # the first save stands
    record("4. Concurrent saves: person", pairs=len(results), lost_updates=lost, second_told=told)
    assert lost == 0, f"{lost} of {len(results)} pairs lost an update: both were told 'Details saved.'"
