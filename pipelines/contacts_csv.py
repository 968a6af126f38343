"""Reading the contact CSV files people bring, and mapping their columns to contact fields.

`read_csv` takes the bytes of an upload and returns its records, or refuses the file with
an `ImportRefused` whose message is safe to show. `suggest_mapping` recognises a header:
Google Contacts (current and legacy), Outlook, our own export, or plain headers such as
"Name, Phone, Mobile, Email".
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from fvkit.domain.limits import MB
from pipelines.csv_safe import restore_cell

#: the largest upload read at all; checked before decoding (fvkit's own limit, not the guide's)
MAX_IMPORT_BYTES = 10 * MB
#: the most contacts one import takes (fvkit's own limit, not the guide's)
MAX_IMPORT_ROWS = 100_000
#: how much text the delimiter sniffer looks at
SNIFF_CHARS = 16_384
DELIMITERS = ",;\t"
#: control characters no text file has many of; more than 1% of them means binary data
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WORKBOOKS = ((b"PK\x03\x04", "an Excel workbook (.xlsx)"), (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 workbook (.xls)"))


class ImportRefused(Exception):
    """The file cannot be imported at all; the message says why and is safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Field(StrEnum):
    """Contact fields a CSV column can map to (guide p.23), plus our export's Favorite."""

    NAME = "Display name"
    MAIN = "Main number"
    MOBILE = "Mobile number"
    HOME = "Home number"
    EMAIL = "Email"
    DESCRIPTION = "Description"
    FAVORITE = "Favorite"


#: short names for the command line's --map FIELD=COLUMN
FIELD_NAMES: dict[str, Field] = {
    "name": Field.NAME,
    "main": Field.MAIN,
    "mobile": Field.MOBILE,
    "home": Field.HOME,
    "email": Field.EMAIL,
    "description": Field.DESCRIPTION,
    "favorite": Field.FAVORITE,
}


@dataclass(frozen=True, slots=True)
class CsvTable:
    """The non-blank records of a CSV file; the first is the header when it has one."""

    rows: list[list[str]]
    lines: list[int]  # 1-based line of the file where each record starts
    encoding: str
    delimiter: str

    @property
    def header(self) -> list[str]:
        """Return the first record."""
        return self.rows[0] if self.rows else []

    @property
    def width(self) -> int:
        """Return the number of columns of the widest record."""
        return max((len(r) for r in self.rows), default=0)


#: an alternative is a group of columns whose non-empty cells are joined with a space
Alternatives = tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Where each contact field comes from in a CSV table (0-based column indexes).

    A field takes its first non-empty alternative. `phones` are (label, value) column
    pairs read by their label on each row, as Google writes them. With `fallback_main`,
    a row with no main number takes its mobile (else home) number as the main number.
    """

    columns: Mapping[Field, Alternatives] = field(default_factory=dict)
    phones: tuple[tuple[int, int], ...] = ()
    fallback_main: bool = False
    layout: str = "custom"

    def maps(self, wanted: Field) -> bool:
        """Return whether some column can give the field a value."""
        if wanted in self.columns or (self.phones and wanted in (Field.MAIN, Field.MOBILE, Field.HOME)):
            return True
        return wanted is Field.MAIN and self.fallback_main and (self.maps(Field.MOBILE) or self.maps(Field.HOME))

    def values(self, row: Sequence[str]) -> dict[Field, str]:
        """Return one record's field values, cells `restore_cell`-ed and trimmed of spaces."""
        out: dict[Field, str] = {}
        for target, alternatives in self.columns.items():
            for group in alternatives:
                value = " ".join(c for c in (_cell(row, i) for i in group) if c)
                if value:
                    out[target] = value
                    break
        if self.phones:
            _labelled_phones(self.phones, row, out)
        if self.fallback_main and not out.get(Field.MAIN):
            for spare in (Field.MOBILE, Field.HOME):
                if out.get(spare):
                    out[Field.MAIN] = out.pop(spare)
                    break
        return out

    def with_choices(self, table: CsvTable, choices: Mapping[str, str | int | None]) -> ColumnMap:
        """Return this mapping with the user's choices: field -> header name or 1-based column.

        A field is named by its label ("Main number") or short name ("main"); an empty
        choice unmaps it. Choosing any number field stops reading phones by their labels.
        """
        columns = dict(self.columns)
        phones = self.phones
        for name, choice in choices.items():
            target = _field(name)
            if choice is None or choice == "":
                columns.pop(target, None)
            else:
                columns[target] = ((_column(table, choice),),)
            if target in (Field.MAIN, Field.MOBILE, Field.HOME):
                phones = ()
        return replace(self, columns=columns, phones=phones, layout="custom" if choices else self.layout)


