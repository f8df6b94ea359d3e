"""Registry reads against the emulator with a fixed latency per request.

Run by hand from the repository root, in an environment with schemagate installed:

    python bench/registry.py [--runs 3] [--latency-ms 20] [--sizes 100,1000]

For each registry size the script fills an emulator database directly (one version per
schema), starts `schemagate emulator --latency-ms N` on it as a separate process, and
times two in-process operations:

- gate: `check_schemas` of one unchanged local file per schema, mode FULL;
- pull: `read_all_versions`, what `schemagate pull` reads.

Each runs sequentially (`jobs=1`) and concurrently (`jobs=8`), with a cold cache (an
empty cache folder per run) and a warm one (the folder the cold run filled). It prints
the median wall time and the API calls the emulator counted in the last run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, versions

REGISTRY = "bench"
DOCUMENT = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "object",
    "properties": {"id": {"type": "string"}, "amount": {"type": "number"}},
}


def fill_database(path: Path, size: int) -> None:
    from schemagate.emulator.store import Store

    store = Store(str(path))
    store.create_registry(REGISTRY, None, {})
    content = json.dumps(DOCUMENT)
    for index in range(size):
        store.create_schema(REGISTRY, f"s{index:04}", "JSONSchemaDraft4", content, None, {})
    store.close()


def start_emulator(db: Path, latency_ms: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "schemagate",
            "emulator",
            "--db",
            str(db),
            "--latency-ms",
            str(latency_ms),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def counted_calls(url: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{url}/_emulator/requests") as response:
        calls: dict[str, int] = json.loads(response.read())["requests"]
    with urllib.request.urlopen(
        urllib.request.Request(f"{url}/_emulator/requests", method="DELETE")
    ):
        pass
    return calls


def gate(files: list[Path], cache: Path, jobs: int) -> None:
    from schemagate.gate import check_schemas
    from schemagate.modes import Mode, Policy
    from schemagate.registry.uri import open_registry

    registry = open_registry(f"eventbridge:{REGISTRY}", cache_root=cache, jobs=jobs)
    result = check_schemas(files, registry, Mode.FULL, Policy.TOLERANT)
    assert result.ok


def pull(files: list[Path], cache: Path, jobs: int) -> None:
    from schemagate.cli.pull import read_all_versions
    from schemagate.registry.uri import open_registry

    registry = open_registry(f"eventbridge:{REGISTRY}", cache_root=cache, jobs=jobs)
    assert len(read_all_versions(registry)) == len(files)


def measure(
    operation: Callable[[list[Path], Path, int], None],
    files: list[Path],
    url: str,
    jobs: int,
    runs: int,
    scratch: Path,
) -> dict[str, Any]:
    """Time `runs` cold and `runs` warm runs; return medians and the last runs' calls."""
    cold_times, warm_times = [], []
    cold_calls: dict[str, int] = {}
    warm_calls: dict[str, int] = {}
    for run in range(runs):
        cache = Path(tempfile.mkdtemp(prefix=f"cache-{run}-", dir=scratch))
        counted_calls(url)
        started = time.perf_counter()
        operation(files, cache, jobs)
        cold_times.append(time.perf_counter() - started)
        cold_calls = counted_calls(url)
        started = time.perf_counter()
        operation(files, cache, jobs)
        warm_times.append(time.perf_counter() - started)
        warm_calls = counted_calls(url)
    return {
        "cold_s": sorted(cold_times)[len(cold_times) // 2],
        "warm_s": sorted(warm_times)[len(warm_times) // 2],
        "cold_calls": cold_calls,
        "warm_calls": warm_calls,
    }


def calls_text(calls: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}" for name, count in sorted(calls.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--sizes", default="100,1000")
    arguments = parser.parse_args()

    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
    )

    print(f"machine: {machine()}")
    print(f"versions: {versions('schemagate', 'boto3', 'botocore')}")
    print(f"latency per request: {arguments.latency_ms} ms; medians of {arguments.runs} runs")
    print("| schemas | operation | jobs | cold | warm | calls, cold | calls, warm |")
    print("|---|---|---|---|---|---|---|")

    for size in (int(text) for text in arguments.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="schemagate-bench-") as folder:
            scratch = Path(folder)
            fill_database(scratch / "state.sqlite", size)
            local = scratch / "schemas"
            local.mkdir()
            files = []
            for index in range(size):
                path = local / f"s{index:04}.json"
                path.write_text(json.dumps(DOCUMENT), encoding="utf-8")
                files.append(path)
            process, url = start_emulator(scratch / "state.sqlite", arguments.latency_ms)
            os.environ["AWS_ENDPOINT_URL_SCHEMAS"] = url
            try:
                for name, operation in (("gate", gate), ("pull", pull)):
                    for jobs in (1, 8):
                        row = measure(operation, files, url, jobs, arguments.runs, scratch)
                        print(
                            f"| {size:,} | {name} | {jobs} | {row['cold_s']:.2f} s "
                            f"| {row['warm_s']:.2f} s | {calls_text(row['cold_calls'])} "
                            f"| {calls_text(row['warm_calls'])} |",
                            flush=True,
                        )
            finally:
                process.terminate()
                process.wait()


if __name__ == "__main__":
    main()
