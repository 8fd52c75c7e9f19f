"""deploy/docker-compose.yml and its Caddy front, read as Compose and Caddy read them.

There is no Docker engine here: the structure is checked from the YAML, and where the Compose
client (`docker compose` or `docker-compose`) or Caddy is installed, they validate the files too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.ops.serve import WEBHOOK_PATH

DEPLOY = Path(__file__).parents[2] / "deploy"


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_the_bot_runs_beside_postgres_with_a_volume_and_no_password_in_the_file() -> None:
    services = compose()["services"]
    assert services["db"]["image"].startswith("postgres:")
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert services["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    url = services["bot"]["environment"]["DATABASE_URL"]
    assert re.fullmatch(r"postgresql\+asyncpg://iso9004:\$\{POSTGRES_PASSWORD:\?[^}]+\}@db:5432/"
                        r"iso9004", url), url
    assert services["bot"]["build"]["dockerfile"] == "deploy/Dockerfile"
    assert services["bot"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_bot_scales_because_only_the_tls_front_publishes_ports() -> None:
    services = compose()["services"]
    assert "ports" not in services["bot"]  # a fixed host port would stop `--scale bot=3`
    assert services["bot"]["expose"] == [services["bot"]["environment"]["WEBHOOK_PORT"]]
    caddy = services["caddy"]
    assert caddy["image"].startswith("caddy:")
    assert caddy["profiles"] == ["webhook"]
    assert set(caddy["ports"]) == {"80:80", "443:443"}  # 80 for the certificate's challenge
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    assert "caddy_data:/data" in caddy["volumes"]  # the certificate survives a restart


def test_caddy_passes_only_the_webhook_path_to_every_bot_replica() -> None:
    caddyfile = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    port = compose()["services"]["bot"]["environment"]["WEBHOOK_PORT"]
    assert caddyfile.count("{$WEBHOOK_URL} {") == 1
    assert f"handle {WEBHOOK_PATH} {{" in caddyfile
    assert re.search(rf"dynamic a {{\s+name bot\s+port {port}\s", caddyfile)
    assert "respond 404" in caddyfile  # /health and anything else stay inside


def _filled_in(tmp_path: Path, **values: str) -> Path:
    """A copy of deploy/ with a .env as an operator fills it in; the build context beside it."""
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy)
    lines = (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines()
    filled = [f"{line.split('=', 1)[0]}={values[line.split('=', 1)[0]]}"
              if line.split("=", 1)[0] in values else line for line in lines]
    (copy / ".env").write_text("\n".join(filled) + "\n", encoding="utf-8")
    return copy


def _compose_client() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(
            ["docker", "compose", "version"], capture_output=True, check=False,
            timeout=60).returncode == 0:
        return ["docker", "compose"]
    found = shutil.which("docker-compose")
    return [found] if found else None


@pytest.mark.parametrize("profile", [[], ["--profile", "webhook"]], ids=["polling", "webhook"])
def test_compose_accepts_the_file_as_an_operator_fills_it_in(
    tmp_path: Path, profile: list[str],
) -> None:
    client = _compose_client()
    if client is None:
        pytest.skip("no Compose client here (neither the docker compose plugin nor docker-compose)")
    folder = _filled_in(tmp_path, TELEGRAM_BOT_TOKEN="123:abc", POSTGRES_PASSWORD="s3cret-pw",
                        WEBHOOK_URL="https://bot.example.org" if profile else "",
                        WEBHOOK_SECRET="a-secret" if profile else "")
    done = subprocess.run([*client, "-f", "docker-compose.yml", *profile, "config"], cwd=folder,
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    resolved = yaml.safe_load(done.stdout)["services"]
    assert resolved["bot"]["environment"]["DATABASE_URL"].endswith(":s3cret-pw@db:5432/iso9004")
    if profile:  # Caddy's site address is the bot's webhook address
        assert resolved["caddy"]["environment"]["WEBHOOK_URL"] == "https://bot.example.org"


def test_compose_refuses_to_start_without_a_database_password(tmp_path: Path) -> None:
    client = _compose_client()
    if client is None:
        pytest.skip("no Compose client here (neither the docker compose plugin nor docker-compose)")
    folder = _filled_in(tmp_path, POSTGRES_PASSWORD="")
    done = subprocess.run([*client, "-f", "docker-compose.yml", "config"], cwd=folder,
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode != 0
    assert "set POSTGRES_PASSWORD in deploy/.env" in done.stderr


def test_caddy_accepts_the_caddyfile() -> None:
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("Caddy is not installed here (apt-get install caddy)")
    done = subprocess.run(
        [caddy, "validate", "--adapter", "caddyfile", "--config", str(DEPLOY / "Caddyfile")],
        capture_output=True, text=True, check=False, timeout=60,
        env=os.environ | {"WEBHOOK_URL": "https://bot.example.org", "HOME": "/tmp"})
    assert done.returncode == 0, done.stderr
