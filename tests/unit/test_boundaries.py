"""Keeps STYLE.md's table true: who may import what, checked by walking imports with ast."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# module (path prefix) -> packages or modules it must not import ("newsroom.store" bans that module only)
FORBIDDEN: dict[str, set[str]] = {
    "newsroom/settings.py": {"newsroom", "agents", "chromadb", "langgraph", "slack_bolt", "langchain_openai"},
    "newsroom/records.py": {"chromadb", "langgraph", "slack_bolt", "slack_sdk", "agents"},
    "newsroom/parsers.py": {"chromadb", "langgraph", "slack_bolt", "slack_sdk", "agents"},
    "newsroom/store.py": {"slack_bolt", "slack_sdk", "langgraph", "agents"},
    "newsroom/embedding.py": {"slack_bolt", "slack_sdk", "langgraph", "agents"},
    "newsroom/models/": {"slack_bolt", "slack_sdk", "chromadb", "agents"},
    "newsroom/state.py": {"chromadb", "slack_bolt", "slack_sdk", "httpx", "langchain_openai"},
    "newsroom/schemas.py": {"chromadb", "slack_bolt", "slack_sdk", "httpx", "langchain_openai"},
    "newsroom/graph.py": {"slack_bolt", "slack_sdk", "chromadb"},
    "newsroom/service.py": {"slack_bolt", "slack_sdk"},
    "newsroom/packets.py": {"newsroom", "agents", "chromadb", "langgraph", "slack_bolt", "slack_sdk"},
    "newsroom/eval_score.py": {"agents", "chromadb", "langgraph", "slack_bolt", "slack_sdk", "httpx"},
    "newsroom/eval_report.py": {"agents", "chromadb", "langgraph", "slack_bolt", "slack_sdk", "httpx"},
    "newsroom/evaluation.py": {"slack_bolt", "slack_sdk"},
    "newsroom/beats.py": {"slack_bolt", "slack_sdk", "chromadb", "langgraph", "agents", "httpx"},
    "newsroom/briefing.py": {"slack_bolt", "slack_sdk", "chromadb", "langgraph", "agents"},
    "newsroom/scheduler.py": {"slack_bolt", "slack_sdk", "chromadb", "langgraph", "agents"},
    "newsroom/fetchguard.py": {"chromadb", "langgraph", "slack_bolt", "slack_sdk", "agents"},
    # documents render what a story holds: no model client, store, graph or door
    "newsroom/documents/": {
        "chromadb",
        "langgraph",
        "slack_bolt",
        "slack_sdk",
        "agents",
        "httpx",
        "langchain_openai",
    },
    # the port names what agents may ask of a model; reading Retry-After needs nothing of ours
    "newsroom/models/port.py": {"newsroom", "chromadb", "langgraph", "slack_bolt", "slack_sdk", "agents"},
    "newsroom/models/retry.py": {"newsroom", "chromadb", "langgraph", "slack_bolt", "slack_sdk", "agents"},
    # what code decides about drafts and sources reads text only: no store, graph, door or model client
    "newsroom/claims/": {
        "chromadb",
        "langgraph",
        "slack_bolt",
        "slack_sdk",
        "agents",
        "httpx",
        "langchain_openai",
        "newsroom.models",
        "newsroom.store",
        "newsroom.service",
    },
    "newsroom/claims/nlp.py": {
        "newsroom",
        "chromadb",
        "langgraph",
        "slack_bolt",
        "slack_sdk",
        "agents",
        "httpx",
    },
    "newsroom/slack/": {"agents", "chromadb", "langgraph"},
    "agents/": {"os", "slack_bolt", "slack_sdk", "chromadb", "httpx"},
    # benches keep their own fixtures: a test double changed for one test must not move a bench figure
    "bench/": {"tests"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _banned(imported: set[str], banned: set[str]) -> set[str]:
    return {m for m in imported for b in banned if m == b or m.startswith(b + ".")}


def test_layers_import_only_what_they_may() -> None:
    problems = []
    for prefix, banned in FORBIDDEN.items():
        for path in sorted(ROOT.glob(prefix + ("**/*.py" if prefix.endswith("/") else ""))):
            bad = _banned(_imports(path), banned)
            if bad:
                problems.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert not problems, "\n".join(problems)


# project modules (dotted prefixes) a room must not import: the table above sees top-level packages only
FORBIDDEN_OURS: dict[str, tuple[str, ...]] = {
    "newsroom/documents/": ("newsroom.models", "newsroom.slack"),
}


def _modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_rooms_import_only_the_project_modules_they_may() -> None:
    problems = []
    for prefix, banned in FORBIDDEN_OURS.items():
        for path in sorted(ROOT.glob(prefix + "**/*.py")):
            bad = sorted(m for m in _modules(path) if m.startswith(banned))
            if bad:
                problems.append(f"{path.relative_to(ROOT)} imports {bad}")
    assert not problems, "\n".join(problems)


def test_only_settings_reads_the_environment() -> None:
    offenders = []
    for path in sorted((ROOT / "newsroom").rglob("*.py")) + sorted((ROOT / "agents").rglob("*.py")):
        if path.name == "settings.py":
            continue
        text = path.read_text()
        if "os.environ" in text or "os.getenv" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
