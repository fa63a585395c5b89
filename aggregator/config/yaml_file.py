"""YAML with line numbers, and validation errors as located sentences.

``yaml.compose`` keeps a mark (line, column) on every node; walking the node tree along a pydantic
error location gives the line to blame. YAML is read with YAML 1.2 scalars on purpose: ``no``
stays the string "no" (Norwegian), ``07:00`` stays a string rather than the base-60 integer 420,
and dates stay strings.

A configuration file may be hostile or broken, and reading it must stay bounded and end in a
:class:`ConfigError`, never a traceback (``feeds.yaml`` and ``actors.yaml`` alike)::

    read_text     at most MAX_FILE_BYTES, UTF-8                     else: too big / not UTF-8
    check_text    no control characters (YAML's printable set)      else: the line and column
    compose       nesting at most MAX_DEPTH and at most MAX_VALUES  else: too deep (before any
                  nodes, counted while composing                          recursion) / too many
    _measure      each node once: no alias cycle, MAX_DEPTH and     else: the alias or the node
                  MAX_VALUES bound the tree as aliases expand it
    construct     a value its tag cannot read (!!int abc)           else: the line of the value

Aliases stay allowed (``<<: *defaults`` merges are useful), but every walk over the node tree
visits each node once, and construction only starts once the expanded size is known to be
small: a "billion laughs" file of nine lines is refused in milliseconds.
"""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic_core import ErrorDetails

from aggregator.config.fields import CUSTOM_ERROR, describe_value
from aggregator.errors import ConfigError
from aggregator.wording import describe_char, shown

Loc = tuple[int | str, ...]

#: The shipped feeds.yaml holds 22 sources in 6 kB (about 300 bytes a source) and the bundled
#: actors.yaml 10 kB: 1 MiB is room for some 3,500 sources, far beyond any real file, and small
#: enough that reading, checking and validating the worst file of that size stays within seconds.
MAX_FILE_BYTES = 2**20
#: The schema nests four levels (subscriptions[0].recipients[1]); twenty leaves room for YAML
#: written by hand and keeps every recursive walk (PyYAML's composer, pydantic) far from
#: Python's recursion limit.
MAX_DEPTH = 20
#: Values (keys, values, lists and mappings) in the document, aliases counted as often as they
#: repeat. 1 MiB of configuration as people write it holds about 40,000; a hundred thousand is
#: beyond any real file, and reached long before aliases that multiply can make a bomb of it.
MAX_VALUES = 100_000
#: Problems listed in one error; a file with more gets the first ones and a count of the rest.
MAX_PROBLEMS = 50

# YAML's printable set (PyYAML's Reader refuses everything else with a traceback-only error).
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# Exceptions PyYAML's constructors let escape for a value their tag cannot read: int("abc"),
# a !!timestamp that does not match, a !!bool that is no boolean, digits past int's limit.
_CONSTRUCTOR_FAILURES = (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError)


