"""The type-inference rules: which text values make a column a number, a date, a point...

Each `Kind` is SQL over one VARCHAR column reference `v` (always our own positional name such as
`c3`, never a header): `parse(v)` is the typed value, NULL when the text is not one. The rules
are deliberately stricter than DuckDB's casts, which take ' 12', '+5', '1_000', '0x1F', '007'
and two-digit years and would silently change ID-like text. Patterns are module constants; no
file content is ever spliced into SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

Sql = Callable[[str], str]

_DIGITS = r"(?:0|[1-9][0-9]*)"  # no leading zeros: "06103" is an ID, not 6103
_GROUPED = r"(?:0|[1-9][0-9]*|[1-9][0-9]{0,2}(?:,[0-9]{3})+)"
_EXPONENT = r"[eE][-+]?[0-9]{1,2}"  # two digits keep every accepted value finite
DECIMAL = rf"-?(?:{_DIGITS}?\.[0-9]+(?:{_EXPONENT})?|{_DIGITS}{_EXPONENT})"
# Money and thousands separators: 1,234  $1,234.50  -$5.00  $-5.00  ($5.00)
FORMATTED_INTEGER = rf"-?\$?{_GROUPED}|\$-{_GROUPED}|\(\${_GROUPED}\)"
_FRACTION = rf"{_GROUPED}?\.[0-9]+"
FORMATTED_DECIMAL = rf"-?\$?{_FRACTION}|\$-{_FRACTION}|\(\${_FRACTION}\)"
POINT = r"POINT ?\((-?[0-9]{1,3}(?:\.[0-9]+)?) (-?[0-9]{1,2}(?:\.[0-9]+)?)\)"
_MDY = r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}"
_HMS = r"[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
_ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_ISO_TIME = r"[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"


@dataclass(frozen=True)
class Kind:
    """A way to read text values: SoQL and DuckDB types, and `parse`, the SQL that reads them.

    `parse(v)` is the typed value, or NULL exactly when the text is not a value of this kind.
    Values are sorted into classes, each value into the first kind in KINDS whose class test it
    passes; `covers` lists the classes whose every value this kind parses (decimal parses
    integers too). A column takes the first kind covering the classes of all its values.
    """

    key: str
    type: str  # SoQL type
    physical: str  # DuckDB type written to Parquet
    parse: Sql
    covers: tuple[str, ...] = ()  # own key added in __post_init__
    test: Sql | None = None  # the class test, given that earlier kinds' tests failed

    def __post_init__(self) -> None:
        if self.key not in self.covers:
            object.__setattr__(self, "covers", (self.key, *self.covers))

    def accepts(self, v: str) -> str:
        return f"({self.parse(v)}) IS NOT NULL"

    def class_test(self, v: str) -> str:
        return self.test(v) if self.test else self.accepts(v)


def literal(text: str) -> str:
    """A SQL string literal for one of our own constants."""
    return "'" + text.replace("'", "''") + "'"


def blank(v: str) -> str:
    """Whitespace-only text counts as empty when deciding a type (NULL stays NULL)."""
    return rf"regexp_full_match({v}, '\s*')"


def _matches(v: str, pattern: str) -> str:
    return f"regexp_full_match({v}, {literal(pattern)})"


def _when(v: str, pattern: str, value: str, otherwise: str = "NULL") -> str:
    """`value` where `v` has the shape `pattern`.

    The pattern does the strict part and gates the cast: DuckDB evaluates every argument of
    AND/OR for every row, and a failing TRY_CAST or strptime costs ten times a successful one.
    """
    return f"CASE WHEN {_matches(v, pattern)} THEN {value} ELSE {otherwise} END"


def _integer(v: str) -> str:
    # The round trip takes exactly the canonical spelling: none of the signs, spaces,
    # underscores, hex or leading zeros DuckDB's cast accepts.
    return f"CASE WHEN TRY_CAST({v} AS BIGINT)::VARCHAR = {v} THEN TRY_CAST({v} AS BIGINT) END"


def _decimal(v: str) -> str:
    return _when(v, DECIMAL, f"TRY_CAST({v} AS DOUBLE)", f"CAST({_integer(v)} AS DOUBLE)")


def _unformat(v: str, target: str) -> str:
    """The number in money or thousands text (already checked); ($5.00) is accounting's -5."""
    digits = f"replace(replace({v}, ',', ''), '$', '')"
    negative = f"-TRY_CAST(replace(replace({digits}, '(', ''), ')', '') AS {target})"
    return (
        f"CASE WHEN starts_with({v}, '(') THEN {negative} ELSE TRY_CAST({digits} AS {target}) END"
    )


