"""YAML with line numbers, and validation errors as located sentences.

``yaml.compose`` keeps a mark (line, column) on every node; walking the node tree along a pydantic
error location gives the line to blame. YAML is read with YAML 1.2 scalars on purpose: ``no``
stays the string "no" (Norwegian), ``07:00`` stays a string rather than the base-60 integer 420,
and dates stay strings.
"""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic_core import ErrorDetails

from aggregator.config_fields import CUSTOM_ERROR, describe_value
from aggregator.errors import ConfigError

Loc = tuple[int | str, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema booleans and integers, and no implicit timestamps."""


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
    """``("sources", 2, "interval")`` -> ``sources[2].interval``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


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


def _structure_problems(node: yaml.Node, path: Loc = ()) -> list[Problem]:
    """Duplicate keys (plain YAML silently keeps the last) and keys that are not plain words."""
    problems: list[Problem] = []
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
            problems += _structure_problems(value, (*path, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            problems += _structure_problems(item, (*path, index))
    return problems


def compose(text: str, *, path: str) -> tuple[yaml.Node, Any, list[Problem]]:
    """Parse one YAML document: its node tree, its data, and its structural problems.

    Raises ConfigError (with a line where YAML knows one) for syntax errors and empty documents.
    """
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise ConfigError(
                "the file is empty; expected a mapping with settings, sources and subscriptions",
                path=path,
                line=1,
            )
        problems = _structure_problems(root)
        data = loader.construct_document(root)
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
    """Raise one ConfigError for all problems: one per line, sorted; located at the first."""
    problems = sorted(problems, key=lambda p: p.line or 0)
    first, rest = problems[0], problems[1:]
    lines = [first.reason]
    for p in rest:
        where = path if p.line is None else f"{path}:{p.line}"
        lines.append(f"{where}: {p.key}: {p.reason}" if p.key else f"{where}: {p.reason}")
    raise ConfigError("\n".join(lines), path=path, line=first.line, key=first.key or None)
