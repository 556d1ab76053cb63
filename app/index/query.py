"""The search syntax: words, "phrases", prefix*, AND / OR / NOT, -word and parentheses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.errors import UserError

# Apostrophes inside words belong to the word (o'quv, ta'lim), so they are not quotes here.
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<lparen>\()|(?P<rparen>\))
        |["“”«»„](?P<phrase>[^"“”«»„]*)["“”«»„]?
        |(?P<minus>-)(?=\S)
        |(?P<word>[^\s()"“”«»„]+)
    )""",
    re.VERBOSE,
)
_OPERATORS = {"AND", "OR", "NOT", "VA", "YOKI", "EMAS", "И", "ИЛИ", "НЕ"}
_EDGE_APOSTROPHES = "'ʻ‘’`ʼ´"


@dataclass(frozen=True)
class Word:
    """A word (``prefix`` when it ended in ``*``)."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words that must stand next to each other in this order."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Not:
    """Pages must not match this."""

    child: Node


@dataclass(frozen=True)
class All:
    """Pages must match every child (the default between words)."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Any_:
    """Pages must match at least one child."""

    children: tuple[Node, ...]


Node = Word | Phrase | Not | All | Any_


def parse(text: str) -> Node:
    """Parse a search into a tree.

    Raises:
        UserError: the search is empty or only excludes things.
    """
    parser = _Parser(_tokenize(text))
    parts = []
    while parser.pos < len(parser.tokens):
        part = parser.parse_or()
        if part is not None:
            parts.append(part)
        if parser.pos < len(parser.tokens):
            parser.pos += 1  # a stray ")": skip it and read on
    node: Node | None = parts[0] if len(parts) == 1 else (All(tuple(parts)) if parts else None)
    if node is None or not _has_positive(node):
        raise UserError("a search needs at least one word to look for")
    return node


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is None:
            continue
        value = match.group(kind)
        if kind == "word":
            if value in _OPERATORS:  # only in capitals: "va" and "not" are words too
                tokens.append(("op", _canonical_operator(value)))
                continue
            value = value.strip(_EDGE_APOSTROPHES + ".,;:!?")
            if not value or value == "*":
                continue
        tokens.append((kind, value))
    return tokens


def _canonical_operator(value: str) -> str:
    upper = value.upper()
    if upper in {"AND", "VA", "И"}:
        return "AND"
    if upper in {"OR", "YOKI", "ИЛИ"}:
        return "OR"
    return "NOT"


def _has_positive(node: Node) -> bool:
    if isinstance(node, Not):
        return False
    if isinstance(node, All):
        return any(_has_positive(c) for c in node.children)
    if isinstance(node, Any_):
        return all(_has_positive(c) for c in node.children)
    return True


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse_or(self) -> Node | None:
        parts = []
        first = self.parse_and()
        if first is not None:
            parts.append(first)
        while self._peek() == ("op", "OR"):
            self.pos += 1
            nxt = self.parse_and()
            if nxt is not None:
                parts.append(nxt)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Any_(tuple(parts))

    def parse_and(self) -> Node | None:
        parts = []
        while (token := self._peek()) is not None:
            if token == ("op", "OR") or token[0] == "rparen":
                break
            if token == ("op", "AND"):
                self.pos += 1
                continue
            node = self.parse_unary()
            if node is not None:
                parts.append(node)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def parse_unary(self) -> Node | None:
        token = self._peek()
        if token is not None and (token == ("op", "NOT") or token[0] == "minus"):
            self.pos += 1
            child = self.parse_unary()
            return Not(child) if child is not None else None
        return self.parse_atom()

    def parse_atom(self) -> Node | None:
        token = self._peek()
        if token is None:
            return None
        self.pos += 1
        kind, value = token
        if kind == "lparen":
            node = self.parse_or()
            if self._peek() is not None and self._peek() == ("rparen", ")"):
                self.pos += 1
            return node
        if kind == "phrase":
            words = tuple(w for w in value.split() if w.strip(_EDGE_APOSTROPHES))
            if not words:
                return None
            return Word(words[0]) if len(words) == 1 else Phrase(words)
        if kind == "word":
            if value.endswith("*") and len(value.rstrip("*")) >= 1:
                return Word(value.rstrip("*"), prefix=True)
            return Word(value.replace("*", ""))
        return None  # a stray ")" or operator