def _formatted_integer(v: str) -> str:
    return _when(v, FORMATTED_INTEGER, _unformat(v, "BIGINT"))


def _formatted_decimal(v: str) -> str:
    others = f"coalesce({_decimal(v)}, CAST({_formatted_integer(v)} AS DOUBLE))"
    return _when(v, FORMATTED_DECIMAL, _unformat(v, "DOUBLE"), others)


def _padded(v: str, shape: str) -> str:
    # A fixed shape, a digit first and no space leave strptime nothing to be lenient about: it
    # skips whitespace only at the start and where the format has a space.
    return f"{v} LIKE '{shape}' AND ascii({v}) BETWEEN 48 AND 57 AND NOT contains({v}, ' ')"


def _mdy(v: str) -> str:
    # Zero-padded dates, the usual spelling, skip the slower pattern test.
    parse = f"try_strptime({v}, '%m/%d/%Y')"
    return f"CASE WHEN {_padded(v, '__/__/____')} THEN {parse} ELSE {_when(v, _MDY, parse)} END"


def _iso_date(v: str) -> str:
    return f"CASE WHEN {_padded(v, '____-__-__')} THEN try_strptime({v}, '%Y-%m-%d') END"


def _strptime_kind(key: str, pattern: str, fmt: str) -> Kind:
    return Kind(
        key,
        "floating_timestamp",
        "TIMESTAMP",
        lambda v: _when(v, pattern, f"try_strptime({v}, {literal(fmt)})"),
    )


def _iso_datetime_kind(key: str, separator: str) -> Kind:
    pattern = f"{_ISO_DATE}{separator}{_ISO_TIME}"
    return Kind(
        key,
        "floating_timestamp",
        "TIMESTAMP",
        lambda v: _when(v, pattern, f"TRY_CAST({v} AS TIMESTAMP)"),
    )


def _point(v: str) -> str:
    lon = f"CAST(regexp_extract({v}, {literal(POINT)}, 1) AS DOUBLE)"
    lat = f"CAST(regexp_extract({v}, {literal(POINT)}, 2) AS DOUBLE)"
    point = f"struct_pack(longitude := {lon}, latitude := {lat})"
    return _when(v, POINT, f"CASE WHEN abs({lon}) <= 180 AND abs({lat}) <= 90 THEN {point} END")


TEXT = Kind("text", "text", "VARCHAR", lambda v: f"nullif({v}, '')")
POINT_PHYSICAL = "STRUCT(longitude DOUBLE, latitude DOUBLE)"

# In order of preference: a column takes the first kind that accepts every non-empty value.
KINDS: tuple[Kind, ...] = (
    Kind(
        "checkbox",
        "checkbox",
        "BOOLEAN",
        lambda v: f"CASE lower({v}) WHEN 'true' THEN true WHEN 'false' THEN false END",
    ),
    Kind("integer", "number", "BIGINT", _integer),
    Kind(
        "decimal",
        "number",
        "DOUBLE",
        _decimal,
        covers=("integer",),
        test=lambda v: _matches(v, DECIMAL),
    ),
    Kind("formatted_integer", "number", "BIGINT", _formatted_integer, covers=("integer",)),
    Kind(
        "formatted_decimal",
        "number",
        "DOUBLE",
        _formatted_decimal,
        covers=("integer", "decimal", "formatted_integer"),
        test=lambda v: _matches(v, FORMATTED_DECIMAL),
    ),
    Kind("mdy", "floating_timestamp", "TIMESTAMP", _mdy),
    _strptime_kind("mdy_time", f"{_MDY} {_HMS}", "%m/%d/%Y %H:%M:%S"),
    _strptime_kind("mdy_time_ampm", f"{_MDY} {_HMS} [AP]M", "%m/%d/%Y %I:%M:%S %p"),
    Kind("iso_date", "floating_timestamp", "TIMESTAMP", _iso_date),
    _iso_datetime_kind("iso_datetime", "T"),
    _iso_datetime_kind("iso_datetime_space", " "),
    Kind("point", "point", POINT_PHYSICAL, _point),
)
KINDS_BY_KEY = {kind.key: kind for kind in (*KINDS, TEXT)}
_BITS = {kind.key: 1 << index for index, kind in enumerate(KINDS)}
OTHER = 1 << len(KINDS)  # a value no kind reads: the column is text


