"""Every Python and pandas operation the exercise solutions use is taught before the exercise.

The solution cells of solutions/NN_*.ipynb are parsed (ast) at test time, so the test follows
whatever the solutions hold. Each operation found there must appear in a code cell of the primer
(notebooks/00b_python_primer.ipynb) or of a lesson numbered at most NN (notebooks/MM_*.ipynb,
MM <= NN). A function of the module's own package (``armscontrol.geo.distance_km``) also counts
as taught if the exercise notebook's text names it (the question then explains it). An operation
is

* a method or attribute, by name: ``.groupby``, ``.idxmax``, ``.loc``, ``.str``, ``.days`` ...
* a function of an imported module, by its full name: ``pandas.Timestamp``,
  ``armscontrol.geo.distance_km`` (aliases such as ``pd`` or ``an`` are resolved);
* a builtin function: ``len``, ``sorted``, ``round`` ...
* a piece of syntax: ``def``, ``return``, ``lambda``, ``for``, ``if``, a comprehension, an
  f-string, a chained comparison (``a <= x <= b``), ``and``/``or``, ``&``/``|`` on masks,
  keyword arguments, slicing, tuple unpacking, ``+=``, set difference (``far - near`` where a side
  is a set), comparing with ``False`` (``mask == False``) ...

The primer's Objectives cell states, in a table, which primer sections each exercise set needs
("before exercise set 03, do primer sections 1–4, 5, 6"). The test holds it to that: each
operation of set NN must be taught in a code cell of one of the sections listed for NN (or of a
lesson numbered at most NN), and sets 01 and 02 may need only core sections.

Run ``python tests/test_primer_coverage.py`` to print, for each exercise set, the operations it
uses and where each is first taught.
"""
from __future__ import annotations

import ast
import builtins
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"
PRIMER = NOTEBOOKS / "00b_python_primer.ipynb"

BUILTINS = {name for name in dir(builtins) if not name.startswith("_")}
#: Syntax that needs no teaching (every notebook's first line uses it) or that a student never
#: writes: assignment of a name and a plain function call.
TRIVIAL = {"syntax: assignment", "syntax: call"}


def code_of(cell: dict) -> str:
    """Return a code cell's source without IPython magics and shell lines (not Python)."""
    return "\n".join(line for line in cell["source"].splitlines()
                     if not line.lstrip().startswith(("%", "!")))


def is_solution(cell: dict) -> bool:
    """True for an nbgrader solution code cell: what a student has to write."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell["cell_type"] == "code" and bool(meta.get("solution"))


def module_aliases(trees: list[ast.AST]) -> dict[str, str]:
    """Return {local name: module path} for the imports in ``trees`` (``pd`` -> ``pandas``)."""
    aliases: dict[str, str] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    aliases[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def dotted(node: ast.AST) -> str | None:
    """Return ``a.b.c`` for a chain of names and attributes, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


