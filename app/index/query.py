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


class QuerySyntaxError(UserError):
    """A search that cannot be read, and where: the window and the command line say so.

    Attributes:
        query: the search as typed.
        position: the 1-based character where the problem is.
        token: the operator or bracket there, as typed (``OR``, ``YOKI``, ``(``).
        problem: ``unclosed`` (a "(" never closed), ``nothing_after`` / ``nothing_before`` (an
            operator without a word after or before it), ``empty`` (brackets holding nothing).
    """

    def __init__(self, query: str, position: int, token: str, problem: str) -> None:
        self.query, self.position, self.token, self.problem = query, position, token, problem
        what = {
            "unclosed": f'the "{token}" at character {position} is never closed',
            "nothing_after": f'"{token}" at character {position} has nothing after it',
            "nothing_before": f'"{token}" at character {position} has nothing before it',
            "empty": f'the "{token}" at character {position} holds nothing to look for',
        }[problem]
        super().__init__(f'the search "{query}" cannot be read: {what}')


def parse(text: str) -> Node:
    """Parse a search into a tree.

    A stray ")" is skipped; an unclosed "(", empty brackets and an operator with nothing to
    join are errors that say where they are.

    Raises:
        QuerySyntaxError: the search cannot be read (where, and why).
        UserError: the search is empty or only excludes things.
    """
    tokens, places = _tokenize(text)
    parser = _Parser(text, tokens, places)
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


def _tokenize(text: str) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """The tokens (kind, value), and where each stands: (1-based character, as typed)."""
    tokens: list[tuple[str, str]] = []
    places: list[tuple[int, str]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is None:
            continue
        value = match.group(kind)
        place = (match.start(kind) + 1, value)
        if kind == "word":
            if value in _OPERATORS:  # only in capitals: "va" and "not" are words too
                tokens.append(("op", _canonical_operator(value)))
                places.append(place)
                continue
            value = value.strip(_EDGE_APOSTROPHES + ".,;:!?")
            if not value or value == "*":
                continue
        tokens.append((kind, value))
        places.append(place)
    return tokens, places


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
    def __init__(
        self, text: str, tokens: list[tuple[str, str]], places: list[tuple[int, str]]
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.places = places
        self.pos = 0

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _error(self, index: int, problem: str) -> QuerySyntaxError:
        position, token = self.places[index]
        if problem == "empty":
            token = "()"
        return QuerySyntaxError(self.text, position, token, problem)

    def _operand_follows(self) -> bool:
        """True when a word, a phrase, a "(" or a NOT comes next (something an operator joins)."""
        token = self._peek()
        if token is None or token[0] == "rparen":
            return False
        return token not in (("op", "OR"), ("op", "AND"))

    def parse_or(self) -> Node | None:
        parts = []
        first = self.parse_and()
        if first is not None:
            parts.append(first)
        elif self._peek() == ("op", "OR"):
            raise self._error(self.pos, "nothing_before")
        while self._peek() == ("op", "OR"):
            operator = self.pos
            self.pos += 1
            if not self._operand_follows():
                raise self._error(operator, "nothing_after")
            nxt = self.parse_and()
            if nxt is not None:
                parts.append(nxt)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Any_(tuple(parts))

    def parse_and(self) -> Node | None:
        parts: list[Node] = []
        while (token := self._peek()) is not None:
            if token == ("op", "OR") or token[0] == "rparen":
                break
            if token == ("op", "AND"):
                if not parts:
                    raise self._error(self.pos, "nothing_before")
                self.pos += 1
                if not self._operand_follows():
                    raise self._error(self.pos - 1, "nothing_after")
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
            operator = self.pos
            self.pos += 1
            if not self._operand_follows():
                raise self._error(operator, "nothing_after")
            child = self.parse_unary()
            return Not(child) if child is not None else None
        return self.parse_atom()

    def parse_atom(self) -> Node | None:
        token = self._peek()
        if token is None:
            return None
        opened = self.pos
        self.pos += 1
        kind, value = token
        if kind == "lparen":
            node = self.parse_or()
            if self._peek() != ("rparen", ")"):
                raise self._error(opened, "unclosed")
            self.pos += 1
            if node is None:
                raise self._error(opened, "empty")
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
