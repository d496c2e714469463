"""`make run`: PostgreSQL and SeaweedFS of our own, migrations, demo data once, then the app on http://localhost:3000.

`make run-scaled` (`--scaled`): the production shape on one machine. Redis too (REDIS_URL's, else a redis-server of
our own), several Reflex backend workers sharing tab states through it (GRANIAN_WORKERS, 2 by default), the job
worker out of the app processes and into dedicated ones (JOB_WORKERS, 2 by default), all behind one address.

DATABASE_URL and STORAGE_URL, when set, point at servers of yours instead, and then nothing of ours starts for them.
Ctrl-C (or SIGTERM) stops everything this started.
"""

import argparse
import fcntl
import os
import signal
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from resolution_app.infra.child_processes import start_child  # noqa: E402
from resolution_app.infra.local_postgres import LocalPostgresError, running_postgres  # noqa: E402
from resolution_app.infra.local_redis import LocalRedisError, running_redis  # noqa: E402
from resolution_app.infra.seaweed import SeaweedError, running_seaweed  # noqa: E402
from resolution_app.infra.settings import get_settings  # noqa: E402

S3_PORT = int(os.environ.get("SEAWEED_S3_PORT", "8333"))


def _stop_on_term(*_: object) -> None:
    raise KeyboardInterrupt  # a terminal's Ctrl-C and a supervisor's SIGTERM stop everything the same way


class AlreadyRunning(Exception):
    """Another run serves from the same data folder."""


def _only_run(data_dir: Path) -> TextIO:
    """The data folder's lock, held while this runs: a second run on it would take over this one's PostgreSQL (as it
    rightly does a killed run's) and stop it on its way out. The system drops the lock however this process ends."""
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = (data_dir / "run.lock").open("a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or "?"
        lock.close()
        raise AlreadyRunning(
            f"The app is already running on {data_dir} (process {holder}): stop it first (Ctrl-C where it runs), or "
            "give this run a DATA_DIR of its own."
        ) from None
    lock.seek(0)
    lock.truncate()
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    return lock


def _servers(stack: ExitStack, env: dict[str, str], scaled: bool) -> None:
    data_dir = get_settings().data_dir.resolve()
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = stack.enter_context(running_postgres(data_dir / "postgres"))
        print(f"PostgreSQL: local, data in {data_dir / 'postgres'}", flush=True)
    if not env.get("STORAGE_URL"):
        env["STORAGE_URL"] = stack.enter_context(running_seaweed(data_dir / "seaweed", S3_PORT))
    print(f"Evidence storage: {env['STORAGE_URL'].split('&')[0]}", flush=True)
    if scaled:
        if not env.get("REDIS_URL"):
            (data_dir / "redis").mkdir(parents=True, exist_ok=True)
            env["REDIS_URL"] = stack.enter_context(running_redis(data_dir / "redis"))
        env["REFLEX_REDIS_URL"] = env["REDIS_URL"]
        env.setdefault("GRANIAN_WORKERS", "2")
        env["JOB_WORKER_IN_APP"] = "0"
        print(f"Redis: {env['REDIS_URL']}; {env['GRANIAN_WORKERS']} backend workers", flush=True)


def _process(stack: ExitStack, command: list[str], env: dict[str, str]) -> subprocess.Popen:
    return start_child(stack, command, env=env, cwd=ROOT, stop_signal=signal.SIGINT)  # as Ctrl-C in a terminal


def _serve(stack: ExitStack, env: dict[str, str], job_workers: int) -> int:
    prepare = "from resolution_app.services.startup import prepare; prepare()"
    if subprocess.run([sys.executable, "-c", prepare], env=env, cwd=ROOT, check=False).returncode != 0:
        return 1
    for _ in range(job_workers):
        _process(stack, [sys.executable, "-m", "resolution_app.jobs.worker"], env)
    reflex = str(Path(sys.executable).parent / "reflex")
    app = _process(stack, [reflex, "run", "--env", "prod", "--backend-host", "127.0.0.1"], env)
    try:
        return app.wait()
    except KeyboardInterrupt:
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scaled", action="store_true", help="Redis, several backend workers, dedicated job workers")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _stop_on_term)
    # A shell starts a background job (`make run &`) with Ctrl-C's signal ignored, and children inherit that: the app
    # would ignore the SIGINT that stops it, and be killed 20 s later. A handler of our own is not inherited.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    env = dict(os.environ)
    env.setdefault("DEMO_DATA", "1")
    env.setdefault("REFLEX_USE_NPM", "1")
    try:
        with ExitStack() as stack:
            stack.enter_context(_only_run(get_settings().data_dir.resolve()))
            _servers(stack, env, args.scaled)
            return _serve(stack, env, int(env.get("JOB_WORKERS", "2")) if args.scaled else 0)
    except (AlreadyRunning, LocalPostgresError, SeaweedError, LocalRedisError) as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
