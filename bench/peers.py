"""Engine throughput against jsonsubschema on the same schema pairs.

Run by hand from the repository root, in an environment with both installed:

    python -m venv /tmp/bench && /tmp/bench/bin/pip install -e . jsonsubschema
    /tmp/bench/bin/python bench/peers.py [--runs 5] [--timeout 10]

Both tools answer "is every instance of the old schema valid under the new one?":
schemagate as `diff --strict --mode backward` (proving each break with a witness),
jsonsubschema as `isSubschema(old, new)`. Pairs come from the containment corpus
(non-optional folders), Confluent Schema Registry's JSON Schema diff cases, the JSON
Schema evolution pairs of the EventBridge corpus (the OpenAPI pair is left out, as
jsonsubschema reads JSON Schema only), and generated wide schemas (for each shape: a
breaking, a compatible and an unchanged pair). Both tools start from each document's
JSON text and parse it inside the timing. Each pair is timed alone, after one untimed
run. A group's throughput counts only the pairs both tools return a verdict for, from
each pair's median time, and the ratio is jsonsubschema's time over ours.

schemagate checks each document against its draft's metaschema and remembers a pass
in its cache folder, as jsonsubschema does not. Each pair is timed twice: seen before
(the documents passed that check in an earlier run, as on a developer's machine) and
first sight (an empty cache folder and no format verdicts kept in memory before each
run, as in a CI job without a cache).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, versions, wide_schema

from schemagate.compiled import forget_format_verdicts
from schemagate.diff.engine import diff_documents
from schemagate.load import load_text
from schemagate.markers import forget_passes
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
        "orcabus__FileStateChange.draft07.schema.json",
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


def confluent_pairs() -> list[tuple[Any, Any]]:
    pairs = []
    for line in (CORPUS / "confluent" / "cases.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        schemas = [case["original_schema"], case["update_schema"]]
        old, new = (json.loads(s) if isinstance(s, str) else s for s in schemas)
        pairs.append((old, new))
    return pairs


def evolution_pairs() -> list[tuple[Any, Any]]:
    folder = CORPUS / "eventbridge"
    return [
        (json.loads((folder / a).read_text()), json.loads((folder / b).read_text()))
        for a, b in EVOLUTIONS
    ]


def _with_optional_member(schema: dict[str, Any]) -> dict[str, Any]:
    grown = json.loads(json.dumps(schema))
    grown["properties"]["addedLater"] = {"type": "string"}
    return grown


def generated_pairs() -> dict[str, list[tuple[Any, Any]]]:
    """Per generated shape: a breaking pair, a compatible pair and an unchanged pair."""
    shapes = {
        "generated, 50 members": ({"properties": 50}, 25),
        "generated, 200 members": ({"properties": 200}, 100),
        "generated, 1,000 members": ({"properties": 1000}, 500),
        "generated, 200 members nested 5 deep": ({"properties": 200, "nested": 5}, 100),
        "generated, 50 members and a 20-branch `oneOf`": ({"properties": 50, "one_of": 20}, 25),
    }
    groups = {}
    for name, (options, retyped) in shapes.items():
        base = wide_schema(**options)
        groups[name] = [
            (base, wide_schema(**options, retyped=retyped)),
            (base, _with_optional_member(base)),
            (base, wide_schema(**options)),
        ]
    return groups


def schemagate_verdict(old_text: str, new_text: str) -> bool:
    result = diff_documents(
        load_text(old_text, "old.json"),
        load_text(new_text, "new.json"),
        Mode.BACKWARD,
        Policy.STRICT,
    )
    return result.compatible


def jsonsubschema_verdict(old_text: str, new_text: str) -> bool:
    from jsonsubschema import isSubschema

    return bool(isSubschema(json.loads(old_text), json.loads(new_text)))


def measure(
    verdict: Any,
    old: Any,
    new: Any,
    runs: int,
    timeout: int,
    prepares: tuple[Callable[[], None], ...] = (lambda: None,),
) -> list[Any]:
    """Return, for each of `prepares`, the median time in seconds of one pair, or
    "failed" or "timed out".

    Each prepare runs before its runs, outside the timing, and the runs of several
    alternate, so a slow spell or a cold start weighs on each alike. A first, untimed
    round brings the tool's code and data back into the processor's caches after the
    other tool ran: without it, schemagate's runs right after jsonsubschema's took
    about 5% longer on the EventBridge pairs (a median of six measurements).
    """
    times: list[list[float]] = [[] for _ in prepares]
    for run in range(runs + 1):
        for index, prepare in enumerate(prepares):
            prepare()
            signal.alarm(timeout)
            start = time.perf_counter()
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    verdict(old, new)
            except TimedOut:
                return ["timed out"] * len(prepares)
            except (Exception, SystemExit):
                return ["failed"] * len(prepares)
            finally:
                signal.alarm(0)
            if run:
                times[index].append(time.perf_counter() - start)
    return [statistics.median(each) for each in times]


def _nothing() -> None:
    """Leave the remembered passes in place, for a seen-before run."""


def first_sight() -> None:
    """Empty the cache folder and forget remembered passes and format verdicts, so
    documents are new."""
    shutil.rmtree(os.environ["SCHEMAGATE_CACHE_DIR"], ignore_errors=True)
    forget_passes()
    forget_format_verdicts()


def _ratio(ours: list[Any], peer: list[Any]) -> tuple[str, str, str, str]:
    """Return our throughput, the throughput ratio, the median and the lowest pair ratio
    over the pairs both tools return a verdict for."""
    both = [
        (a, b)
        for a, b in zip(ours, peer, strict=True)
        if isinstance(a, float) and isinstance(b, float)
    ]
    if not both:
        return "-", "-", "-", "-"
    seconds = sum(a for a, _ in both)
    ratio = sum(b for _, b in both) / seconds
    # The throughput ratio leans on the pairs jsonsubschema is slowest on; the median
    # pair shows the typical pair.
    median = statistics.median(b / a for a, b in both)
    lowest = min(b / a for a, b in both)
    return _rate(seconds, len(both)), f"{ratio:.1f}x", f"{median:.1f}x", f"{lowest:.1f}x"


def _rate(seconds: float, count: int) -> str:
    if not seconds:
        return "-"
    rate = count / seconds
    return f"{rate:,.0f} pairs/s" if rate >= 10 else f"{rate:.1f} pairs/s"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=int, default=10)
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    # Passes are remembered in a folder of this run's own, never in the user's cache.
    os.environ["SCHEMAGATE_CACHE_DIR"] = tempfile.mkdtemp(prefix="schemagate-bench-")
    groups = {
        "containment suite, non-optional": containment_pairs(),
        "Confluent JSON Schema diff cases": confluent_pairs(),
        "EventBridge evolution pairs (JSON Schema)": evolution_pairs(),
        **generated_pairs(),
    }
    print(f"machine: {machine()}")
    print(f"versions: {versions('schemagate', 'jsonschema', 'jsonsubschema')}")
    print(f"command: python bench/peers.py --runs {args.runs} --timeout {args.timeout}")
    print(
        "| pairs | n | both answered | jsonsubschema | schemagate, seen before "
        "| throughput ratio | median pair ratio | lowest pair ratio "
        "| schemagate, first sight | throughput ratio | median pair ratio "
        "| schemagate failed | jsonsubschema failed / timed out |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    peer_runs = max(1, args.runs // 2)
    try:
        for name, pairs in groups.items():
            # Warm both tools' imports and caches on the group's first pair.
            first = (json.dumps(pairs[0][0]), json.dumps(pairs[0][1]))
            measure(schemagate_verdict, *first, 1, args.timeout)
            measure(jsonsubschema_verdict, *first, 1, args.timeout)
            # Each pair is timed with both tools in turn, so a slow spell on this
            # shared machine weighs on both sides of a ratio alike.
            seen = []
            new = []
            peer = []
            # Both tools start from the documents' text, as read from files.
            for old_text, new_text in [(json.dumps(a), json.dumps(b)) for a, b in pairs]:
                texts = (old_text, new_text, args.runs, args.timeout)
                unseen, again = measure(schemagate_verdict, *texts, (first_sight, _nothing))
                new.append(unseen)
                seen.append(again)
                peer += measure(jsonsubschema_verdict, old_text, new_text, peer_runs, args.timeout)
            peer_rate = _ratio(peer, peer)[0]
            seen_rate, seen_ratio, seen_median, seen_lowest = _ratio(seen, peer)
            new_rate, new_ratio, new_median, _ = _ratio(new, peer)
            answered = sum(
                isinstance(a, float) and isinstance(b, float)
                for a, b in zip(seen, peer, strict=True)
            )
            print(
                f"| {name} | {len(pairs)} | {answered} | {peer_rate} "
                f"| {seen_rate} | {seen_ratio} | {seen_median} | {seen_lowest} "
                f"| {new_rate} | {new_ratio} | {new_median} "
                f"| {sum(1 for a in seen if not isinstance(a, float))} "
                f"| {peer.count('failed')} / {peer.count('timed out')} |"
            )
    finally:
        shutil.rmtree(os.environ["SCHEMAGATE_CACHE_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