class Operations(ast.NodeVisitor):
    """Collect the operations a piece of code uses (see the module docstring)."""

    def __init__(self, aliases: dict[str, str]) -> None:
        self.aliases = aliases
        self.found: set[str] = set()
        self.defined: set[str] = set()
        self.rows: set[str] = set()  # names bound to the rows of .itertuples()
        self.sets: set[str] = set()  # names bound to a set earlier in the same code

    def is_set(self, node: ast.AST) -> bool:
        """True if ``node`` evidently gives a set: ``set(...)``, ``{a, b}``, a set comprehension,
        a name bound to one of these, or set arithmetic on them."""
        if isinstance(node, (ast.Set, ast.SetComp)):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return node.func.id == "set" and "set" not in self.defined
        if isinstance(node, ast.Name):
            return node.id in self.sets
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Sub, ast.BitOr, ast.BitAnd)):
            return self.is_set(node.left) or self.is_set(node.right)
        return False

    def add(self, what: str) -> None:
        self.found.add(what)

    def bind_rows(self, target: ast.AST, iterator: ast.AST) -> None:
        """Remember loop names that stand for rows of ``.itertuples()`` (their columns are read
        as attributes, ``row.range_km``: one piece of syntax, whatever the column)."""
        if (isinstance(iterator, ast.Call) and isinstance(iterator.func, ast.Attribute)
                and iterator.func.attr == "itertuples" and isinstance(target, ast.Name)):
            self.rows.add(target.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name) and node.value.id in self.rows:
            self.add("syntax: row.column (rows of .itertuples())")
            return
        chain = dotted(node)
        root = chain.split(".")[0] if chain else None
        if root in self.aliases and root not in self.defined:
            # a module's function or constant: the full name, once per chain
            self.add(self.aliases[root] + chain[len(root):])
            return
        self.add("." + node.attr)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name):
            name = node.func.id
            if name in self.aliases and name not in self.defined:
                self.add(self.aliases[name])
            elif name in BUILTINS and name not in self.defined:
                self.add(name)
        if node.keywords:
            self.add("syntax: keyword argument")
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.add("syntax: def")
        self.defined.add(node.name)
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        self.add("syntax: return")
        self.generic_visit(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.add("syntax: lambda")
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        self.add("syntax: for")
        self.bind_rows(node.target, node.iter)
        if isinstance(node.target, ast.Tuple):
            self.add("syntax: tuple unpacking")
        self.generic_visit(node)

    def visit_While(self, node: ast.While) -> None:
        self.add("syntax: while")
        self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        self.add("syntax: if")
        if node.orelse:
            self.add("syntax: elif/else")
        self.generic_visit(node)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self.add("syntax: conditional expression (x if c else y)")
        self.generic_visit(node)

    def _comprehension(self, node: ast.AST, kind: str) -> None:
        self.add(f"syntax: {kind}")
        for generator in node.generators:
            self.bind_rows(generator.target, generator.iter)
            if isinstance(generator.target, ast.Tuple):
                self.add("syntax: tuple unpacking")
            if generator.ifs:
                self.add("syntax: comprehension with if")
        self.generic_visit(node)

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._comprehension(node, "list comprehension")

    def visit_SetComp(self, node: ast.SetComp) -> None:
        self._comprehension(node, "set comprehension")

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node, "dict comprehension")

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        self._comprehension(node, "generator expression")

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self.add("syntax: f-string")
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        if len(node.ops) > 1:
            self.add("syntax: chained comparison")
        for op, right in zip(node.ops, node.comparators):
            if (isinstance(op, (ast.Eq, ast.NotEq)) and isinstance(right, ast.Constant)
                    and isinstance(right.value, bool)):
                self.add("syntax: == False (compare with a boolean)")
            self.add({ast.Eq: "syntax: ==", ast.NotEq: "syntax: !=", ast.Lt: "syntax: <",
                      ast.LtE: "syntax: <=", ast.Gt: "syntax: >", ast.GtE: "syntax: >=",
                      ast.In: "syntax: in", ast.NotIn: "syntax: not in", ast.Is: "syntax: is",
                      ast.IsNot: "syntax: is not"}[type(op)])
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        self.add("syntax: and" if isinstance(node.op, ast.And) else "syntax: or")
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self.add("syntax: not")
        elif isinstance(node.op, ast.Invert):
            self.add("syntax: ~ (not, on a mask)")
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        names = {ast.BitAnd: "syntax: & (and, on masks)", ast.BitOr: "syntax: | (or, on masks)",
                 ast.Add: "syntax: +", ast.Sub: "syntax: -", ast.Mult: "syntax: *",
                 ast.Div: "syntax: /", ast.FloorDiv: "syntax: //", ast.Mod: "syntax: %",
                 ast.Pow: "syntax: **"}
        if isinstance(node.op, ast.Sub) and (self.is_set(node.left) or self.is_set(node.right)):
            self.add("syntax: set difference (a - b)")
        elif type(node.op) in names:
            self.add(names[type(node.op)])
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.add("syntax: augmented assignment (+=)")
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.add("syntax: assignment")
        if any(isinstance(t, ast.Tuple) for t in node.targets):
            self.add("syntax: tuple unpacking")
        self.generic_visit(node)
        for target in node.targets:
            if isinstance(target, ast.Name):
                (self.sets.add if self.is_set(node.value) else self.sets.discard)(target.id)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.add("syntax: [] (indexing)")
        if isinstance(node.slice, ast.Slice):
            self.add("syntax: slice [a:b]")
        self.generic_visit(node)

    def visit_List(self, node: ast.List) -> None:
        self.add("syntax: list [...]")
        self.generic_visit(node)

    def visit_Tuple(self, node: ast.Tuple) -> None:
        if isinstance(node.ctx, ast.Load):
            self.add("syntax: tuple (a, b)")
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        self.add("syntax: dict {...}")
        self.generic_visit(node)

    def visit_Set(self, node: ast.Set) -> None:
        self.add("syntax: set {...}")
        self.generic_visit(node)


