"""JSON Schema (as pydantic writes it) → GBNF grammar with a proven upper bound on length.

llama-cpp-python's own converter let a `maxLength: 80` string run past 120 tokens, so
the appliance builds its grammars itself, for the subset of JSON Schema its task
schemas use, and refuses anything it cannot bound:

* JSON laid out as json.dumps writes it (", " and ": " separators, the layout the
  instructions show and small models expect), properties in schema order, every
  property required;
* strings are printable ASCII without quote or backslash (one byte per character,
  no escapes), with an explicit maxLength;
* arrays need maxItems, integers need minimum and maximum;
* enum/const become literal alternatives, so a category that is invalid for its
  system (a oneOf branch) cannot be emitted at all.

Every token llama.cpp may sample under a grammar is at least one byte, so
`max_bytes` bounds the number of generated tokens: a task whose budget is at
least `max_bytes` can never be cut off by max_tokens.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# Printable ASCII except '"' (0x22) and '\' (0x5c).
STRING_CHAR = r"[\x20-\x21\x23-\x5b\x5d-\x7e]"


class GrammarError(ValueError):
    """The schema uses something the grammar builder cannot bound."""


@dataclass(frozen=True)
class GrammarSpec:
    gbnf: str
    max_bytes: int  # longest output the grammar admits, in UTF-8 bytes


def gbnf_literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


class _Builder:
    def __init__(self, schema: dict[str, Any]):
        self.root_schema = schema
        self.rules: dict[str, str] = {}
        self.bounds: dict[str, int] = {}

    def rule_for_ref(self, ref: str) -> tuple[str, int]:
        if not ref.startswith("#/$defs/"):
            raise GrammarError(f"unsupported $ref {ref!r}")
        name = ref.removeprefix("#/$defs/")
        rule = "def-" + re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()
        if rule not in self.rules:
            self.rules[rule] = ""  # placeholder: schemas here are not recursive
            body, bound = self.expr(self.root_schema["$defs"][name], rule)
            self.rules[rule], self.bounds[rule] = body, bound
        return rule, self.bounds[rule]

    def add_rule(self, name: str, body: str, bound: int) -> tuple[str, int]:
        self.rules[name], self.bounds[name] = body, bound
        return name, bound

    def expr(self, node: dict[str, Any], path: str) -> tuple[str, int]:
        """A GBNF expression for `node` and the most bytes it can produce."""
        if "$ref" in node:
            return self.rule_for_ref(node["$ref"])
        if "const" in node:
            text = json.dumps(node["const"], ensure_ascii=False)
            return gbnf_literal(text), len(text.encode())
        if "enum" in node:
            texts = [json.dumps(v, ensure_ascii=False) for v in node["enum"]]
            return "(" + " | ".join(gbnf_literal(t) for t in texts) + ")", max(len(t.encode()) for t in texts)
        for key in ("oneOf", "anyOf"):
            if key in node:
                parts = [self.named(option, f"{path}-{i}") for i, option in enumerate(node[key])]
                return "(" + " | ".join(p for p, _ in parts) + ")", max(b for _, b in parts)
        kind = node.get("type")
        if kind == "object":
            return self.object(node, path)
        if kind == "array":
            return self.array(node, path)
        if kind == "string":
            return self.string(node, path)
        if kind == "integer":
            low, high = node.get("minimum"), node.get("maximum")
            if low is None or high is None or high - low > 100:
                raise GrammarError(f"{path}: integers need a minimum and maximum at most 100 apart")
            values = [str(v) for v in range(low, high + 1)]
            return "(" + " | ".join(gbnf_literal(v) for v in values) + ")", max(map(len, values))
        if kind == "boolean":
            return '("true" | "false")', 5
        raise GrammarError(f"{path}: unsupported schema {node!r}")

    def named(self, node: dict[str, Any], path: str) -> tuple[str, int]:
        body, bound = self.expr(node, path)
        if re.fullmatch(r"[a-z0-9-]+", body) or "const" in node or "enum" in node:
            return body, bound
        return self.add_rule(path, body, bound)

    def object(self, node: dict[str, Any], path: str) -> tuple[str, int]:
        props: dict[str, Any] = node.get("properties", {})
        missing = set(props) - set(node.get("required", []))
        if missing:
            raise GrammarError(f"{path}: every property must be required (optional: {sorted(missing)})")
        pieces, bound = ['"{"'], 2
        for i, (key, sub) in enumerate(props.items()):
            key_text = (", " if i else "") + json.dumps(key) + ": "
            sub_rule, sub_bound = self.named(sub, f"{path}-{re.sub(r'[^a-z0-9]+', '-', key.lower())}")
            pieces += [gbnf_literal(key_text), sub_rule]
            bound += len(key_text) + sub_bound
        pieces.append('"}"')
        return " ".join(pieces), bound

    def array(self, node: dict[str, Any], path: str) -> tuple[str, int]:
        low, high = node.get("minItems", 0), node.get("maxItems")
        if high is None:
            raise GrammarError(f"{path}: arrays need maxItems")
        item, item_bound = self.named(node["items"], f"{path}-item")
        bound = 2 + high * item_bound + 2 * max(high - 1, 0)
        if high == 0:
            return '"[]"', 2
        more = f'(", " {item}){{{max(low - 1, 0)},{high - 1}}}'
        body = f'{item} {more}'
        return (f'"[" {body} "]"' if low >= 1 else f'"[" ({body})? "]"'), bound

    def string(self, node: dict[str, Any], path: str) -> tuple[str, int]:
        high = node.get("maxLength")
        if high is None:
            raise GrammarError(f"{path}: strings need maxLength")
        low = node.get("minLength", 0)
        return f'"\\"" {STRING_CHAR}{{{low},{high}}} "\\""', 2 + high


def schema_to_grammar(schema: dict[str, Any]) -> GrammarSpec:
    builder = _Builder(schema)
    body, bound = builder.expr(schema, "root-value")
    lines = [f"root ::= {body}"] + [f"{name} ::= {rule}" for name, rule in builder.rules.items()]
    return GrammarSpec(gbnf="\n".join(lines) + "\n", max_bytes=bound)