class _Refused(yaml.YAMLError):
    """A document this module will not go on reading: why, and where (a YAML mark)."""

    def __init__(self, reason: str, mark: yaml.Mark | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema booleans and integers, and no implicit timestamps;
    nesting is bounded while composing, and a value its tag cannot read is a located error."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        self._nodes += 1
        try:
            if self._depth > MAX_DEPTH or self._nodes > MAX_VALUES:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _Refused(_too_deep() if self._depth > MAX_DEPTH else _too_many(), mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except _CONSTRUCTOR_FAILURES as exc:
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            value = describe_value(node.value) if isinstance(node.value, str) else "this value"
            # int() and datetime() say why in words; the others only name their internals
            why = f" ({exc})" if type(exc) in (ValueError, OverflowError) else ""
            raise _Refused(f"{value} cannot be read as {tag}{why}", node.start_mark) from None


def _too_deep() -> str:
    return f"nested more than {MAX_DEPTH} levels deep; a configuration needs four or five"


_REPLACED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _REPLACED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)


class Problem(typing.NamedTuple):
    """One thing wrong with a file: where (line, key path) and why."""

    line: int | None
    key: str
    reason: str


def key_path(loc: Loc) -> str:
    """``("sources", 2, "interval")`` -> ``sources[2].interval`` (control characters escaped)."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return shown(text)


def line_of(root: yaml.Node, loc: Loc) -> int:
    """The line of the deepest node along ``loc`` that exists (for a missing key: its parent)."""
    node, line = root, root.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            found = next((kv for kv in node.value if kv[0].value == part), None)
            if found is None:
                return line
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    if isinstance(node, yaml.ScalarNode) and node.value != "":
        line = node.start_mark.line + 1  # a value on the line after its key
    return line


def _structure_problems(root: yaml.Node) -> list[Problem]:
    """Duplicate keys (plain YAML silently keeps the last) and keys that are not plain words.

    Each node is looked at once, however many aliases share it (:func:`_measure` has refused
    cycles, so the walk ends, and bounded the depth, so it does not recurse far).
    """
    problems: list[Problem] = []
    seen_nodes: set[int] = set()

    def walk(node: yaml.Node, path: Loc) -> None:
        if id(node) in seen_nodes:
            return
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                line = key.start_mark.line + 1
                if isinstance(key, yaml.ScalarNode) and key.tag == "tag:yaml.org,2002:merge":
                    continue  # "<<: *defaults" merges are fine
                if not isinstance(key, yaml.ScalarNode) or key.tag != "tag:yaml.org,2002:str":
                    reason = f"keys must be plain words (got {describe_value(key.value)})"
                    problems.append(Problem(line, key_path(path), reason))
                    continue
                if key.value in seen:
                    reason = f"duplicate key (first given on line {seen[key.value]})"
                    problems.append(Problem(line, key_path((*path, key.value)), reason))
                seen.setdefault(key.value, line)
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    walk(root, ())
    return problems


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _measure(root: yaml.Node) -> None:
    """Refuse alias cycles, and trees deeper than MAX_DEPTH or larger than MAX_VALUES once
    aliases are expanded; every node is measured once (its size and height are remembered)."""
    measured: dict[int, tuple[int, int]] = {}  # id -> (expanded size, height)
    open_nodes: set[int] = set()

    def visit(node: yaml.Node, depth: int) -> tuple[int, int]:
        key = id(node)
        if key in open_nodes:
            raise _Refused("an alias refers to a value that contains it (a cycle)", node.start_mark)
        if key not in measured:
            if depth > MAX_DEPTH:
                raise _Refused(_too_deep() + " (counting what aliases bring in)", node.start_mark)
            open_nodes.add(key)
            size, height = 1, 0
            for child in _children(node):
                child_size, child_height = visit(child, depth + 1)
                size, height = size + child_size, max(height, child_height)
                if size > MAX_VALUES:
                    raise _Refused(_too_many(), node.start_mark)
            open_nodes.discard(key)
            measured[key] = (size, height + 1)
        size, height = measured[key]
        if depth + height - 1 > MAX_DEPTH:
            raise _Refused(_too_deep() + " (counting what aliases bring in)", node.start_mark)
        return size, height

    visit(root, 1)


def _too_many() -> str:
    return (
        f"the document holds more than {MAX_VALUES:,} values, counting each alias (*name) as "
        "often as it repeats; a configuration has far fewer"
    )


def read_text(path: str) -> str:
    """A configuration file's text: at most MAX_FILE_BYTES of UTF-8 (a BOM is allowed).

    Raises ConfigError naming the file (and the line, for bytes that are not UTF-8).
    """
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError("no such file", path=path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the file: {exc.strerror or exc}", path=path) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise ConfigError(_too_big(), path=path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError("not UTF-8 text", path=path, line=line) from exc


def _too_big() -> str:
    return (
        f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB, the most a configuration file "
        "may hold; is it the right file?"
    )


def check_text(text: str, *, path: str) -> None:
    """Refuse text longer than MAX_FILE_BYTES characters or holding a control character."""
    if len(text) > MAX_FILE_BYTES:
        raise ConfigError(_too_big(), path=path)
    found = _NON_PRINTABLE.search(text)
    if found is not None:
        start = text.rfind("\n", 0, found.start()) + 1
        line = text.count("\n", 0, found.start()) + 1
        raise ConfigError(
            f"column {found.start() - start + 1} holds the control character "
            f"{describe_char(found.group())}; a configuration file is plain text (write "
            'such a character as an escape in double quotes, like "\\t", if you mean it)',
            path=path,
            line=line,
        )


def compose_node(text: str, *, path: str) -> yaml.Node | None:
    """The node tree of one YAML document (None when it is empty), checked as the module
    docstring says; nothing is constructed. Raises ConfigError for anything wrong."""
    root, _data, _problems = _read(text, path=path, construct=False)
    return root


def load_data(text: str, *, path: str) -> Any:
    """The data of one YAML document (None when it is empty), read within the limits of the
    module docstring; duplicate keys and keys that are not words are errors too."""
    _root, data, problems = _read(text, path=path, construct=True)
    if problems:
        raise_problems(path, problems)
    return data


def compose(text: str, *, path: str) -> tuple[yaml.Node, Any, list[Problem]]:
    """Parse one YAML document: its node tree, its data, and its structural problems.

    Raises ConfigError (with a line where YAML knows one) for syntax errors, empty documents and
    documents past the limits of the module docstring.
    """
    root, data, problems = _read(text, path=path, construct=True)
    if root is None:
        raise ConfigError(
            "the file is empty; expected a mapping with settings, sources and subscriptions",
            path=path,
            line=1,
        )
    return root, data, problems


def _read(text: str, *, path: str, construct: bool) -> tuple[yaml.Node | None, Any, list[Problem]]:
    check_text(text, path=path)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None, []
        _measure(root)
        problems = _structure_problems(root)
        data = loader.construct_document(root) if construct else None
    except _Refused as exc:
        line = exc.mark.line + 1 if exc.mark is not None else None
        raise ConfigError(exc.reason, path=path, line=line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        detail = "; ".join(part for part in (exc.context, exc.problem) if part)
        raise ConfigError(f"not valid YAML: {detail}", path=path, line=line) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", path=path) from exc
    finally:
        loader.dispose()
    return root, data, problems


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _model_at(root_model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that validates the mapping found at ``loc`` (to list its keys)."""
    model = root_model
    for part in loc:
        if isinstance(part, int):
            continue  # an item of a list: same model
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        inner = _inner_model(field.annotation) if field is not None else None
        if inner is None:
            return None
        model = inner
    return model


def _unknown_key(root_model: type[BaseModel], loc: Loc) -> str:
    key = str(loc[-1])
    model = _model_at(root_model, loc[:-1])
    if model is None:
        return "unknown key"
    allowed = [f.alias or n for n, f in model.model_fields.items()]
    if key == "password" and "password_env" in allowed:
        return (
            "do not write the password into the file; put it in an environment variable and "
            "give that variable's name as password_env"
        )
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f'did you mean "{close[0]}"? ' if close else ""
    return f"unknown key; {hint}expected one of: {', '.join(allowed)}"


_PLAIN = {
    "bool_type": "expected true or false",
    "int_type": "expected a whole number",
    "string_type": "expected text",
    "list_type": "expected a list",
    "model_type": "expected a mapping of keys and values",
    "model_attributes_type": "expected a mapping of keys and values",
    "dict_type": "expected a mapping of keys and values",
}


def reason(error: ErrorDetails, root_model: type[BaseModel]) -> str:
    """One pydantic error as a sentence that says what is expected and what was found."""
    kind, ctx, loc = error["type"], error.get("ctx") or {}, tuple(error["loc"])
    if kind == CUSTOM_ERROR:
        return str(ctx["message"])
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return _unknown_key(root_model, loc)
    if kind == "literal_error":
        text = f"expected {ctx['expected']}"
    elif kind == "greater_than_equal":
        text = f"expected a number >= {ctx['ge']}"
    elif kind == "less_than_equal":
        text = f"expected a number <= {ctx['le']}"
    elif kind == "string_too_short":
        text = "must not be empty"
    elif kind == "too_short":
        text = f"expected at least {ctx['min_length']} item(s)"
    else:
        text = _PLAIN.get(kind) or error["msg"]
    return f"{text} (got {describe_value(error.get('input'))})"


def raise_problems(path: str, problems: list[Problem]) -> typing.NoReturn:
    """Raise one ConfigError for all problems: one per line, sorted; located at the first.

    At most MAX_PROBLEMS are listed, then how many more there are.
    """
    problems = sorted(problems, key=lambda p: p.line or 0)
    first, rest = problems[0], problems[1:MAX_PROBLEMS]
    lines = [first.reason]
    for p in rest:
        where = path if p.line is None else f"{path}:{p.line}"
        lines.append(f"{where}: {p.key}: {p.reason}" if p.key else f"{where}: {p.reason}")
    if len(problems) > MAX_PROBLEMS:
        lines.append(f"{path}: … and {len(problems) - MAX_PROBLEMS} more problems")
    raise ConfigError("\n".join(lines), path=path, line=first.line, key=first.key or None)
