"""deploy/iso9004-bot@.service: a template for one process per port, its secrets readable by the
service alone, and the hardening `systemd-analyze security` asks for."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

UNIT = Path(__file__).parents[2] / "deploy" / "iso9004-bot@.service"


def directives() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if re.match(r"^[A-Za-z]+=", line):
            key, value = line.split("=", 1)
            found.setdefault(key, []).append(value)
    return found


def test_each_instance_is_a_worker_on_the_port_it_is_named_after() -> None:
    unit = directives()
    assert "WEBHOOK_PORT=%i" in unit["Environment"][0].split()
    assert unit["ExecStartPre"] == ["/opt/iso9004-bot/bin/iso9004-bot migrate"]
    assert unit["ExecStart"] == ["/opt/iso9004-bot/bin/iso9004-bot run"]
    assert unit["Restart"] == ["on-failure"]
    assert "systemctl enable --now iso9004-bot@8441 iso9004-bot@8442" in UNIT.read_text()


def test_the_env_file_is_readable_by_root_and_the_service_group_only() -> None:
    text = UNIT.read_text(encoding="utf-8")
    assert directives()["EnvironmentFile"] == ["/etc/iso9004-bot/env"]
    assert "install -m 0640 -o root -g iso9004-bot deploy/.env.example /etc/iso9004-bot/env" in text
    assert directives()["User"] == ["iso9004-bot"] and directives()["UMask"] == ["0077"]


def test_the_hardening_systemd_suggests_is_there() -> None:
    unit = directives()
    for key in ("NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices",
                "ProtectKernelTunables", "ProtectKernelModules", "ProtectControlGroups",
                "RestrictNamespaces", "RestrictSUIDSGID", "LockPersonality", "SystemCallFilter",
                "RestrictAddressFamilies", "CapabilityBoundingSet"):
        assert key in unit, key
    assert unit["ProtectSystem"] == ["strict"]


def test_systemd_analyze_rates_the_unit_safe() -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here")
    done = subprocess.run([analyze, "security", "--offline=true", str(UNIT)],
                          capture_output=True, text=True, check=False, timeout=60)
    level = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", done.stdout)
    assert level is not None, done.stdout + done.stderr
    assert float(level.group(1)) <= 2.0, done.stdout  # systemd calls up to 3.9 "OK"


def test_systemd_reads_every_directive_of_the_unit() -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here")
    done = subprocess.run([analyze, "verify", str(UNIT)], capture_output=True, text=True,
                          check=False, timeout=60)
    complaints = [line for line in (done.stdout + done.stderr).splitlines()
                  if "is not executable" not in line]  # the venv is not installed here
    assert complaints == []
