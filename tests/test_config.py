"""Settings files: validation against the shipped JSON Schema, and the gate decisions they set."""

from __future__ import annotations

import datetime
import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from schemagate.cli import main
from schemagate.config import KNOWN_KEYS, load_settings
from schemagate.config_schema import config_schema
from schemagate.registry.base import SchemaVersion
from schemagate.registry.snapshot import write_snapshot
from schemagate.rules.catalogue import Severity
from tests.report_cases import NEW, OLD

TODAY = datetime.date.today()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose local Order schema breaks its registered version twice."""
    write_snapshot(
        tmp_path / "snapshot",
        "test",
        [SchemaVersion("Order", "1", "JSONSchemaDraft4", json.dumps(OLD, indent=2))],
    )
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "Order.json").write_text(json.dumps(NEW, indent=2), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_config(project: Path, extra: str = "") -> Path:
    path = project / "schemagate.toml"
    path.write_text('registry = "dir:snapshot"\nschemas = "schemas"\n' + extra, encoding="utf-8")
    return path


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    code = main(["check", "--format", "json", *args])
    captured = capsys.readouterr()
    report = json.loads(captured.out) if captured.out else {}
    return code, report, captured.err


def findings(report: dict) -> list[dict]:  # type: ignore[type-arg]
    """Return the report's findings, without the advice to publish a next event-type version."""
    return [
        f
        for schema in report["schemas"]
        for f in schema["findings"]
        if f["rule"] != "event-type-next-version"
    ]


def test_schema_ships_as_package_data() -> None:
    shipped = resources.files("schemagate").joinpath("data/config.schema.json")
    assert shipped.is_file()
    jsonschema.Draft202012Validator.check_schema(config_schema())


def test_full_settings_load(project: Path) -> None:
    path = write_config(
        project,
        'fail-on = "warning"\nallow-new = true\n'
        '[severity]\n"enum-value-added" = "warning"\n'
        "[[accepted-changes]]\n"
        'rule = "type-changed"\nschema = "Order"\npointer = "/properties/total"\n'
        'reason = "no consumer reads total yet"\nexpires = 2099-01-31\n',
    )
    settings = load_settings(path)
    assert settings.fail_on is Severity.WARNING
    assert settings.allow_new is True
    assert settings.severity == {"enum-value-added": Severity.WARNING}
    assert len(settings.accepted) == 1
    assert settings.accepted[0].expires == datetime.date(2099, 1, 31)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('colour = "red"\n', "unknown key 'colour' in the schemagate settings"),
        ('fail-on = "info"\n', "fail-on: 'info' is not one of ['error', 'warning']"),
        ("allow-new = 1\n", "allow-new: 1 is not of type 'boolean'"),
        (
            '[severity]\n"no-such-rule" = "warning"\n',
            "severity: unknown rule ID 'no-such-rule'; `schemagate rules` lists every rule ID\n",
        ),
        ('[severity]\n"type-changed" = "fatal"\n', "severity.type-changed: 'fatal' is not one of"),
        (
            '[[accepted-changes]]\nrule = "type-changed"\nschema = "Order"\npointer = "/a"\n'
            'reason = "r"\nexpires = 2099-01-01\nowner = "me"\n',
            "unknown key 'owner' in accepted-changes[0]",
        ),
        (
            '[[accepted-changes]]\nrule = "type-changed"\nschema = "Order"\npointer = "/a"\n'
            "expires = 2099-01-01\n",
            "accepted-changes[0]: 'reason' is a required property",
        ),
        (
            '[[accepted-changes]]\nrule = "type-changed"\nschema = "Order"\npointer = "/a"\n'
            'reason = "r"\nexpires = "next week"\n',
            "accepted-changes[0].expires: 'next week' is not a 'date'; write the date as "
            "YYYY-MM-DD",
        ),
    ],
)
def test_invalid_settings_name_file_and_key(
    project: Path, extra: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config(project, extra)
    code, _, err = check(capsys)
    assert code == 2
    assert err.startswith(f"error: {path}: {message}")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('mode = "sideways"', "invalid mode 'sideways'"),
        ('contracts = "weird"', "invalid contracts location 'weird'"),
        ('version_naming = "x"', "invalid version_naming 'x'"),
    ],
)
def test_invalid_setting_value_names_file(
    line: str, words: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config(project, line + "\n")
    code, _, err = check(capsys)
    assert code == 2
    assert err.startswith(f"error: {path}: {words}")


def test_unknown_key_in_pyproject_names_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.schemagate]\nregistry = "dir:snapshot"\nfail_on = "error"\n', encoding="utf-8"
    )
    code, _, err = check(capsys)
    assert code == 2
    assert f"{project / 'pyproject.toml'}: unknown key 'fail_on'" in err


