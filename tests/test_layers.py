"""The import contract: each layer imports only the layers below it, and the core stays free of the CLI and the database.

Layers, lowest first (peers on one line are independent of each other):
schemas ← corpus | extractors ← pipeline.nlp ← pipeline.run | pipeline.store ← pipeline.views ← pipeline.cli.
Read from the source with `ast`, so an import inside a function counts as much as one at the top.
"""

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS: list[tuple[str, ...]] = [
    ("schemas",),
    ("corpus", "extractors"),
    ("pipeline.nlp",),
    ("pipeline.run", "pipeline.store"),
    ("pipeline.views",),
    ("pipeline.cli", "pipeline"),
]
CORE = ("schemas", "corpus", "extractors", "pipeline.nlp")
CLI_ONLY = {"typer": ("pipeline.cli",)}
NOT_IN_CORE = ("duckdb", "rich", "jinja2")


class Import(NamedTuple):
    importer: str
    imported: str
    where: str


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {module_name(path): path for top in ("schemas", "corpus", "extractors", "pipeline")
            for path in sorted((ROOT / top).rglob("*.py"))}


def imports(module: str, path: Path) -> Iterator[Import]:
    """Every module `path` imports, relative imports made absolute."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            yield from (Import(module, alias.name, where) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]) if node.level else ""
            name = ".".join(part for part in (base, node.module) if part)
            yield Import(module, name, where)
            # `from pipeline import store` imports pipeline.store.
            yield from (Import(module, f"{name}.{alias.name}", where) for alias in node.names)


def layer_of(module: str) -> tuple[int, str] | None:
    """The layer index and the peer a project module belongs to (the longest matching prefix); None outside the project."""
    best: tuple[int, str] | None = None
    for index, peers in enumerate(LAYERS):
        for peer in peers:
            if (module == peer or module.startswith(peer + ".")) and (best is None or len(peer) > len(best[1])):
                best = (index, peer)
    return best


def within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def all_imports() -> list[Import]:
    return [found for module, path in project_modules().items() for found in imports(module, path)]


def layer_violations(found: list[Import]) -> list[str]:
    problems = []
    for item in found:
        own, target = layer_of(item.importer), layer_of(item.imported)
        if own is None or target is None or own[1] == target[1]:
            continue
        if target[0] > own[0]:
            problems.append(f"{item.where}: {item.importer} imports {item.imported}, a higher layer ({target[1]} above {own[1]})")
        elif target[0] == own[0]:
            problems.append(f"{item.where}: {item.importer} imports {item.imported}; {own[1]} and {target[1]} are independent peers")
    return sorted(set(problems))


def library_violations(found: list[Import]) -> list[str]:
    problems = []
    for item in found:
        library = item.imported.split(".")[0]
        if library in CLI_ONLY and not within(item.importer, CLI_ONLY[library]):
            problems.append(f"{item.where}: {item.importer} imports {library}; only {', '.join(CLI_ONLY[library])} may")
        if library in NOT_IN_CORE and within(item.importer, CORE):
            problems.append(f"{item.where}: {item.importer} imports {library}; the core ({', '.join(CORE)}) may not")
    return sorted(set(problems))


def cycles(found: list[Import]) -> list[list[str]]:
    """Import cycles among project modules (each found once, from its first module in sorted order)."""
    modules = project_modules()
    graph: dict[str, set[str]] = {module: set() for module in modules}
    for item in found:
        if item.imported in modules and item.imported != item.importer:
            graph[item.importer].add(item.imported)
    seen: set[tuple[str, ...]] = set()
    result = []

    def visit(start: str, node: str, path: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt == start:
                key = tuple(sorted(path))
                if key not in seen:
                    seen.add(key)
                    result.append([*path, start])
            elif nxt not in path and nxt > start:
                visit(start, nxt, [*path, nxt])

    for module in sorted(graph):
        visit(module, module, [module])
    return result


def test_every_project_module_has_a_layer() -> None:
    assert [module for module in project_modules() if layer_of(module) is None] == []


def test_no_layer_imports_a_higher_layer_or_a_peer() -> None:
    assert layer_violations(all_imports()) == []


def test_typer_only_in_the_cli_and_no_database_or_display_libraries_in_the_core() -> None:
    assert library_violations(all_imports()) == []


def test_no_import_cycles() -> None:
    assert cycles(all_imports()) == []


@pytest.mark.parametrize(("importer", "imported", "problem"), [
    ("extractors.numbers", "pipeline.store", "a higher layer"),
    ("corpus.cleaning", "extractors.lexicon", "independent peers"),
    ("pipeline.run.batch", "pipeline.store.database", "independent peers"),
    ("pipeline.nlp.annotate", "pipeline", "a higher layer"),
    ("pipeline.views.report", "pipeline.cli", "a higher layer"),
])
def test_the_contract_catches_an_upward_or_sideways_import(importer: str, imported: str, problem: str) -> None:
    [message] = layer_violations([Import(importer, imported, "x.py:1")])
    assert problem in message and imported in message


@pytest.mark.parametrize(("importer", "imported"), [
    ("pipeline.store.queries", "typer"), ("extractors.scope", "typer"),
    ("pipeline.nlp.annotate", "duckdb"), ("pipeline.nlp.language", "rich.console"), ("corpus.html", "jinja2"),
])
def test_the_contract_catches_a_library_out_of_place(importer: str, imported: str) -> None:
    assert len(library_violations([Import(importer, imported, "x.py:1")])) == 1


def test_a_relative_import_is_resolved_against_its_package(tmp_path: Path) -> None:
    source = tmp_path / "annotate.py"
    source.write_text("from .language import load_nlp\nfrom ..store import database\n", encoding="utf-8")
    found = {item.imported for item in imports("pipeline.nlp.annotate", source)}
    assert {"pipeline.nlp.language", "pipeline.store.database"} <= found
    assert layer_violations([item for item in imports("pipeline.nlp.annotate", source)]) != []


def test_the_contract_catches_a_cycle() -> None:
    found = [Import("pipeline.run.batch", "pipeline.run.dask_engine", "x.py:1"),
             Import("pipeline.run.dask_engine", "pipeline.run.batch", "y.py:1")]
    assert cycles(found) == [["pipeline.run.batch", "pipeline.run.dask_engine", "pipeline.run.batch"]]