def _cell(row: Sequence[str], i: int) -> str:
    return restore_cell(row[i]).strip(" ") if i < len(row) else ""


def _labelled_phones(pairs: tuple[tuple[int, int], ...], row: Sequence[str], out: dict[Field, str]) -> None:
    others: list[tuple[bool, str]] = []
    for label_col, value_col in pairs:
        value = _cell(row, value_col).split(":::")[0].strip()  # Google joins several with " ::: "
        if not value:
            continue
        label = _cell(row, label_col).lstrip("* ").casefold()
        if label in ("mobile", "cell", "mobile phone") and Field.MOBILE not in out:
            out[Field.MOBILE] = value
        elif label in ("home", "home phone") and Field.HOME not in out:
            out[Field.HOME] = value
        else:  # work, main, other, custom labels: the first becomes the main number, faxes last
            others.append(("fax" in label or "pager" in label, value))
    if others and Field.MAIN not in out:
        out[Field.MAIN] = min(others, key=lambda o: o[0])[1]


def _field(name: str) -> Field:
    key = name.strip().casefold()
    for f in Field:
        if key in (f.value.casefold(), f.name.casefold()):
            return f
    if key in FIELD_NAMES:
        return FIELD_NAMES[key]
    raise ImportRefused(f"Unknown field {name!r}: use one of {', '.join(FIELD_NAMES)}.")


def _column(table: CsvTable, choice: str | int) -> int:
    header = [h.strip().casefold() for h in table.header]
    if isinstance(choice, str):
        wanted = choice.strip().casefold()
        if wanted in header:
            return header.index(wanted)
        if not wanted.isdigit():
            raise ImportRefused(f"No column {choice!r} in the first line ({', '.join(table.header)}).")
        choice = int(wanted)
    if not 1 <= choice <= table.width:
        raise ImportRefused(f"No column {choice}: the file has {table.width} columns.")
    return choice - 1


