"""The report plan (reports.toml): which notebooks run, with which parameters, validated first."""

from __future__ import annotations

import ast
import difflib
import json
import re
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import ParameterError, SanctionlensError
from ..paths import PROJECT_ROOT

PLAN_FILE = PROJECT_ROOT / "reports.toml"
CORPUS_PARAM = "corpus_dir"
_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool, "list": list,
                           "dict": dict}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_NAME = re.compile(r"(^|_)(date|start|end|since|until|from|to)$")
_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Parameter:
    """One assignment of a notebook's `parameters` cell."""

    name: str
    type: str  # one of _TYPES, or "any"
    default: Any
    line: int
    comment: str = ""

    @property
    def is_date(self) -> bool:
        return bool(_DATE_NAME.search(self.name)) or (
            isinstance(self.default, str) and bool(_ISO_DATE.match(self.default))
        )


@dataclass
class Report:
    """One run of one notebook with one parameter set."""

    name: str  # output stem, unique in the plan
    notebook: Path
    parameters: dict[str, Any] = field(default_factory=dict)
    label: str = ""  # e.g. the company a profile is about
    title: str = ""

    @property
    def display_title(self) -> str:
        base = self.title or self.notebook.stem
        return f"{base} — {self.label}" if self.label else base


# name -> function(corpus_dir or None) -> list of (slug, label, parameter value)
Expander = Callable[[str | None], list[tuple[str, str, Any]]]
EXPANDERS: dict[str, Expander] = {}


def register_expander(name: str, func: Expander) -> None:
    """Make `expand = "<name>"` available in reports.toml (tests register stubs here)."""
    EXPANDERS[name] = func


MAX_PROFILE_PAGES = 40  # profile pages of companies outside the study's KB, at most


def companies(corpus_dir: str | None) -> list[tuple[str, str, Any]]:
    """The companies that get a profile page: (entity_id, display name, display name).

    Every company of the study's knowledge base that the corpus mentions; then companies
    found by rule or kept by name only, mentioned in two documents or more, most mentioned
    first, up to ``MAX_PROFILE_PAGES`` pages in all. The others are named on stderr
    (``sl.profile`` works for any of them)."""
    from ..kb import get_kb
    from ..store import load_corpus, tag  # the corpus's store, when it has a fresh one

    tags = tag(load_corpus(corpus_dir or None))
    rows = tags[(tags["label"] == "COMPANY") & tags["entity_id"].notna()
                & (tags["entity_id"].astype(str) != "")]
    kb = get_kb()
    studied, others = [], []
    for entity_id, grp in rows.groupby(rows["entity_id"].astype(str), sort=True):
        company = kb.companies.get(entity_id) if hasattr(kb.companies, "get") else None
        if company is not None and not company.recognition_only:
            studied.append((entity_id, company.name, company.name))
            continue
        name = company.name if company is not None else grp["text"].mode().iloc[0]
        others.append((-grp["doc_id"].nunique(), -len(grp), name, entity_id))
    room = max(0, MAX_PROFILE_PAGES - len(studied))
    chosen = [o for o in sorted(others) if -o[0] >= 2][:room]
    left = len(others) - len(chosen)
    if left:
        print(f"profile pages: {len(studied) + len(chosen)}; {left} other "
              f"{'company' if left == 1 else 'companies'} named in the corpus "
              f"{'has' if left == 1 else 'have'} none (named in one "
              f"document, or beyond the first {MAX_PROFILE_PAGES}); sl.profile(corpus, name) "
              f"works for any of them", file=sys.stderr)
    return studied + [(eid, name, name) for _, _, name, eid in chosen]


register_expander("companies", companies)


def notebook_title(nb: Any) -> str:
    """The first `# heading` of the first markdown cells, or ''."""
    for cell in nb.cells:
        if cell.cell_type != "markdown" or "navigation" in cell.metadata.get("tags", []):
            continue
        for line in cell.source.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
        return ""
    return ""


