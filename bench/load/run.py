"""The load run (`make load`): Locust, headless in its own process on 127.0.0.1, against gunicorn
with the production settings on PostgreSQL holding the trust bench/board.py builds (BENCH_DATABASE_URL,
default ps_bench; built first if it is not there).

For each gunicorn shape (--shapes, workers x threads) users are raised step by step until a step's
95th percentile passes 500 ms (bench/load/locustfile.py). Then, on the shape that sustained the most
requests per second, a run at a steady load kills one gunicorn worker (SIGKILL) half-way: every
contact that was answered with success must be in the database afterwards.

Writes bench/results/load.json and prints a table. Exits 1 on any error below the 500 ms point, on a
500, or on a lost contact.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ps_bench")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench import board  # noqa: E402  (sets up Django on the bench database)
from caseload.models import Person  # noqa: E402
from faults.servers import VENV_BIN, WebServer, stage  # noqa: E402
from peersupport.models import EmploymentStatus, Role, User  # noqa: E402
from tests.faults import RedisServer  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "load.json"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def ensure_trust() -> dict:
    """The trust of bench/board.py, built by its own builder when it is not there yet."""
    if board.already_built():
        call_command("migrate", verbosity=0)
        return {"built_seconds": None}
    board.recreate_database()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    board.build_trust()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
    return {"built_seconds": round(time.perf_counter() - started, 1)}


def cast() -> tuple[list[dict], list[dict]]:
    """Workers in post with their open caseloads; each team's manager."""
    caseloads: dict[int, list[int]] = {}
    for worker_id, person_id in Person.objects.open().values_list("assigned_worker_id", "pk").order_by("pk"):
        caseloads.setdefault(worker_id, []).append(person_id)
    workers = [
        {"email": email, "people": caseloads[pk]}
        for pk, email in User.objects.filter(
            employment_status=EmploymentStatus.IN_POST, memberships__role=Role.PSW, pk__in=caseloads
        ).values_list("pk", "email")
    ]
    managers = [
        {"email": email, "team": team}
        for email, team in User.objects.filter(memberships__role=Role.MANAGER).values_list("email", "memberships__team")
    ]
    return workers, managers


def sessions_for(database: str, secret_key: str, workers: list[dict], managers: list[dict]) -> dict:
    emails = [w["email"] for w in workers] + [m["email"] for m in managers]
    made = stage(database, "sessions", secret_key, emails=emails)["sessions"]
    return {
        "workers": [{"session": made[w["email"]], "people": w["people"]} for w in workers],
        "managers": [{"session": made[m["email"]], "team": m["team"]} for m in managers],
    }


