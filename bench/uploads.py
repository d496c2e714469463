"""How fast a 50 MB evidence file goes through the app's storage path to SeaweedFS. Prints figures; not a test.

    python bench/uploads.py

A local SeaweedFS (the one `make run` starts). The app's path is infra/evidence.store_files: the size and type
checks (sniffing the file's first bytes), then S3Store.put hashing the stream while upload_fileobj sends it in
5 MiB parts, two at a time. The floor is raw boto3 `upload_fileobj` of the same file to the same bucket with
its default transfer settings (parallel parts). Each figure is the median of a few runs; the target is 80% of the
floor's throughput. Peak Python memory (tracemalloc) is measured apart, for 25 MB and 50 MB files: it must not
grow with the file. The client and SeaweedFS share this machine's cores.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from creator_table import result_line  # noqa: E402  (bench/, beside this script)

from resolution_app.infra.evidence import IncomingFile, store_files  # noqa: E402
from resolution_app.infra.seaweed import pick_free_s3_port, running_seaweed  # noqa: E402
from resolution_app.infra.storage import S3Store, make_store  # noqa: E402

MB = 1024 * 1024
TARGET_RATIO = 0.8


def evidence_file(folder: Path, megabytes: int) -> Path:
    """A PDF by its first bytes, `megabytes` long: random bytes after the header, as a scan would be."""
    path = folder / f"evidence-{megabytes}mb.pdf"
    with path.open("wb") as file:
        file.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        file.write(os.urandom(megabytes * MB - file.tell()))
    return path


def through_the_app(store: S3Store, path: Path) -> None:
    with path.open("rb") as stream:
        store_files(store, [IncomingFile(filename=path.name, stream=stream)])


def raw_boto3(store: S3Store, path: Path) -> None:
    with path.open("rb") as stream:  # the store's own client: the same connection settings, boto3's defaults otherwise
        store._client.upload_fileobj(stream, store.bucket, f"floor-{time.monotonic_ns()}")


def median_seconds(call: Callable[[], None], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_bytes(call: Callable[[], None]) -> int:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is shown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rc-bench-uploads-") as folder:
        work = Path(folder)
        (work / "seaweed").mkdir()
        with running_seaweed(work / "seaweed", pick_free_s3_port()) as url:
            store = make_store(url)
            assert isinstance(store, S3Store)
            small, large = evidence_file(work, 25), evidence_file(work, 50)
            through_the_app(store, small)  # the bucket made and the connections open before anything is timed
            app = median_seconds(lambda: through_the_app(store, large), args.runs)
            floor = median_seconds(lambda: raw_boto3(store, large), args.runs)
            peaks = {
                mb: peak_bytes(lambda path=path: through_the_app(store, path))
                for mb, path in ((25, small), (50, large))
            }
    app_rate, floor_rate = 50 / app, 50 / floor
    print(f"A 50 MB PDF to SeaweedFS, median of {args.runs} runs (client and server share the machine's cores)")
    print(f"  the app's path, evidence.store_files:   {app:5.2f} s = {app_rate:6.1f} MB/s")
    print(f"  floor, raw boto3 upload_fileobj:        {floor:5.2f} s = {floor_rate:6.1f} MB/s")
    print(f"  ratio {app_rate / floor_rate:.2f} (target at least {TARGET_RATIO})")
    for megabytes, peak in peaks.items():
        print(f"  peak Python memory storing {megabytes} MB: {peak / MB:5.1f} MB")
    print(result_line("upload_50mb", app_rate, floor_rate, "MB/s"))


if __name__ == "__main__":
    main()
