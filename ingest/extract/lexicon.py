"""Patterns tried only when the text holds one of their literal anchors.

Python's regex engine tries every branch of a large alternation at every position of the text, which
makes a list of a few hundred words in five languages slow. Each branch of such a pattern starts with a
literal ("revenue", "chiffre d", "(?:summit|sommet)"), and a substring test for those literals is cheap:
`Lexicon` runs a pattern only when one of them is in the text, and `anchors` works them out, so the
word lists stay written as plain regular expressions.
"""

import re

_WORD = re.compile(r"[^\W\d_]+")


def alternatives(pattern: str) -> list[str]:
    """The top-level branches of a pattern ("a|(?:b|c)d" -> ["a", "(?:b|c)d"])."""
    branches, depth, current, index = [], 0, "", 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            current += pattern[index : index + 2]
            index += 2
            continue
        if char == "[":
            close = pattern.index("]", index + 2)
            current += pattern[index : close + 1]
            index = close + 1
            continue
        depth += char == "("
        depth -= char == ")"
        if char == "|" and depth == 0:
            branches.append(current)
            current = ""
        else:
            current += char
        index += 1
    return [*branches, current]


def _closing(text: str) -> int:
    """The index of the parenthesis closing the one `text` starts with."""
    depth = 0
    index = 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        depth += text[index] == "("
        depth -= text[index] == ")"
        if depth == 0:
            return index
        index += 1
    return len(text) - 1


def _strength(found: set[str]) -> int:
    """How selective a set of anchors is: the length of the longest word of its weakest member."""
    return min(max((len(word) for word in _WORD.findall(anchor)), default=0) for anchor in found)


def anchors(branch: str) -> set[str] | None:
    """Lower-case strings one of which any match of `branch` must contain, or None when the branch
    has no such literal with a word of three letters or more (it must then always be tried).

    Any literal run of the branch's top level is required, and so is a group that is not optional
    (one of its branches' anchors); the most selective of them is kept ("to the (?:\\w+ )?economy"
    gives "economy", not "to the")."""
    candidates: list[set[str]] = []
    run = ""
    index = 0
    while index < len(branch):
        char = branch[index]
        if char == "(":
            close = _closing(branch[index:]) + index
            optional = branch[close + 1 : close + 2] in ("?", "*", "{")
            body = branch[index + 1 : close]
            if not optional and not body.startswith(("?<", "?=", "?!")):
                body = re.sub(r"^\?(?:P<\w+>|[a-z-]*:)", "", body)
                inner = [anchors(part) for part in alternatives(body)]
                if all(part is not None for part in inner):
                    candidates.append(set().union(*inner))
            if run:
                candidates.append({run})
            run = ""
            index = close + 1
            continue
        if char in "\\[.^$|" or char in "?*+{":
            if char in "?*{" and run:
                run = run[:-1]  # the character before an optional quantifier may be absent
            if run:
                candidates.append({run})
            run = ""
            if char == "\\":
                index += 2
            elif char == "[":
                index = branch.index("]", index + 2) + 1
            elif char == "{":
                index = branch.index("}", index) + 1
            else:
                index += 1
            continue
        run += char.lower()
        index += 1
    if run:
        candidates.append({run})
    candidates = [found for found in candidates if found and _strength(found) >= 3]
    return max(candidates, key=_strength) if candidates else None


def pattern_anchors(pattern: str) -> set[str] | None:
    """Anchors for a whole pattern: those of every branch, or None when a branch has none."""
    required: set[str] = set()
    for branch in alternatives(pattern):
        found = anchors(branch)
        if found is None:
            return None
        required |= found
    return required


def could_match(required: set[str] | None, folded: str) -> bool:
    """Whether a pattern with these anchors may match the lower-cased text."""
    return required is None or any(anchor in folded for anchor in required)


# Words this long may be compounds whose anchor word is not at their start.
_COMPOUND = 13


class Lexicon:
    """Named patterns, each tried only when a word of the text starts with one of its anchors' first
    words: one pass over the text's words instead of hundreds of substring tests."""

    def __init__(self, named: tuple[tuple[str, str], ...]):
        self.entries = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in named]
        self.always: set[int] = set()
        self.index: dict[str, set[int]] = {}
        for number, (_, pattern) in enumerate(named):
            for anchor in pattern_anchors(pattern) or {""}:
                word = max(_WORD.findall(anchor), key=len, default="")
                if len(word) < 3:
                    self.always.add(number)
                else:
                    self.index.setdefault(word, set()).add(number)
        self.longest = max(map(len, self.index), default=0)

    def first(self, text: str) -> str | None:
        """The name of the first pattern that matches `text`, else None."""
        hopeful = set(self.always)
        for word in _WORD.findall(text.lower()):
            for length in range(3, min(len(word), self.longest) + 1):
                found = self.index.get(word[:length])
                if found:
                    hopeful |= found
            if len(word) >= _COMPOUND:
                # A German compound holds its key word inside: "Milliardeninvestition".
                for key, found in self.index.items():
                    if key in word:
                        hopeful |= found
        for number in sorted(hopeful):
            name, pattern = self.entries[number]
            if pattern.search(text):
                return name
        return None