def operations(source: str, aliases: dict[str, str]) -> set[str]:
    """Return the operations ``source`` uses, given the notebook's import ``aliases``."""
    visitor = Operations(aliases)
    visitor.visit(ast.parse(source))
    return visitor.found - TRIVIAL


def notebook_cells(path: Path) -> list[dict]:
    return nbformat.read(path, as_version=4).cells


def parsed(cells: list[dict]) -> list[ast.AST]:
    return [ast.parse(code_of(c)) for c in cells if c["cell_type"] == "code"]


def taught_in(path: Path) -> set[str]:
    """Every operation used in the code cells of a lesson (or the primer)."""
    cells = [c for c in notebook_cells(path) if c["cell_type"] == "code"]
    aliases = module_aliases(parsed(cells))
    found: set[str] = set()
    for cell in cells:
        found |= operations(code_of(cell), aliases)
    return found


def lesson_number(path: Path) -> int:
    return int(re.match(r"(\d+)", path.name).group(1))


def lessons_up_to(number: int) -> list[Path]:
    """The primer and the lessons numbered at most ``number``, in order."""
    lessons = [p for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
               if lesson_number(p) <= number]
    return ([PRIMER] if PRIMER.exists() else []) + lessons


def used_by(path: Path) -> dict[str, set[str]]:
    """Return {operation: {solution cell ids}} for one exercise notebook."""
    cells = notebook_cells(path)
    aliases = module_aliases(parsed(cells))  # the setup cell's imports name the modules
    used: dict[str, set[str]] = {}
    for number, cell in enumerate(cells):
        if is_solution(cell):
            grade_id = cell["metadata"]["nbgrader"].get("grade_id") or f"cell {number}"
            for op in operations(code_of(cell), aliases):
                used.setdefault(op, set()).add(grade_id)
    return used


def named_in_text(path: Path, op: str) -> bool:
    """True if ``op`` is a function of the armscontrol package and the exercise's markdown names
    it (``geo.distance_km`` or ``distance_km``), so the question itself introduces it."""
    if not op.startswith("armscontrol."):
        return False
    text = "\n".join(c["source"] for c in notebook_cells(path) if c["cell_type"] == "markdown")
    return re.search(rf"\b{re.escape(op.rsplit('.', 1)[1])}\b", text) is not None


def untaught(path: Path) -> dict[str, set[str]]:
    """Operations a solution uses that neither the primer nor an earlier lesson shows (nor, for
    the package's own functions, the exercise's text)."""
    taught: set[str] = set()
    for lesson in lessons_up_to(lesson_number(path)):
        taught |= taught_in(lesson)
    return {op: cells for op, cells in used_by(path).items()
            if op not in taught and not named_in_text(path, op)}