def read_csv(data: bytes) -> CsvTable:
    """Return the records of an uploaded CSV file.

    Takes UTF-8 (with or without BOM), UTF-16/32 with BOM (Outlook's "Unicode text"),
    UTF-16 without BOM, else Windows-1252; comma, semicolon or tab delimiters; quoted
    fields with delimiters and newlines; rows of any length. Blank records are dropped.

    Raises:
        ImportRefused: the file is over 10 MB, empty, binary, in no known encoding, has
            more than 100,000 rows, or its quoting is broken beyond reading.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused(f"The file is larger than {MAX_IMPORT_BYTES // MB} MB; import at most that much at a time.")
    for magic, what in _WORKBOOKS:
        if data.startswith(magic):
            raise ImportRefused(f"The file is {what}, not CSV: save it as CSV and import that.")
    text, encoding = _decode(data)
    if not text.strip():
        raise ImportRefused("The file is empty.")
    if "\x00" in text or len(_CONTROL.findall(text)) > len(text) / 100:
        raise ImportRefused("The file holds binary data, not CSV text.")
    delimiter, spaced = _sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=spaced)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                rows.append(record)
                lines.append(start)
                if len(rows) > MAX_IMPORT_ROWS + 1:  # + 1: the header
                    raise ImportRefused(f"The file has more than {MAX_IMPORT_ROWS:,} rows; import at most that many.")
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportRefused(f"line {start}: the file cannot be read as CSV ({exc}).") from exc
    if not rows:
        raise ImportRefused("The file is empty.")
    if reader.line_num > lines[-1] and _unclosed_quote(text, lines[-1]):
        raise ImportRefused(f"line {lines[-1]}: a quoted field is not closed before the end of the file.")
    return CsvTable(rows=rows, lines=lines, encoding=encoding, delimiter=delimiter)


def _unclosed_quote(text: str, line: int) -> bool:
    """Return whether the text from a line on holds an odd number of quotes.

    The csv module reads an unclosed quote to the end of the file as one field; without
    this check the rows after it would silently become one contact's cell.
    """
    tail = io.StringIO(text, newline="").readlines()[line - 1 :]
    return sum(part.count('"') for part in tail) % 2 == 1


def _decode(data: bytes) -> tuple[str, str]:
    encodings = [name for bom, name in _BOMS if data.startswith(bom)][:1]
    if not encodings and b"\x00" in data:
        encodings = [_utf16_without_bom(data)]
    if not encodings:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    if encodings == ["utf-8", "cp1252"]:
        raise ImportRefused("The file is not text in a known encoding: save it as CSV UTF-8 and import that.")
    raise ImportRefused(f"The file is not valid {encodings[0].upper()} text.")


def _utf16_without_bom(data: bytes) -> str:
    """Return the UTF-16 byte order of text whose every other byte is NUL, else refuse it."""
    sample = data[:4096]
    half = len(sample) // 2
    if sample[1::2].count(0) > 0.4 * half and not sample[0::2].count(0):
        return "utf-16-le"
    if sample[0::2].count(0) > 0.4 * half and not sample[1::2].count(0):
        return "utf-16-be"
    raise ImportRefused("The file holds binary data, not CSV text.")


def _sniff(text: str) -> tuple[str, bool]:
    """Return the delimiter, and whether a space follows it ("Name, Phone").

    csv.Sniffer's guess is taken when the first line has it; else the first line's
    commonest candidate, else a comma.
    """
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    first = next((line for line in sample.splitlines() if line.strip()), "")
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ""
    if not delimiter or delimiter not in first:
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        delimiter = best if counts[best] else ","
    return delimiter, first.count(delimiter) > 0 and first.count(delimiter + " ") == first.count(delimiter)


#: plain header names, compared after `_key` (lower case, punctuation as spaces)
PLAIN_HEADERS: dict[Field, tuple[str, ...]] = {
    Field.NAME: ("display name", "name", "full name", "contact name", "contact"),
    Field.MAIN: (
        "main number", "main", "main phone", "phone", "phone number", "telephone", "tel", "number",
        "work phone", "work", "business phone", "office phone", "primary phone",
    ),
    Field.MOBILE: ("mobile number", "mobile", "mobile phone", "cell", "cell phone", "cellphone"),
    Field.HOME: ("home number", "home", "home phone"),
    Field.EMAIL: ("email", "e mail", "email address", "e mail address", "mail"),
    Field.DESCRIPTION: ("description", "notes", "note", "comment", "comments"),
    Field.FAVORITE: ("favorite", "favourite"),
}  # fmt: skip
#: first, middle and last name columns a display name is joined from
NAME_PARTS = (("first name", "given name"), ("middle name", "additional name"), ("last name", "family name", "surname"))
#: Outlook's phone columns that may hold the main number, most likely first
OUTLOOK_MAIN = (
    "primary phone", "business phone", "company main phone", "business phone 2", "other phone", "car phone",
    "callback", "assistant s phone",
)  # fmt: skip
_PHONEISH = re.compile(r"^\+?[0-9][0-9 ().\-/]{3,}$")
_SAMPLE_ROWS = 200


def _key(header: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header.casefold()).split())


def suggest_mapping(header: Sequence[str], sample: Sequence[Sequence[str]] = ()) -> ColumnMap:
    """Return the mapping a header suggests: a known export layout, else plain header names.

    When no column gives a main number and `sample` rows are given, the main number,
    name and email columns are guessed from the cells (a file without a header line).
    """
    keys = [_key(h) for h in header]
    at = {k: i for i, k in reversed(list(enumerate(keys))) if k}  # the first column of a name wins

    def alts(*names: str) -> Alternatives:
        return tuple((at[n],) for n in names if n in at)

    def numbered(template: str) -> Alternatives:
        return alts(*(template.format(n) for n in range(1, 10)))

    firsts = (next((at[n] for n in names if n in at), None) for names in NAME_PARTS)
    name_parts = tuple(i for i in firsts if i is not None)
    if "phone 1 value" in at and ("phone 1 label" in at or "phone 1 type" in at):
        legacy = "phone 1 type" in at
        label = "phone {} type" if legacy else "phone {} label"
        phones = tuple(
            (at[label.format(n)], at[f"phone {n} value"])
            for n in range(1, 10)
            if label.format(n) in at and f"phone {n} value" in at
        )
        name = (alts("name") if legacy else ()) + ((name_parts,) if name_parts else ())
        name += alts("nickname", "file as", "organization name", "organization 1 name")
        columns = {Field.NAME: name, Field.EMAIL: numbered("e mail {} value"), Field.DESCRIPTION: alts("notes")}
        layout = "Google Contacts (legacy)" if legacy else "Google Contacts"
        return ColumnMap(_present(columns), phones, fallback_main=True, layout=layout)
    if "mobile phone" in at and "e mail address" in at and name_parts:
        columns = {
            Field.NAME: (name_parts, *alts("company")),
            Field.MAIN: alts(*OUTLOOK_MAIN),
            Field.MOBILE: alts("mobile phone"),
            Field.HOME: alts("home phone", "home phone 2"),
            Field.EMAIL: alts("e mail address", "e mail 2 address", "e mail 3 address"),
            Field.DESCRIPTION: alts("notes"),
        }
        return ColumnMap(_present(columns), fallback_main=True, layout="Outlook")
    return _plain(keys, name_parts, sample)


def _present(columns: dict[Field, Alternatives]) -> dict[Field, Alternatives]:
    return {f: a for f, a in columns.items() if a}


def _plain(keys: list[str], name_parts: tuple[int, ...], sample: Sequence[Sequence[str]]) -> ColumnMap:
    columns: dict[Field, Alternatives] = {}
    used: set[int] = set()
    for target, names in PLAIN_HEADERS.items():
        for i, k in enumerate(keys):
            if k in names and i not in used:
                columns[target] = ((i,),)
                used.add(i)
                break
    if Field.NAME not in columns and name_parts:
        columns[Field.NAME] = (name_parts,)
    ours = [_key(f.value) for f in Field]
    layout = "fvkit export" if keys[: len(ours)] == ours else "plain headers" if columns else "unrecognised"
    found = ColumnMap(columns, fallback_main=layout != "fvkit export", layout=layout)
    if found.maps(Field.MAIN) or not sample:
        return found
    return _guess(found, sample[:_SAMPLE_ROWS], used | set(name_parts))


def _guess(found: ColumnMap, sample: Sequence[Sequence[str]], used: set[int]) -> ColumnMap:
    """Return `found` with main number, email and name columns guessed from the cells."""
    width = max((len(r) for r in sample), default=0)
    kinds: list[str] = []
    for i in range(width):
        cells = [r[i].strip() for r in sample if i < len(r) and r[i].strip()]
        share = {
            "phone": sum(bool(_PHONEISH.match(c)) for c in cells),
            "email": sum("@" in c for c in cells),
            "text": sum(any(ch.isalpha() for ch in c) and "@" not in c for c in cells),
        }
        best = max(share, key=lambda kind: share[kind])
        kinds.append(best if cells and share[best] * 2 >= len(cells) and i not in used else "")
    columns = dict(found.columns)
    for target, kind in ((Field.MAIN, "phone"), (Field.EMAIL, "email"), (Field.NAME, "text")):
        if target not in columns and kind in kinds:
            columns[target] = ((kinds.index(kind),),)
    if Field.MAIN not in columns:
        return found
    return replace(found, columns=columns, layout="guessed from the cells")