def read_notebook(path: Path) -> Any:
    import nbformat

    if not path.is_file():
        raise SanctionlensError(f"notebook {path} does not exist (named in the report plan)")
    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types
        raise SanctionlensError(f"notebook {path} cannot be read: {exc}") from exc


def parameters_cell(nb: Any) -> Any | None:
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            return cell
    return None


def _annotation_type(node: ast.expr | None) -> str:
    if node is None:
        return "any"
    if isinstance(node, ast.Name) and node.id in _TYPES:
        return node.id
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        return node.value.id if node.value.id in _TYPES else "any"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):  # `list | str`
        left, right = _annotation_type(node.left), _annotation_type(node.right)
        return "any" if "any" in (left, right) else f"{left} | {right}"
    return "any"


def read_parameters(path: Path, nb: Any | None = None) -> dict[str, Parameter]:
    """Parse the `parameters` cell with ast: names, types (annotation or literal), defaults."""
    nb = nb if nb is not None else read_notebook(path)
    cell = parameters_cell(nb)
    return {} if cell is None else parse_parameters(cell.source, str(path))


def parse_parameters(source: str, where: str) -> dict[str, Parameter]:
    """The assignments of a parameters cell's source (``where`` names it in errors)."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(
            f"{where}: the parameters cell is not valid Python (line {exc.lineno}): {exc.msg}"
        ) from exc
    lines = source.splitlines()
    params: dict[str, Parameter] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, ann, value = node.target.id, _annotation_type(node.annotation), node.value
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name)):
            name, ann, value = node.targets[0].id, "any", node.value
        else:
            continue
        try:
            default = ast.literal_eval(value) if value is not None else None
        except ValueError:
            default = None
        if ann == "any" and default is not None:
            ann = type(default).__name__ if type(default).__name__ in _TYPES else "any"
        text = lines[node.lineno - 1] if node.lineno - 1 < len(lines) else ""
        comment = text.split("#", 1)[1].strip() if "#" in text else ""
        params[name] = Parameter(name, ann, default, node.lineno, comment)
    return params


def check_value(where: str, param: Parameter, value: Any) -> str | None:
    """Problem with one value for one parameter, or None."""
    expected = param.type
    ok = True
    if " | " in expected:  # a union: any one of its types will do
        ok = any(check_value(where, Parameter(param.name, t, param.default, param.line,
                                              param.comment), value) is None
                 for t in expected.split(" | "))
    elif expected == "bool":
        ok = isinstance(value, bool)
    elif expected == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif expected == "float":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif expected in _TYPES:
        ok = isinstance(value, _TYPES[expected])
    if not ok:
        return (f"{where}: parameter {param.name!r} must be {expected} "
                f"(line {param.line} of the parameters cell), got {type(value).__name__} "
                f"{value!r}")
    if param.is_date and isinstance(value, str) and value != "":
        try:
            date.fromisoformat(value)
            if not _ISO_DATE.match(value):
                raise ValueError
        except ValueError:
            return (f"{where}: parameter {param.name!r} = {value!r} is not an ISO date; "
                    "write YYYY-MM-DD, e.g. '2021-12-10'")
    return None


def validate_parameters(
    where: str, declared: dict[str, Parameter], given: dict[str, Any]
) -> list[str]:
    """All problems of a parameter set against the declared parameters."""
    problems = []
    for name, value in sorted(given.items()):
        if name not in declared:
            close = difflib.get_close_matches(name, list(declared), n=1, cutoff=0.6)
            hint = (f"did you mean {close[0]!r}?" if close
                    else f"declared: {', '.join(sorted(declared)) or 'none'}")
            problems.append(f"{where}: unknown parameter {name!r}; {hint}")
            continue
        problem = check_value(where, declared[name], value)
        if problem:
            problems.append(problem)
    return problems


def slug(text: str) -> str:
    return _SLUG.sub("-", text).strip("-").lower() or "x"


_ENTRY_KEYS = {"notebook", "name", "parameters", "expand", "expand_parameter", "label"}


def _plan_entries(path: Path) -> list[dict[str, Any]]:
    """The [[report]] tables of the plan file."""
    if not path.is_file():
        raise SanctionlensError(f"report plan {path} does not exist; create it (see reports.toml)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SanctionlensError(f"report plan {path} is not valid TOML: {exc}") from exc
    entries = data.get("report")
    if not isinstance(entries, list) or not entries:
        raise SanctionlensError(f"report plan {path}: no [[report]] entries")
    return entries


def _entry_reports(path: Path, i: int, entry: dict[str, Any], corpus_dir: str | None,
                   problems: list[str]) -> list[Report]:
    """The reports of one plan entry (one, or one per expanded value); problems are added to
    `problems` so that all of them are reported at once."""
    where_entry = f"{path.name} [[report]] #{i}"
    unknown = sorted(set(entry) - _ENTRY_KEYS)
    if unknown:
        raise SanctionlensError(
            f"{where_entry}: unknown key(s) {unknown}; allowed: {sorted(_ENTRY_KEYS)}")
    if "notebook" not in entry:
        raise SanctionlensError(f"{where_entry}: missing key 'notebook'")
    nb_path = (path.parent / entry["notebook"]).resolve()
    nb = read_notebook(nb_path)
    declared = read_parameters(nb_path, nb)
    title = notebook_title(nb)
    given = dict(entry.get("parameters", {}))
    if CORPUS_PARAM in declared and corpus_dir is not None:
        given[CORPUS_PARAM] = str(corpus_dir)
    where = f"{entry['notebook']} ({where_entry})"
    name = str(entry.get("name") or nb_path.stem)
    expand = entry.get("expand")
    problems += validate_parameters(where, declared, given)
    if expand is None:
        return [Report(name, nb_path, given, str(entry.get("label", "")), title)]
    if expand not in EXPANDERS:
        raise SanctionlensError(
            f"{where_entry}: unknown expand = {expand!r}; known: {sorted(EXPANDERS)}")
    target = str(entry.get("expand_parameter", "company"))
    if target not in declared:
        problems.append(f"{where}: expand_parameter {target!r} is not a parameter of "
                        f"the notebook; declared: {', '.join(sorted(declared))}")
    if problems:
        return []  # do not expand (and tag the corpus) for a broken plan
    out = []
    for key, label, value in EXPANDERS[expand](given.get(CORPUS_PARAM) or corpus_dir):
        params = {**given, target: value}
        problems += validate_parameters(f"{where} [{label}]", declared, params)
        out.append(Report(f"{name}-{slug(key)}", nb_path, params, label, title))
    return out


def _select(reports: list[Report], only: str) -> list[Report]:
    """The reports whose name matches `only` (a glob, or a substring)."""
    import fnmatch

    pattern = only if any(c in only for c in "*?[") else f"*{only}*"
    chosen = [r for r in reports if fnmatch.fnmatch(r.name, pattern)]
    if not chosen:
        raise SanctionlensError(f"--only {only!r} matches no report; "
                                f"names: {[r.name for r in reports]}")
    return chosen


def load_plan(
    plan_path: Path | str | None = None,
    corpus_dir: str | None = None,
    only: str | None = None,
) -> list[Report]:
    """Read reports.toml, expand parameter sets and validate everything before any run.

    Raises SanctionlensError for a broken plan or a missing notebook, ParameterError (all
    problems in one message) for unknown names, wrong types or bad dates.
    """
    path = Path(plan_path) if plan_path else PLAN_FILE
    reports: list[Report] = []
    problems: list[str] = []
    for i, entry in enumerate(_plan_entries(path), start=1):
        reports += _entry_reports(path, i, entry, corpus_dir, problems)
    if problems:
        raise ParameterError("invalid report plan:\n  " + "\n  ".join(problems))
    names = [r.name for r in reports]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SanctionlensError(f"report plan {path}: duplicate report names {dupes}; "
                                "give each entry a distinct `name`")
    return _select(reports, only) if only else reports


def describe(params: dict[str, Any]) -> str:
    """Stable one-line text of a parameter set."""
    return ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in sorted(params.items()))
