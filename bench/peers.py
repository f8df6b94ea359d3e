"""Engine throughput against jsonsubschema on the same schema pairs.

Run by hand from the repository root, in an environment with both installed:

    python -m venv /tmp/bench && /tmp/bench/bin/pip install -e . jsonsubschema
    /tmp/bench/bin/python bench/peers.py [--runs 5] [--timeout 10]

Both tools answer "is every instance of the old schema valid under the new one?":
schemagate as `diff --strict --mode backward` (proving each break with a witness),
jsonsubschema as `isSubschema(old, new)`. Pairs come from the containment corpus
(non-optional folders), the JSON Schema evolution pairs of the EventBridge corpus,
and generated wide schemas. Prints medians per group and the ratio of throughputs.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import signal
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, versions, wide_schema

from schemagate.diff.engine import diff_documents
from schemagate.load import load_text
from schemagate.modes import Mode, Policy

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
EVOLUTIONS = [
    (
        "orcabus__WorkflowRunStateChange.v1.schema.json",
        "orcabus__WorkflowRunStateChange.v2.schema.json",
    ),
    (
        "orcabus__SequenceRunStateChange.v1.schema.json",
        "orcabus__SequenceRunStateChange.v2.schema.json",
    ),
    (
        "orcabus__FileStateChange.draft04.schema.json",
        "orcabus__FileStateChange.draft04.schema.json",
    ),
    ("mridehalgh__demo-schema.v1.json", "mridehalgh__demo-schema.v2-incompatible.json"),
]


class TimedOut(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise TimedOut


def containment_pairs() -> list[tuple[Any, Any]]:
    pairs = []
    for path in sorted((CORPUS / "containment-draft4").rglob("*.json")):
        if "optional" in path.parts:
            continue
        for case in json.loads(path.read_text(encoding="utf-8")):
            pairs.append((case["schema1"], case["schema2"]))
    return pairs


def evolution_pairs() -> list[tuple[Any, Any]]:
    folder = CORPUS / "eventbridge"
    return [
        (json.loads((folder / a).read_text()), json.loads((folder / b).read_text()))
        for a, b in EVOLUTIONS
    ]


def generated_pairs() -> dict[str, list[tuple[Any, Any]]]:
    groups = {}
    for size in (50, 200, 1000):
        groups[f"wide-{size}"] = [
            (wide_schema(size), wide_schema(size, retyped=size // 2)),
            (wide_schema(size), wide_schema(size)),
        ]
    groups["nested-200x5"] = [
        (wide_schema(200, nested=5), wide_schema(200, nested=5, retyped=100))
    ]
    groups["oneof-50x20"] = [(wide_schema(50, one_of=20), wide_schema(50, one_of=20))]
    return groups


def schemagate_verdict(old: Any, new: Any) -> bool:
    result = diff_documents(
        load_text(json.dumps(old), "old.json"),
        load_text(json.dumps(new), "new.json"),
        Mode.BACKWARD,
        Policy.STRICT,
    )
    return result.compatible


def jsonsubschema_verdict(old: Any, new: Any) -> bool:
    from jsonsubschema import isSubschema

    return bool(isSubschema(old, new))


def measure(verdict: Any, pairs: list[tuple[Any, Any]], runs: int, timeout: int) -> dict[str, Any]:
    failed = timed_out = 0
    totals = []
    for _ in range(runs):
        failed = timed_out = 0
        start = time.perf_counter()
        for old, new in pairs:
            signal.alarm(timeout)
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    verdict(old, new)
            except TimedOut:
                timed_out += 1
            except (Exception, SystemExit):
                failed += 1
            finally:
                signal.alarm(0)
        totals.append(time.perf_counter() - start)
    seconds = statistics.median(totals)
    answered = len(pairs) - failed - timed_out
    return {
        "seconds": seconds,
        "pairs": len(pairs),
        "failed": failed,
        "timed_out": timed_out,
        "per_second": len(pairs) / seconds if seconds else 0.0,
        "answered": answered,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=int, default=10)
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    groups = {
        "containment (non-optional)": containment_pairs(),
        "eventbridge evolutions": evolution_pairs(),
        **generated_pairs(),
    }
    print(f"machine: {machine()}")
    print(f"versions: {versions('schemagate', 'jsonschema', 'jsonsubschema')}")
    print(f"command: python bench/peers.py --runs {args.runs} --timeout {args.timeout}")
    print(
        "| pairs | n | schemagate median s | pairs/s | jsonsubschema median s | pairs/s "
        "| jsonsubschema failed / timed out | throughput ratio |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, pairs in groups.items():
        ours = measure(schemagate_verdict, pairs, args.runs, args.timeout)
        peer = measure(jsonsubschema_verdict, pairs, max(1, args.runs // 2), args.timeout)
        ratio = ours["per_second"] / peer["per_second"] if peer["per_second"] else float("inf")
        print(
            f"| {name} | {len(pairs)} | {ours['seconds']:.4f} | {ours['per_second']:.0f} "
            f"| {peer['seconds']:.4f} | {peer['per_second']:.1f} "
            f"| {peer['failed']} / {peer['timed_out']} | {ratio:.1f}x |"
        )
        if ours["failed"] or ours["timed_out"]:
            print(f"  schemagate failed {ours['failed']}, timed out {ours['timed_out']}")


if __name__ == "__main__":
    main()
