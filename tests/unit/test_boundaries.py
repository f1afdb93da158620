"""Keeps STYLE.md's table true (who may import what, by walking imports with ast), and the house small: no import cycles, no module over 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# what a room that only reads and writes text may not touch: stores, graphs, doors, agents, the network
TEXT_ONLY = {"chromadb", "langgraph", "slack_bolt", "slack_sdk", "agents", "httpx", "langchain_openai"}

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
    # shared files read as text: no store, graph, door or network of their own
    "newsroom/fileparse.py": TEXT_ONLY,
    "newsroom/fetchguard.py": {"chromadb", "langgraph", "slack_bolt", "slack_sdk", "agents"},
    # platform readers fetch only through the guarded fetcher they are handed: no HTTP client of their own
    "newsroom/social/": TEXT_ONLY | {"newsroom.store", "newsroom.service", "newsroom.fetchguard"},
    # documents render what a story holds: no model client, store, graph or door
    "newsroom/documents/": TEXT_ONLY | {"newsroom.models", "newsroom.slack"},
    # the command line reaches the service, never an agent
    "newsroom/cli/": {"agents", "chromadb", "langgraph"},
    # the port names what agents may ask of a model; reading Retry-After needs nothing of ours
    "newsroom/models/port.py": {"newsroom", "chromadb", "langgraph", "slack_bolt", "slack_sdk", "agents"},
    "newsroom/models/retry.py": {"newsroom", "chromadb", "langgraph", "slack_bolt", "slack_sdk", "agents"},
    # what code decides about drafts and sources reads text only: no store, graph, door or model client
    "newsroom/claims/": TEXT_ONLY | {"newsroom.models", "newsroom.store", "newsroom.service"},
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
    # where state lives (PostgreSQL): no door, no agent, no record store, no model
    "newsroom/database/": TEXT_ONLY - {"langgraph"}
    | {"newsroom.service", "newsroom.slack", "newsroom.cli", "newsroom.models", "newsroom.graph"},
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


def test_only_the_graph_imports_agents() -> None:
    """Agents are nodes of the graph; every door reaches them through the service and the graph."""
    importers = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "newsroom").rglob("*.py")
        if any(m == "agents" or m.startswith("agents.") for m in _imports(path))
    )
    assert importers == ["newsroom/graph.py"]


def test_only_settings_reads_the_environment() -> None:
    offenders = []
    for path in sorted((ROOT / "newsroom").rglob("*.py")) + sorted((ROOT / "agents").rglob("*.py")):
        if path.name == "settings.py":
            continue
        text = path.read_text()
        if "os.environ" in text or "os.getenv" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# -- the shape of the house: no import cycles, no module a newcomer cannot read in one sitting ---------

MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_modules() -> dict[str, Path]:
    paths = sorted((ROOT / "newsroom").rglob("*.py")) + sorted((ROOT / "agents").rglob("*.py"))
    paths += sorted((ROOT / "prompts").rglob("*.py"))
    return {_module_name(p): p for p in paths}


def _edges(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the project modules it imports (absolute and relative; `from pkg import mod` counts mod)."""
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    parts = parts[: len(parts) - (node.level - 1)]
                    base = ".".join([*parts, base] if base else parts)
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            found.update(t for t in targets if t in modules and t != name)
        edges[name] = found
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_between_project_modules() -> None:
    cycles = _cycles(_edges(_project_modules()))
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_no_module_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in _project_modules().values()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"
