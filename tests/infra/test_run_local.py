"""`make run` (scripts/run_local.py): one run per data folder, so a second can't stop the first one's database."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "run_local.py"


def _run_local() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_local", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_second_run_on_the_same_data_folder_is_refused_while_the_first_runs(tmp_path):
    run_local = _run_local()
    first = run_local._only_run(tmp_path)
    with pytest.raises(
        run_local.AlreadyRunning, match=re.escape(f"already running on {tmp_path} (process {os.getpid()})")
    ):
        run_local._only_run(tmp_path)
    run_local._only_run(tmp_path / "elsewhere").close()  # another DATA_DIR is another run
    first.close()  # the first run ends
    run_local._only_run(tmp_path).close()


# A run that holds the folder until it is killed.
HOLDER = """
import pathlib, runpy, sys, time
lock = runpy.run_path(sys.argv[1])["_only_run"](pathlib.Path(sys.argv[2]))  # held while this process lives
print("held", flush=True)
time.sleep(60)
"""


def test_a_killed_run_leaves_the_folder_free(tmp_path):
    run_local = _run_local()
    killed = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(SCRIPT), str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert killed.stdout.readline().strip() == "held"
        with pytest.raises(run_local.AlreadyRunning, match=f"process {killed.pid}"):
            run_local._only_run(tmp_path)
    finally:
        killed.kill()
        killed.wait()
    run_local._only_run(tmp_path).close()