SOLUTION_FILES = sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))
PRIMER_SECTION = re.compile(r"^## (\d+)\. .*\((core|extension)\)\s*$")
#: A row of the primer's table: ``| 03 | 1–4, 5, 6 |`` (exercise set, primer sections).
NEEDS_ROW = re.compile(r"^\|\s*(\d\d)\s*\|\s*(\d[\d,–\- ]*?)\s*\|\s*$", re.M)


def primer_sections() -> dict[int, tuple[str, set[str]]]:
    """Return {section number: (kind, operations its code cells use)} for the primer's numbered
    sections; a code cell belongs to the section whose heading comes before it."""
    cells = notebook_cells(PRIMER)
    aliases = module_aliases(parsed(cells))
    sections: dict[int, tuple[str, set[str]]] = {}
    current = None
    for cell in cells:
        if cell["cell_type"] == "markdown":
            for line in cell["source"].splitlines():
                if line.startswith("## "):
                    match = PRIMER_SECTION.match(line)
                    current = int(match.group(1)) if match else None
                    if match:
                        sections[current] = (match.group(2), set())
        elif cell["cell_type"] == "code" and current is not None:
            sections[current][1].update(operations(code_of(cell), aliases))
    return sections


def stated_needs() -> dict[str, set[int]]:
    """Return {exercise set "NN": primer section numbers} from the table in the primer's
    Objectives cell (``1–4, 5`` is sections 1, 2, 3, 4 and 5)."""
    text = "\n".join(c["source"] for c in notebook_cells(PRIMER) if c["cell_type"] == "markdown")
    needs: dict[str, set[int]] = {}
    for number, listed in NEEDS_ROW.findall(text):
        sections: set[int] = set()
        for part in listed.split(","):
            ends = [int(n) for n in re.split(r"[–-]", part.strip())]
            sections |= set(range(ends[0], ends[-1] + 1))
        needs[number] = sections
    return needs


def untaught_by_stated_sections(path: Path) -> dict[str, set[str]]:
    """Operations a solution uses that neither the primer sections the table lists for its set
    nor a lesson numbered at most its number shows (nor, for the package's own functions, the
    exercise's text)."""
    sections = primer_sections()
    taught: set[str] = set()
    for number in stated_needs().get(path.name[:2], set()):
        taught |= sections.get(number, ("", set()))[1]
    for lesson in lessons_up_to(lesson_number(path)):
        if lesson != PRIMER:
            taught |= taught_in(lesson)
    return {op: cells for op, cells in used_by(path).items()
            if op not in taught and not named_in_text(path, op)}


def test_the_parser_finds_what_it_should() -> None:
    aliases = {"pd": "pandas", "an": "armscontrol.analysis_sources"}
    source = '''
def banned(km):
    return 500 <= km <= 5500 and km > 0
x = df[df["a"] == 1].groupby("b")["c"].sum().idxmax()
t = pd.Timestamp("2019-02-02") + pd.DateOffset(months=6)
n = len([k for k, v in pairs if v])
s = f"{x:,}" if x else an.MILE_KM
f = lambda v: v.str.contains("x", regex=False)
for row in claims.itertuples():
    print(row.range_km, row.anything)
'''
    ops = operations(source, aliases)
    for expected in ["syntax: def", "syntax: return", "syntax: chained comparison", "syntax: and",
                     ".groupby", ".sum", ".idxmax", "pandas.Timestamp", "pandas.DateOffset",
                     "len", "syntax: list comprehension", "syntax: tuple unpacking",
                     "syntax: comprehension with if", "syntax: f-string",
                     "armscontrol.analysis_sources.MILE_KM", "syntax: lambda", ".str",
                     ".contains", "syntax: keyword argument", "syntax: =="]:
        assert expected in ops, expected
    assert "banned" not in ops and ".Timestamp" not in ops and "pd" not in str(ops)
    assert "syntax: row.column (rows of .itertuples())" in ops and ".itertuples" in ops
    assert ".range_km" not in ops and ".anything" not in ops


def test_primer_exists() -> None:
    assert PRIMER.exists(), "notebooks/00b_python_primer.ipynb is missing"


