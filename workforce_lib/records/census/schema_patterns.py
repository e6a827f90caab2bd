"""One regular expression per record, derived from the census schema (``csww.xsd``), that
accepts a serialised ``CSWWWorker`` only when it is plainly valid.

The reader checks each record with this expression first (one C-level match, a few
microseconds) and only sends a record it does not match to the schema itself (libxml2,
then :mod:`xmlschema` to say what is wrong). So the expression may refuse valid records
(they are then checked by the schema, as before), but must never accept an invalid one.
It is built from the schema's own declarations, never written by hand, and accepts only
the plainest spelling of each value:

* integers in their canonical form (no sign, no leading zero, no spaces) inside the
  type's ``minInclusive``/``maxInclusive`` range or ``enumeration``;
* decimals ``d.ddd`` with at most ``fractionDigits`` decimals inside an integer-bounded
  range (non-negative bounds only);
* dates ``YYYY-MM-DD`` from 1900 to 2099, with no day that a month may lack (a 29
  February, a timezone: the schema decides);
* strings from an ``enumeration``, a simple ``pattern``, or of ``minLength`` to
  ``maxLength`` characters with no character the serialiser escapes;
* elements in the declared order, each at most once, with no attribute, namespace,
  child or text between them other than white space.

Any declaration or facet not listed makes :func:`element_pattern` return None (no fast
check: every record goes to the schema), so a change to the schema can make the reader
slower, never wrong. ``tests/unit/test_census_schema_patterns.py`` holds the expression
to the schema on crafted edge values of every facet.

Examples
--------
>>> int_range(7, 12)
'(?:[7-9]|1(?:[0-2]))'
>>> import re
>>> [bool(re.fullmatch(int_range(0, 10000), s)) for s in ("0", "10000", "10001", "01")]
[True, True, False, False]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

XS = "{http://www.w3.org/2001/XMLSchema}"

#: Largest integer part a decimal or unbounded integer may have in the fast check
#: (the schema itself decides beyond it).
MAX_DIGITS = 9

#: White space between elements, as lxml serialises it (a carriage return is written as
#: a character reference, so it is not here: the schema decides). Possessive, as is each
#: optional element (``?+``): every element starts with its own tag, so there is never a
#: second way to match, and not keeping one halves the matching time (Python 3.11+).
_SPACE = "[ \t\n]*+"

#: ``xs:date`` from 1900-01-01 to 2099-12-31, no 29 February and no timezone.
DATE = (
    "(?:19|20)[0-9]{2}-(?:"
    "(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    "|(?:0[13-9]|1[0-2])-(?:29|30)"
    "|(?:0[13578]|1[02])-31)"
)

#: A string character the serialiser writes as itself (not ``&``, ``<``, ``>`` or a
#: control character, which it escapes or which XML does not allow).
_PLAIN_CHAR = "[^&<>\\x00-\\x08\\x0b-\\x1f]"

#: The characters a simple ``pattern`` facet may use to be copied as it is: XSD and
#: Python regular expressions agree on these (no ``\\``, ``.``, ``^``, ``$``).
_SIMPLE_PATTERN = re.compile(r"[A-Za-z0-9\[\]{},\-|()?*+]+")


class Unsupported(ValueError):
    """A declaration the fast check does not handle (the schema checks it instead)."""


def int_range(lo: int, hi: int) -> str:
    """A regular expression for the canonical decimal spellings of the integers lo..hi
    (0 <= lo <= hi): no sign, no leading zero.

    >>> int_range(0, 10)
    '(?:[0-9]|10)'
    """
    if not 0 <= lo <= hi:
        raise Unsupported(f"integer range {lo}..{hi}")
    parts = []
    for digits in range(len(str(lo)), len(str(hi)) + 1):
        a = max(lo, 10 ** (digits - 1) if digits > 1 else 0)
        b = min(hi, 10**digits - 1)
        if a <= b:
            parts.append(_same_length(str(a), str(b)))
    return "(?:" + "|".join(parts) + ")"


def _same_length(a: str, b: str) -> str:
    """Strings of digits from a to b, both of the same length (a <= b)."""
    if a == b:
        return a
    if len(a) == 1:
        return f"[{a}-{b}]"
    rest = len(a) - 1
    if a[1:] == "0" * rest and b[1:] == "9" * rest:
        return f"[{a[0]}-{b[0]}][0-9]{{{rest}}}"
    if a[0] == b[0]:
        return f"{a[0]}(?:{_same_length(a[1:], b[1:])})"
    parts = [f"{a[0]}(?:{_same_length(a[1:], '9' * rest)})"]
    lo, hi = int(a[0]) + 1, int(b[0]) - 1
    if lo <= hi:
        parts.append(f"[{lo}-{hi}][0-9]{{{rest}}}")
    parts.append(f"{b[0]}(?:{_same_length('0' * rest, b[1:])})")
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class _Restriction:
    base: str
    facets: dict[str, list[str]]


def _local(name: str) -> str:
    return name.split(":", 1)[1] if ":" in name else name


def _restriction(simple: etree._Element) -> _Restriction:
    children = [c for c in simple if isinstance(c.tag, str) and c.tag != f"{XS}annotation"]
    if len(children) != 1 or children[0].tag != f"{XS}restriction":
        raise Unsupported("simple type other than a restriction")
    r = children[0]
    if "base" not in r.attrib or len([c for c in r if c.tag == f"{XS}simpleType"]):
        raise Unsupported("restriction without a named base")
    facets: dict[str, list[str]] = {}
    for f in r:
        if not isinstance(f.tag, str) or f.tag == f"{XS}annotation":
            continue
        if set(f.attrib) - {"value"} or "value" not in f.attrib:
            raise Unsupported(f"facet {f.tag} with attributes {sorted(f.attrib)}")
        facets.setdefault(f.tag.removeprefix(XS), []).append(f.attrib["value"])
    return _Restriction(r.attrib["base"], facets)


def _whole(text: str) -> int:
    if not re.fullmatch(r"0|[1-9][0-9]*", text):
        raise Unsupported(f"bound {text!r} is not a plain non-negative integer")
    return int(text)


def _only(facets: dict[str, list[str]], allowed: set[str]) -> None:
    extra = set(facets) - allowed
    if extra:
        raise Unsupported(f"facets {sorted(extra)}")
    for name, values in facets.items():
        if name != "enumeration" and len(values) != 1:
            raise Unsupported(f"facet {name} given twice")


def _integer(facets: dict[str, list[str]]) -> str:
    if "enumeration" in facets:
        _only(facets, {"enumeration"})
        values = sorted({_whole(v) for v in facets["enumeration"]})
        return "(?:" + "|".join(str(v) for v in values) + ")"
    _only(facets, {"minInclusive", "maxInclusive"})
    if "minInclusive" not in facets:
        raise Unsupported("integer without a lower bound")
    lo = _whole(facets["minInclusive"][0])
    hi = _whole(facets["maxInclusive"][0]) if "maxInclusive" in facets else 10**MAX_DIGITS - 1
    return int_range(lo, hi)


def _decimal(facets: dict[str, list[str]]) -> str:
    _only(facets, {"minInclusive", "maxInclusive", "fractionDigits"})
    if "minInclusive" not in facets or "fractionDigits" not in facets:
        raise Unsupported("decimal without a lower bound and fractionDigits")
    lo = _whole(facets["minInclusive"][0])
    digits = _whole(facets["fractionDigits"][0])
    frac = f"(?:\\.[0-9]{{1,{digits}}})?" if digits else ""
    zeros = f"(?:\\.0{{1,{digits}}})?" if digits else ""
    if "maxInclusive" not in facets:
        return f"(?:{int_range(lo, 10**MAX_DIGITS - 1)}{frac})"
    hi = _whole(facets["maxInclusive"][0])
    if hi < lo:
        raise Unsupported("empty decimal range")
    top = f"{hi}{zeros}"
    return f"(?:{int_range(lo, hi - 1)}{frac}|{top})" if hi > lo else f"(?:{top})"


def _string(facets: dict[str, list[str]]) -> str:
    if "enumeration" in facets:
        _only(facets, {"enumeration"})
        return "(?:" + "|".join(re.escape(v) for v in sorted(set(facets["enumeration"]))) + ")"
    if "pattern" in facets:
        _only(facets, {"pattern"})
        pattern = facets["pattern"][0]
        if not _SIMPLE_PATTERN.fullmatch(pattern):
            raise Unsupported(f"pattern {pattern!r}")
        return f"(?:{pattern})"
    _only(facets, {"minLength", "maxLength"})
    lo = _whole(facets.get("minLength", ["0"])[0])
    if "maxLength" not in facets:
        raise Unsupported("string without a maxLength")
    hi = _whole(facets["maxLength"][0])
    return f"{_PLAIN_CHAR}{{{max(lo, 1)},{hi}}}"


def _builtin(name: str) -> str:
    if name == "date":
        return f"(?:{DATE})"
    if name == "nonNegativeInteger":
        return int_range(0, 10**MAX_DIGITS - 1)
    raise Unsupported(f"built-in type xs:{name}")


def _value_pattern(schema: etree._Element, decl: etree._Element) -> str:
    """The fast pattern for the text of an element declaration of a simple type."""
    if "type" in decl.attrib:
        ref = decl.attrib["type"]
        if ref.startswith("xs:"):
            return _builtin(_local(ref))
        found = schema.findall(f"{XS}simpleType[@name='{ref}']")
        if len(found) != 1:
            raise Unsupported(f"type {ref!r}")
        simple = found[0]
    else:
        inner = [c for c in decl if c.tag == f"{XS}simpleType"]
        if len(inner) != 1 or len([c for c in decl if isinstance(c.tag, str)]) != 1:
            raise Unsupported(f"element {decl.get('name')!r} without a simple type")
        simple = inner[0]
    r = _restriction(simple)
    base = _local(r.base) if r.base.startswith("xs:") else None
    if base == "integer":
        return _integer(r.facets)
    if base == "decimal":
        return _decimal(r.facets)
    if base == "string":
        return _string(r.facets)
    raise Unsupported(f"restriction of {r.base}")


def _occurs(decl: etree._Element) -> bool:
    """True for an optional element (minOccurs 0), False for a required one."""
    if set(decl.attrib) - {"name", "type", "minOccurs"}:
        raise Unsupported(f"element {decl.get('name')!r}: {sorted(decl.attrib)}")
    low = decl.get("minOccurs", "1")
    if low not in ("0", "1"):
        raise Unsupported(f"element {decl.get('name')!r} minOccurs {low}")
    return low == "0"


def element_source(xsd: str | Path, name: str) -> tuple[str, tuple[str, ...]]:
    """The regular expression's text for a global element of the schema whose content is
    a sequence of simple-typed elements, and the child names in order (each child's text
    is the named group of its name).

    Raises
    ------
    Unsupported
        The declaration uses anything the fast check does not handle.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    schema = etree.parse(str(xsd), parser).getroot()
    found = schema.findall(f"{XS}element[@name='{name}']")
    if len(found) != 1 or set(found[0].attrib) != {"name"}:
        raise Unsupported(f"global element {name!r}")
    content = [c for c in found[0] if isinstance(c.tag, str)]
    if len(content) != 1 or content[0].tag != f"{XS}complexType" or content[0].attrib:
        raise Unsupported(f"{name}: not a plain complex type")
    seq = [c for c in content[0] if isinstance(c.tag, str)]
    if len(seq) != 1 or seq[0].tag != f"{XS}sequence" or seq[0].attrib:
        raise Unsupported(f"{name}: not a plain sequence")
    parts = [f"<{name}>{_SPACE}"]
    names: list[str] = []
    for decl in seq[0]:
        if not isinstance(decl.tag, str):
            continue
        child = decl.get("name", "")
        if decl.tag != f"{XS}element" or not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", child):
            raise Unsupported(f"{name}: {decl.tag} {child!r}")
        if child in names:
            raise Unsupported(f"{name}: {child} declared twice")
        optional = _occurs(decl)
        one = f"<{child}>(?P<{child}>{_value_pattern(schema, decl)})</{child}>{_SPACE}"
        parts.append(f"(?:{one})?+" if optional else one)
        names.append(child)
    parts.append(f"</{name}>")
    return "".join(parts), tuple(names)


def element_pattern(xsd: str | Path, name: str) -> re.Pattern[str] | None:
    """The compiled fast check of :func:`element_source` (to be used with ``fullmatch``
    on ``etree.tostring(elem, encoding="unicode", with_tail=False)``), or None when the
    declaration is beyond it."""
    try:
        source, _ = element_source(xsd, name)
    except Unsupported:
        return None
    return re.compile(source)
