"""`make run`: SeaweedFS for evidence, migrations, demo data once, then the app on http://localhost:3000.

Ctrl-C stops everything this started.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from resolution_app.infra.seaweed import running_seaweed  # noqa: E402
from resolution_app.infra.settings import get_settings  # noqa: E402

S3_PORT = int(os.environ.get("SEAWEED_S3_PORT", "8333"))


def _stop_on_term(*_: object) -> None:
    raise KeyboardInterrupt  # a terminal's Ctrl-C and a supervisor's SIGTERM stop everything the same way


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_term)
    settings = get_settings()
    env = dict(os.environ)
    env.setdefault("DEMO_DATA", "1")
    env.setdefault("REFLEX_USE_NPM", "1")
    with running_seaweed(settings.data_dir / "seaweed", S3_PORT) as storage_url:
        env.setdefault("STORAGE_URL", storage_url)
        prepare = "from resolution_app.services.startup import prepare; prepare()"
        subprocess.run([sys.executable, "-c", prepare], env=env, cwd=ROOT, check=True)
        print(f"Evidence storage: {env['STORAGE_URL'].split('&')[0]}")
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


if __name__ == "__main__":
    sys.exit(main())
