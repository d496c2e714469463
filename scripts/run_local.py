"""`make run`: PostgreSQL and SeaweedFS of our own, migrations, demo data once, then the app on http://localhost:3000.

DATABASE_URL and STORAGE_URL, when set, point at servers of yours instead, and then nothing of ours starts for them.
Ctrl-C (or SIGTERM) stops everything this started.
"""

import os
import signal
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from resolution_app.infra.local_postgres import LocalPostgresError, running_postgres  # noqa: E402
from resolution_app.infra.seaweed import SeaweedError, running_seaweed  # noqa: E402
from resolution_app.infra.settings import get_settings  # noqa: E402

S3_PORT = int(os.environ.get("SEAWEED_S3_PORT", "8333"))


def _stop_on_term(*_: object) -> None:
    raise KeyboardInterrupt  # a terminal's Ctrl-C and a supervisor's SIGTERM stop everything the same way


def _servers(stack: ExitStack, env: dict[str, str]) -> None:
    data_dir = get_settings().data_dir.resolve()
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = stack.enter_context(running_postgres(data_dir / "postgres"))
        print(f"PostgreSQL: local, data in {data_dir / 'postgres'}", flush=True)
    if not env.get("STORAGE_URL"):
        env["STORAGE_URL"] = stack.enter_context(running_seaweed(data_dir / "seaweed", S3_PORT))
    print(f"Evidence storage: {env['STORAGE_URL'].split('&')[0]}", flush=True)


def _serve(env: dict[str, str]) -> int:
    prepare = "from resolution_app.services.startup import prepare; prepare()"
    if subprocess.run([sys.executable, "-c", prepare], env=env, cwd=ROOT, check=False).returncode != 0:
        return 1
    app = subprocess.Popen(
        [str(Path(sys.executable).parent / "reflex"), "run", "--env", "prod", "--backend-host", "127.0.0.1"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        return app.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if app.poll() is None:
            os.killpg(app.pid, signal.SIGINT)
            try:
                app.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(app.pid, signal.SIGKILL)


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_term)
    env = dict(os.environ)
    env.setdefault("DEMO_DATA", "1")
    env.setdefault("REFLEX_USE_NPM", "1")
    try:
        with ExitStack() as stack:
            _servers(stack, env)
            return _serve(env)
    except (LocalPostgresError, SeaweedError) as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