def classify(v: str, candidates: Sequence[Kind]) -> str:
    """SQL giving the class bit of each value; 0 for NULL and whitespace-only text.

    Only the classes some candidate covers are tested; a value of any other class could not
    change the verdict from text, so it counts as OTHER.
    """
    covered = {key for kind in candidates for key in kind.covers}
    tests = " ".join(
        f"WHEN {kind.class_test(v)} THEN {_BITS[kind.key]}" for kind in KINDS if kind.key in covered
    )
    return f"CASE WHEN {v} IS NULL THEN 0 {tests} WHEN {blank(v)} THEN 0 ELSE {OTHER} END"


def accepted_by(classes: int) -> tuple[str, ...]:
    """Keys of the kinds that accept every value, given the OR of the values' class bits."""
    return tuple(
        kind.key for kind in KINDS if not classes & ~sum(_BITS[key] for key in kind.covers)
    )


def choose_kind(has_values: bool, accepted: Sequence[str]) -> Kind:
    """The most specific kind accepting every value; text when the column has no values at all."""
    if has_values:
        for kind in KINDS:
            if kind.key in accepted:
                return kind
    return TEXT


def guarded(kind: Kind, v: str, marker: str) -> str:
    """Convert `v`, raising `marker` from inside DuckDB when a value does not fit the kind.

    Used when the kind was guessed from a sample: the first misfit aborts the pass cheaply
    instead of writing a wrong file.
    """
    if kind is TEXT:
        return kind.parse(v)
    misfit = f"CASE WHEN {v} IS NULL OR {blank(v)} THEN NULL ELSE error({literal(marker)}) END"
    return f"coalesce({kind.parse(v)}, {misfit})"


_NATIVE_BIGINT = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER")
_NATIVE_DOUBLE = ("FLOAT", "DOUBLE", "UBIGINT", "HUGEINT", "UHUGEINT", "DECIMAL")
_NATIVE_TIMESTAMP = (
    "DATE",
    "TIMESTAMP",
    "TIMESTAMP_S",
    "TIMESTAMP_MS",
    "TIMESTAMP_NS",
    "TIMESTAMP WITH TIME ZONE",
)


def native_kind(duck_type: str) -> Kind | None:
    """How an already-typed input column (from Parquet) is kept; None for VARCHAR (infer it)."""
    base = duck_type.split("(")[0].strip().upper()
    if base == "VARCHAR":
        return None
    if duck_type.upper() == POINT_PHYSICAL:
        return Kind("point", "point", POINT_PHYSICAL, lambda v: v)
    for names, soql, physical in (
        (("BOOLEAN",), "checkbox", "BOOLEAN"),
        (_NATIVE_BIGINT, "number", "BIGINT"),
        (_NATIVE_DOUBLE, "number", "DOUBLE"),
        (_NATIVE_TIMESTAMP, "floating_timestamp", "TIMESTAMP"),
    ):
        if base in names:
            return Kind(base.lower(), soql, physical, _cast_to(physical))
    return Kind("text", "text", "VARCHAR", _cast_to("VARCHAR"))


def _cast_to(physical: str) -> Sql:
    return lambda v: f"CAST({v} AS {physical})"