def test_set_difference_and_comparing_with_false_are_told_apart() -> None:
    source = '''
near = set(names)
far = set(other)
print(sorted(far - near), {"a"} - near, 5 - 2, df[df["a"].str.contains("x") == False])
'''
    ops = operations(source, {})
    assert "syntax: set difference (a - b)" in ops and "syntax: -" in ops
    assert "syntax: == False (compare with a boolean)" in ops
    ops = operations("a = set(x)\na = 3\nprint(a - 1, len(x) - 1)", {})
    assert "syntax: set difference (a - b)" not in ops and "syntax: -" in ops
    assert "syntax: == False (compare with a boolean)" not in operations("x == 0", {})


def test_the_primer_states_which_sections_each_exercise_set_needs() -> None:
    needs = stated_needs()
    sections = primer_sections()
    assert set(needs) == {p.name[:2] for p in SOLUTION_FILES}, \
        "the primer's table should have one row per exercise set"
    for number, listed in needs.items():
        assert listed <= set(sections), f"set {number}: lists sections the primer does not have"
        core = {n for n, (kind, _) in sections.items() if kind == "core"}
        assert core <= listed or number == "01", \
            f"set {number}: from set 02 on, every set needs the core sections {sorted(core)}"
    for number in ["01", "02"]:
        extensions = {n for n in needs[number] if sections[n][0] == "extension"}
        assert not extensions, f"set {number} should need only core sections, not {extensions}"


@pytest.mark.parametrize("path", SOLUTION_FILES, ids=lambda p: p.name)
def test_the_sections_the_primer_lists_teach_what_the_set_uses(path: Path) -> None:
    missing = untaught_by_stated_sections(path)
    listed = sorted(stated_needs().get(path.name[:2], set()))
    report = "\n".join(f"  {op:45} used in {', '.join(sorted(cells))}"
                       for op, cells in sorted(missing.items()))
    assert not missing, (f"{path.name} uses operations that primer sections {listed} and the "
                         f"lessons before it do not show:\n{report}\nlist another section in "
                         "the primer's table, or teach them there")
    # and no extension is listed that the set could do without
    sections = primer_sections()
    used = set(used_by(path))
    lessons = set().union(*(taught_in(l) for l in lessons_up_to(lesson_number(path))
                            if l != PRIMER))
    for number in listed:
        kind, ops = sections[number]
        others = set().union(*(sections[n][1] for n in listed if n != number))
        if kind == "extension":
            assert used & ops - others - lessons, \
                f"{path.name}: primer section {number} is listed but teaches nothing it needs"


@pytest.mark.parametrize("path", SOLUTION_FILES, ids=lambda p: p.name)
def test_every_operation_in_the_solutions_is_taught_first(path: Path) -> None:
    missing = untaught(path)
    where = ", ".join(p.name for p in lessons_up_to(lesson_number(path)))
    report = "\n".join(f"  {op:45} used in {', '.join(sorted(cells))}"
                       for op, cells in sorted(missing.items()))
    assert not missing, (f"{path.name} uses operations that no code cell of {where} shows:\n"
                         f"{report}\nteach them in the primer or the lesson, or avoid them")


def main() -> int:
    """Print each exercise set's operations and where each is first taught."""
    sections = primer_sections()
    for path in SOLUTION_FILES:
        print(f"== {path.name} (primer sections listed: "
              f"{sorted(stated_needs().get(path.name[:2], set()))})")
        first: dict[str, str] = {}
        for number, (_, ops) in sorted(sections.items()):
            for op in ops:
                first.setdefault(op, f"primer section {number}")
        for lesson in lessons_up_to(lesson_number(path)):
            for op in taught_in(lesson):
                first.setdefault(op, lesson.name)
        for op, cells in sorted(used_by(path).items()):
            where = first.get(op) or ("the exercise's text" if named_in_text(path, op)
                                      else "NOT TAUGHT")
            print(f"  {op:45} {where:28} {', '.join(sorted(cells))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