def test_breaks_fail_without_overrides(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_config(project)
    code, report, _ = check(capsys)
    assert code == 1
    assert report["blocking_count"] == 2
    assert report["schemas"][0]["status"] == "breaking"


def test_severity_override_lets_break_pass(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(
        project, '[severity]\n"type-changed" = "warning"\n"enum-value-removed" = "info"\n'
    )
    code, report, _ = check(capsys)
    assert code == 0
    severities = {f["rule"]: f["severity"] for f in findings(report)}
    assert severities == {"type-changed": "warning", "enum-value-removed": "info"}


def test_fail_on_warning_fails_on_warnings(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(
        project, '[severity]\n"type-changed" = "warning"\n"enum-value-removed" = "info"\n'
    )
    code, report, _ = check(capsys, "--fail-on", "warning")
    assert code == 1
    assert report["fail_on"] == "warning"
    assert report["blocking_count"] == 1


@pytest.mark.parametrize(
    ("configured", "flag", "expected"),
    [
        ("strict", None, "strict"),
        ("strict", "--tolerant", "tolerant"),
        ("tolerant", "--strict", "strict"),
        ("tolerant", None, "tolerant"),
    ],
)
def test_policy_flag_overrides_settings(
    configured: str,
    flag: str | None,
    expected: str,
    project: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_config(project, f'policy = "{configured}"\n')
    _, report, err = check(capsys, *([flag] if flag else []))
    assert report["policy"] == expected, err


def accepted_entry(expires: datetime.date) -> str:
    return (
        '[[accepted-changes]]\nrule = "type-changed"\nschema = "Order"\n'
        f'pointer = "#/properties/total"\nreason = "total is unused"\nexpires = {expires}\n'
        '[[accepted-changes]]\nrule = "enum-value-removed"\nschema = "Order"\n'
        f'pointer = "/properties/currency"\nreason = "GBP never shipped"\nexpires = {expires}\n'
    )


def test_accepted_changes_pass_until_expiry(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project, accepted_entry(TODAY))
    code, report, _ = check(capsys)
    rules = {f["rule"] for schema in report["schemas"] for f in schema["findings"]}
    assert code == 0
    assert "event-type-next-version" not in rules
    accepted = {f["rule"]: f["accepted"] for f in findings(report)}
    assert accepted == {
        "type-changed": f"total is unused, until {TODAY}",
        "enum-value-removed": f"GBP never shipped, until {TODAY}",
    }


def test_expired_accepted_change_fails_and_says_so(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    yesterday = TODAY - datetime.timedelta(days=1)
    write_config(project, accepted_entry(yesterday))
    code, report, _ = check(capsys)
    assert code == 1
    expired = [f for f in findings(report) if f["rule"] == "accepted-change-expired"]
    assert [f["new_pointer"] for f in expired] == ["/properties/total", "/properties/currency"]
    assert f"expired on {yesterday}" in expired[0]["message"]
    assert all("accepted" not in f for f in findings(report))


def test_expired_entry_of_fixed_break_is_unused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    yesterday = TODAY - datetime.timedelta(days=1)
    write_config(project, accepted_entry(yesterday))
    fixed = {**NEW, "properties": {**NEW["properties"], "total": OLD["properties"]["total"]}}
    (project / "schemas" / "Order.json").write_text(json.dumps(fixed), encoding="utf-8")
    code, report, _ = check(capsys)
    entries = {
        f["new_pointer"]: f for f in findings(report) if f["rule"].startswith("accepted-change")
    }
    assert code == 1
    assert entries["/properties/total"]["rule"] == "accepted-change-unused"
    assert entries["/properties/total"]["severity"] == "info"
    assert "matches no finding" in entries["/properties/total"]["message"]
    assert entries["/properties/currency"]["rule"] == "accepted-change-expired"
    assert entries["/properties/currency"]["severity"] == "error"


def test_mistyped_entry_reported_unused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry = accepted_entry(TODAY).replace("#/properties/total", "#/properties/totl")
    write_config(project, entry)
    code, report, _ = check(capsys)
    unused = [f for f in findings(report) if f["rule"] == "accepted-change-unused"]
    assert code == 1
    assert [f["new_pointer"] for f in unused] == ["/properties/totl"]
    assert unused[0]["severity"] == "info"


def test_expired_entries_of_reverted_schema_pass(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    yesterday = TODAY - datetime.timedelta(days=1)
    write_config(project, accepted_entry(yesterday))
    (project / "schemas" / "Order.json").write_text(json.dumps(OLD), encoding="utf-8")
    code, report, _ = check(capsys)
    severities = [f["severity"] for f in findings(report)]
    assert code == 0
    assert severities == ["info", "info"]


def test_expired_entry_severity_configurable(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    yesterday = TODAY - datetime.timedelta(days=1)
    extra = '[severity]\n"accepted-change-expired" = "warning"\n'
    write_config(project, extra + accepted_entry(yesterday))
    code, report, _ = check(capsys)
    expired = [f for f in findings(report) if f["rule"] == "accepted-change-expired"]
    assert {f["severity"] for f in expired} == {"warning"}
    # The breaks themselves are no longer accepted, so they still fail the gate.
    assert code == 1
    assert {f["rule"] for f in findings(report) if f["severity"] == "error"} == {
        "type-changed",
        "enum-value-removed",
    }


def test_accepted_change_for_other_pointer_does_not_apply(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(
        project,
        '[[accepted-changes]]\nrule = "type-changed"\nschema = "Order"\n'
        'pointer = "/properties/currency"\nreason = "r"\nexpires = 2099-01-01\n',
    )
    code, _, _ = check(capsys)
    assert code == 1


def test_allow_breaking_lowers_errors_and_says_why(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project)
    code, report, _ = check(capsys, "--allow-breaking", "label schemagate:allow-breaking")
    assert code == 0
    assert report["allowed_breaking"] == "label schemagate:allow-breaking"
    assert {f["severity"] for f in findings(report)} == {"warning"}
    main(["check", "--allow-breaking", "label schemagate:allow-breaking"])
    out = capsys.readouterr().out
    assert out.startswith(
        "breaking findings lowered to warnings: label schemagate:allow-breaking\n"
    )
    assert "Order: compatible, 2 accepted break(s) (registered version 1)" in out


@pytest.mark.parametrize(
    ("option", "code", "status"), [([], 1, "unregistered"), (["--allow-new"], 0, "new")]
)
def test_new_schema_passes_only_when_allowed(
    project: Path, option: list[str], code: int, status: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project)
    (project / "schemas" / "Fresh.json").write_text('{"type": "object"}', encoding="utf-8")
    result, report, _ = check(capsys, *option, "schemas/Fresh.json")
    assert result == code
    assert report["schemas"][0]["status"] == status
    assert report["schemas"][0]["findings"][0]["rule"] == "schema-unregistered"


def test_allow_new_from_settings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_config(project, "allow-new = true\n")
    (project / "schemas" / "Fresh.json").write_text('{"type": "object"}', encoding="utf-8")
    code, report, _ = check(capsys, "schemas/Fresh.json")
    assert code == 0
    assert report["schemas"][0]["status"] == "new"


def test_schema_lists_every_known_key() -> None:
    assert set(config_schema()["properties"]) == KNOWN_KEYS


def test_unregistered_severity_override_allows_new(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project, '[severity]\n"schema-unregistered" = "warning"\n')
    (project / "schemas" / "Fresh.json").write_text('{"type": "object"}', encoding="utf-8")
    code, report, _ = check(capsys, "schemas/Fresh.json")
    assert code == 0
    assert report["schemas"][0]["status"] == "new"
    assert report["schemas"][0]["findings"][0]["severity"] == "warning"


def test_allow_label_does_not_allow_new(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_config(project)
    (project / "schemas" / "Fresh.json").write_text('{"type": "object"}', encoding="utf-8")
    code, report, _ = check(capsys, "--allow-breaking", "label", "schemas/Fresh.json")
    assert code == 1
    assert report["schemas"][0]["status"] == "unregistered"


def test_misspelt_schema_in_entry_is_warned(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project, accepted_entry(TODAY).replace('schema = "Order"', 'schema = "Ordr"'))
    code, _, err = check(capsys)
    assert code == 1
    folder = project / "schemas"
    assert err.count(f"names schema 'Ordr', which is not in {folder}; did you mean 'Order'?") == 2
    assert err.startswith("warning: ")


def test_diff_applies_severity_table(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config(project, '[severity]\n"type-changed" = "info"\n')
    (project / "old.json").write_text(json.dumps(OLD), encoding="utf-8")
    argv = ["diff", "old.json", "schemas/Order.json", "--config", str(path), "--format", "json"]
    code = main(argv)
    report = json.loads(capsys.readouterr().out)
    severities = {f["rule"]: f["severity"] for f in report["findings"]}
    assert severities["type-changed"] == "info"
    assert severities["enum-value-removed"] == "error"
    assert code == 1


def test_config_folder_names_file_to_pass(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = check(capsys, "--config", "schemas")
    assert code == 2
    assert "config file schemas is a folder; pass the settings file in it" in err


def test_pyproject_header_in_own_file_explained(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "schemagate.toml").write_text('[tool.schemagate]\nmode = "full"\n', "utf-8")
    code, _, err = check(capsys)
    assert code == 2
    assert "the [tool.schemagate] table belongs in pyproject.toml" in err


@pytest.mark.parametrize(
    "expires",
    # Full-width digits match Python's `\d` but not a date.
    ["2027-02-28", "2027-02-30", "2027-6-30", "\uff12\uff10\uff12\uff17-01-01", "2027-01-01\n"],
)
@pytest.mark.parametrize("pointer", ["/a", "#/a", "a", "/a\n", "/a\nb", "#"])
@pytest.mark.parametrize("rule", ["type-changed", "Type-changed", "type-changed\n", "\uff54ype"])
def test_settings_verdict_is_jsonschema_verdict(
    expires: str, pointer: str, rule: str, tmp_path: Path
) -> None:
    # jsonschema-rs checks a new settings table first, so it must never accept a table
    # that jsonschema rejects, whatever it makes of dates and patterns.
    from schemagate.config_schema import validate_table
    from schemagate.errors import ConfigError

    table = {
        "severity": {rule: "warning"},
        "accepted-changes": [
            {"rule": "type-changed", "schema": "Order", "pointer": pointer, "reason": "r"}
            | {"expires": expires}
        ],
    }
    validator = jsonschema.validators.validator_for(config_schema())
    expected = validator(config_schema(), format_checker=validator.FORMAT_CHECKER).is_valid(table)
    try:
        validate_table(table, tmp_path / "schemagate.toml")
    except ConfigError:
        assert not expected
    else:
        assert expected