def machine() -> dict:
    """What else was running while we measured (the machine is shared)."""
    top = subprocess.run(
        ["ps", "-eo", "pcpu,comm,args", "--sort=-pcpu", "--no-headers"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()[:8]
    return {
        "at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "uptime": subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip(),  # noqa: S607
        "cpus": os.cpu_count(),
        "busiest_processes": [" ".join(line.split()[:12]) for line in top],
    }


def locust(web: WebServer, env: dict, workdir: Path, *, during=None) -> dict:
    """Run the locustfile headless against the server; `during(seconds_in)` is called each second."""
    result = workdir / f"locust-{time.monotonic_ns()}.json"
    process = subprocess.Popen(  # noqa: S603
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            web.url,
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
        ],
        cwd=ROOT,
        env={**os.environ, **env, "LOAD_RESULT": str(result)},
        stdout=(workdir / "locust.log").open("a"),
        stderr=subprocess.STDOUT,
    )
    started = time.monotonic()
    while process.poll() is None:
        time.sleep(1)
        if during:
            during(time.monotonic() - started)
    if not result.exists():
        raise SystemExit(f"Locust wrote no result:\n{(workdir / 'locust.log').read_text()[-4000:]}")
    return json.loads(result.read_text())


def sustained(run: dict, budget: float) -> dict | None:
    """The busiest step whose p95 stayed within the budget."""
    within = [s for s in run["steps"] if s["p95_ms"] <= budget and s["requests"]]
    return max(within, key=lambda s: s["requests_per_s"]) if within else None


def contacts_kept(ok_file: Path) -> tuple[int, int]:
    answered = set(ok_file.read_text().split("\n")) - {""}
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM caseload_contact WHERE notes = ANY(%s)", [list(answered)])
        stored = {row[0] for row in cursor.fetchall()}
    return len(answered), len(answered - stored)


def print_table(out: dict) -> None:
    print()
    print(f"Load run on {out['machine_before']['at']}: {out['machine_before']['uptime']}")
    print(f"{'gunicorn':<10} {'users':>6} {'req/s':>7} {'median':>7} {'p95 ms':>7} {'errors':>7}   (last step: p95)")
    print("-" * 78)
    for shape, run in out["shapes"].items():
        best = run["sustained"]
        last = run["steps"][-1]
        if best:
            print(
                f"{shape:<10} {best['users']:>6} {best['requests_per_s']:>7} {best['median_ms']:>7} "
                f"{best['p95_ms']:>7} {best['failures']:>7}   ({last['users']} users: {last['p95_ms']} ms)"
            )
        else:
            print(f"{shape:<10} no step within the budget ({last['users']} users: {last['p95_ms']} ms)")
    best_shape = out["best_shape"]
    best = out["shapes"][best_shape]["sustained"]
    print()
    print(f"Per page at {best['users']} users on {best_shape} (the best sustained step):")
    print(f"{'page':<20} {'requests':>9} {'median ms':>10} {'p95 ms':>8} {'errors':>7}")
    for name, page in best["pages"].items():
        print(f"{name:<20} {page['requests']:>9} {page['median_ms']:>10} {page['p95_ms']:>8} {page['failures']:>7}")
    kill = out["worker_killed"]
    print()
    print(
        f"Worker killed under {kill['users']} users on {best_shape}: {kill['contacts_answered_ok']} contacts "
        f"answered ok, {kill['contacts_lost']} lost; {kill['failed_requests']} requests failed "
        f"(cut by the kill), workers back: {kill['workers_after']}/{kill['workers_before']}"
    )
    print(f"Written to {RESULTS.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default="2x4,4x2,5x1", help="gunicorn workers x threads, comma-separated")
    parser.add_argument("--steps", default="5,10,15,20,25,30,40,50,60,80")
    parser.add_argument("--step-seconds", type=float, default=25)
    parser.add_argument("--budget-ms", type=float, default=500)
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        raise SystemExit("The load run needs PostgreSQL: set BENCH_DATABASE_URL=postgres://...")

    out: dict = {"trust": ensure_trust(), "machine_before": machine(), "shapes": {}}
    database = os.environ["BENCH_DATABASE_URL"]
    workers, managers = cast()
    secret = f"load-{os.urandom(24).hex()}"
    workdir = Path(tempfile.mkdtemp(prefix="ps-load-"))
    sessions = workdir / "sessions.json"
    sessions.write_text(json.dumps(sessions_for(database, secret, workers, managers)))
    ok_file = workdir / "ok-contacts.txt"
    ok_file.touch()
    env = {
        "LOAD_SESSIONS": str(sessions),
        "LOAD_OK_FILE": str(ok_file),
        "LOAD_STEPS": args.steps,
        "LOAD_STEP_SECONDS": str(args.step_seconds),
        "LOAD_P95_MS": str(args.budget_ms),
    }
    redis = RedisServer(workdir)
    redis.start()
    try:
        for shape in args.shapes.split(","):
            n_workers, n_threads = (int(n) for n in shape.split("x"))
            web = WebServer(
                database,
                workdir=workdir,
                workers=n_workers,
                threads=n_threads,
                secret_key=secret,
                REDIS_URL=redis.url,
                CONN_MAX_AGE="600",
                # Each simulated manager downloads the board about ten times a minute, far past the
                # 60-an-hour limit meant for people: the load run measures throughput, not that limit.
                RATE_LIMIT_DOWNLOADS="1000000",
            )
            web.start()
            try:
                print(f"gunicorn {shape}: raising users {args.steps} ({args.step_seconds:.0f} s a step)...", flush=True)
                run = locust(web, env, workdir)
            finally:
                web.stop()
            run["sustained"] = sustained(run, args.budget_ms)
            out["shapes"][shape] = run

        ranked = [s for s in out["shapes"] if out["shapes"][s]["sustained"]]
        if not ranked:
            raise SystemExit("No shape sustained any step within the budget.")
        best_shape = max(ranked, key=lambda s: out["shapes"][s]["sustained"]["requests_per_s"])
        out["best_shape"] = best_shape
        users = out["shapes"][best_shape]["sustained"]["users"]

        # A worker killed mid-load on the best shape: nothing answered with success may be lost.
        n_workers, n_threads = (int(n) for n in best_shape.split("x"))
        web = WebServer(
            database,
            workdir=workdir,
            workers=n_workers,
            threads=n_threads,
            secret_key=secret,
            REDIS_URL=redis.url,
            CONN_MAX_AGE="600",
        )
        web.start()
        ok_file.write_text("")
        before = len(web.worker_pids())
        killed: list[int] = []

        def kill_half_way(seconds: float) -> None:
            if not killed and seconds >= args.step_seconds / 2:
                killed.append(web.kill_worker())

        try:
            run = locust(
                web, {**env, "LOAD_STEPS": str(users), "LOAD_WARM_SECONDS": "0"}, workdir, during=kill_half_way
            )
            time.sleep(2)
            after = len(web.worker_pids())
        finally:
            web.stop()
        answered, lost = contacts_kept(ok_file)
        out["worker_killed"] = {
            "users": users,
            "killed_pid": killed[0] if killed else None,
            "contacts_answered_ok": answered,
            "contacts_lost": lost,
            "failed_requests": run["steps"][0]["failures"] if run["steps"] else None,
            "workers_before": before,
            "workers_after": after,
        }
    finally:
        redis.stop()
    out["machine_after"] = machine()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")
    print_table(out)

    errors = sum(out["shapes"][s]["sustained"]["failures"] for s in ranked)
    kill = out["worker_killed"]
    ok = errors == 0 and kill["contacts_lost"] == 0 and kill["workers_after"] == kill["workers_before"] and killed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
