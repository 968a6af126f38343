"""Personal contacts as CSV: import (CT-6) and export (CT-7), all or nothing (PIPE-1, PIPE-4).

The portal's Import and Export buttons and `fvkit contacts import|export` call these.
Reading and column mapping live in `pipelines.contacts_csv`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl
import pyarrow as pa

from fvkit.domain.screens import Screen
from fvkit.portal import contact
from fvkit.portal.auth import User, require_screen
from fvkit.store.db import Store
from pipelines.contacts_csv import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    ColumnMap,
    CsvTable,
    Field,
    ImportRefused,
    read_csv,
    suggest_mapping,
)
from pipelines.csv_safe import frame_csv

__all__ = [
    "EXPORT_HEADER",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "ColumnMap",
    "Field",
    "ImportPreview",
    "ImportRefused",
    "ImportReport",
    "SkippedRow",
    "export_contacts",
    "import_contacts",
    "import_preview",
]

#: our export's header; `suggest_mapping` recognises it, so an export re-imports as is
EXPORT_HEADER = tuple(f.value for f in Field)
#: longest display name, email or description kept; longer ones are cut, with a note
MAX_TEXT_CHARS = 1024
#: Favorite cells that mean yes
_YES = frozenset({"yes", "y", "true", "1", "x", "*", "★"})
#: longest piece of a bad cell quoted back in a message
_SHOWN_CHARS = 40


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A data row that was not imported, by the 1-based line of the file where it starts.

    Lines are the file's text lines, as an editor numbers them: a quoted cell holding a
    newline makes them run ahead of a spreadsheet's row numbers.
    """

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: the guide's "N of M imported", and why rows were left out."""

    imported: int
    total: int  # data rows: the first line when skipped, and blank lines, do not count
    skipped: list[SkippedRow]
    notes: list[str]  # values dropped from rows that were imported
    layout: str  # the file layout the columns were mapped by

    @property
    def message(self) -> str:
        """Return the notification the guide describes (p.23)."""
        return f"{self.imported} of {self.total} imported"


def import_contacts(
    store: Store,
    user: User,
    data: bytes,
    *,
    mapping: ColumnMap | Mapping[str, str | int | None] | None = None,
    delete_existing: bool = True,
    skip_first_line: bool = True,
    region: str = contact.DEFAULT_REGION,
) -> ImportReport:
    """Import a CSV file into the user's personal contacts (CT-6), all or nothing.

    Both switches default ON as in the portal (guide p.23). `mapping` is a full
    `ColumnMap`, or the user's choices (field -> header name or 1-based column) applied
    over the mapping the header suggests; None takes the suggestion as it is.

    Every row is read and validated before the store is touched, then one transaction
    writes them; if it fails, the previous contacts are exactly as they were. Rules:

    - Numbers go through `fvkit.portal.contact.normalise_number` (E.164 for outside
      numbers, 2-6 digit extensions as typed), once per distinct cell.
    - A row without a usable main number is skipped, with its line and the reason.
    - A bad mobile or home number or email is dropped from its row, with a note; the
      contact is still imported. Email is checked loosely: an @ with a dot after it.
    - Duplicates: a row equal to an earlier row - or, when existing contacts are kept,
      to an existing contact - in name, numbers, email and description is skipped as a
      duplicate, so importing a file twice does not double the list. Rows that only
      share a number (colleagues on one office line) are all imported.
    - Cells are `restore_cell`-ed, so our own export re-imports unchanged.
    - When no row is importable nothing is written, so a wrong mapping cannot wipe
      the list even with "Delete all existing contacts" ON.

    Raises:
        PermissionDenied: the user may not open Contact (Basic access, guide p.56).
        ImportRefused: the file cannot be read, has no data rows, no column maps to the
            main number, or the region is unknown.
    """
    require_screen(user, Screen.CONTACT)
    try:
        region = contact.known_region(region)
    except contact.BadContact as exc:
        raise ImportRefused(str(exc)) from exc
    table = read_csv(data)
    body, lines = (table.rows[1:], table.lines[1:]) if skip_first_line else (table.rows, table.lines)
    if not body:
        raise ImportRefused("The file has a first line but no contacts after it.")
    if len(body) > MAX_IMPORT_ROWS:
        raise ImportRefused(f"The file has more than {MAX_IMPORT_ROWS:,} rows; import at most that many.")
    columns = _resolve(table, mapping, body)
    if not columns.maps(Field.MAIN):
        raise ImportRefused("No column is mapped to Main number, which every contact needs: choose its column.")
    existing = set() if delete_existing else {_key(r) for r in contact.personal_contacts(store, user).to_pylist()}
    batch = _Batch(region, existing)
    for row, line in zip(body, lines, strict=True):
        batch.add(columns.values(row), line)
    imported = 0
    if batch.size:
        rows = pa.table(batch.columns, schema=contact.CONTACT_SCHEMA)
        imported = contact.import_contacts(store, user, rows, delete_existing)
    return ImportReport(imported, len(body), batch.skipped, batch.notes, columns.layout)


#: the fields the Import Contacts dialog maps, in the guide's order (p.23)
MAPPED_FIELDS = (Field.MAIN, Field.NAME, Field.MOBILE, Field.HOME, Field.EMAIL, Field.DESCRIPTION)


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What the Import Contacts dialog offers for a file (guide p.23 "Select Mapping Fields").

    `columns` labels each column by number and first-line cell ("2: Phone"). `suggested`
    gives each field the 1-based column the file's layout maps it to, or None; a field the
    layout fills from several columns (first + last name, Google's labelled phones) is
    in `derived` instead, with a description, and is None in `suggested`.
    """

    columns: list[str]
    suggested: dict[Field, int | None]
    derived: dict[Field, str]
    layout: str
    rows: int  # records after the first line


def import_preview(data: bytes) -> ImportPreview:
    """Return the columns of an uploaded file and the mapping its first line suggests.

    Pass the user's changes back to `import_contacts` as `mapping={field: column}`
    (a 1-based column, or "" to leave a field out); fields not passed keep the suggestion.

    Raises:
        ImportRefused: the file cannot be read (see `read_csv`).
    """
    table = read_csv(data)
    header = [cell.strip() for cell in table.header]
    columns = [
        f"{i + 1}: {header[i] if i < len(header) and header[i] else f'Column {i + 1}'}" for i in range(table.width)
    ]
    found = suggest_mapping(table.header, table.rows[1:])
    suggested: dict[Field, int | None] = {}
    derived: dict[Field, str] = {}
    for target in MAPPED_FIELDS:
        alternatives = found.columns.get(target, ())
        by_label = bool(found.phones) and target in (Field.MAIN, Field.MOBILE, Field.HOME)
        single = len(alternatives) == 1 and len(alternatives[0]) == 1
        suggested[target] = alternatives[0][0] + 1 if single and not by_label else None
        if (alternatives and suggested[target] is None) or by_label:
            derived[target] = _describe(alternatives, columns, by_label)
    return ImportPreview(columns, suggested, derived, found.layout, len(table.rows) - 1)


def _describe(alternatives: tuple[tuple[int, ...], ...], columns: list[str], phones: bool) -> str:
    """Return how a derived field is filled, e.g. "1: First Name + 3: Last Name, else 11: Company"."""
    parts = [" + ".join(columns[i] for i in group) for group in alternatives]
    if phones:
        parts.append("the phone columns, by their labels")
    return ", else ".join(parts)


def export_contacts(store: Store, user: User) -> bytes:
    """Return the user's personal contacts as injection-safe CSV, UTF-8 with a BOM (CT-7)."""
    table = contact.personal_contacts(store, user).select(list(contact.CONTACT_COLUMNS))
    frame = pl.DataFrame(pl.from_arrow(table))
    frame = frame.with_columns(
        pl.when(pl.col("favorite")).then(pl.lit("Yes")).otherwise(pl.lit("No")).alias("favorite"),
    )
    return frame_csv(frame.rename(dict(zip(contact.CONTACT_COLUMNS, EXPORT_HEADER, strict=True))))


def _resolve(
    table: CsvTable,
    mapping: ColumnMap | Mapping[str, str | int | None] | None,
    body: list[list[str]],
) -> ColumnMap:
    if isinstance(mapping, ColumnMap):
        return mapping
    suggested = suggest_mapping(table.header, body)
    return suggested.with_choices(table, mapping) if mapping else suggested


def _key(row: Mapping[str, object]) -> tuple[object, ...]:
    """Return what makes two contacts duplicates: every field but the favorite star."""
    return tuple(row[c] for c in contact.CONTACT_COLUMNS if c != "favorite")


def _shown(value: str) -> str:
    return repr(value if len(value) <= _SHOWN_CHARS else value[:_SHOWN_CHARS] + "…")


class _Batch:
    """Validated rows as Arrow-ready columns, with the skipped rows and notes."""

    def __init__(self, region: str, existing: set[tuple[object, ...]]) -> None:
        self.region = region
        self.columns: dict[str, list[object]] = {c: [] for c in contact.CONTACT_COLUMNS}
        self.skipped: list[SkippedRow] = []
        self.notes: list[str] = []
        self.size = 0
        self._numbers: dict[str, str | None] = {}  # cell -> normalised; None: not a number
        self._existing = existing
        self._seen: dict[tuple[object, ...], int] = {}

    def number(self, cell: str) -> str | None:
        """Return a cell's number normalised, validating each distinct cell once."""
        if cell not in self._numbers:
            try:
                self._numbers[cell] = contact.normalise_number(cell, self.region)
            except contact.BadContact:
                self._numbers[cell] = None
        return self._numbers[cell]

    def add(self, values: dict[Field, str], line: int) -> None:
        """Validate one row's values; keep it, or record why not."""
        main_cell = _first(values.get(Field.MAIN, ""))
        if not main_cell:
            self.skipped.append(SkippedRow(line, "no main number"))
            return
        main = self.number(main_cell)
        if main is None:
            self.skipped.append(SkippedRow(line, f"main number {_shown(main_cell)} is not a phone number"))
            return
        row: dict[str, object] = {
            "display_name": self._text(values, Field.NAME, line),
            "main_number": main,
            "mobile_number": self._optional_number(values, Field.MOBILE, line),
            "home_number": self._optional_number(values, Field.HOME, line),
            "email": self._email(values, line),
            "description": self._text(values, Field.DESCRIPTION, line),
            "favorite": values.get(Field.FAVORITE, "").strip().casefold() in _YES,
        }
        key = _key(row)
        if key in self._seen:
            self.skipped.append(SkippedRow(line, f"duplicate of line {self._seen[key]}"))
            return
        if key in self._existing:
            self.skipped.append(SkippedRow(line, "duplicate of an existing contact"))
            return
        self._seen[key] = line
        for name, value in row.items():
            self.columns[name].append(value)
        self.size += 1

    def _optional_number(self, values: dict[Field, str], field: Field, line: int) -> str:
        cell = _first(values.get(field, ""))
        if not cell:
            return ""
        number = self.number(cell)
        if number is None:
            self.notes.append(f"line {line}: {field.value.lower()} {_shown(cell)} dropped: not a phone number")
            return ""
        return number

    def _email(self, values: dict[Field, str], line: int) -> str:
        cell = _first(values.get(Field.EMAIL, ""))
        if cell and (len(cell) > MAX_TEXT_CHARS or not contact.is_email(cell)):
            self.notes.append(f"line {line}: email {_shown(cell)} dropped: not an email address")
            return ""
        return cell

    def _text(self, values: dict[Field, str], field: Field, line: int) -> str:
        text = values.get(field, "")
        if len(text) > MAX_TEXT_CHARS:
            self.notes.append(f"line {line}: {field.value.lower()} cut to {MAX_TEXT_CHARS} characters")
            return text[:MAX_TEXT_CHARS]
        return text


def _first(cell: str) -> str:
    """Return the first of several values Google joins with " ::: ", trimmed."""
    return cell.split(":::", 1)[0].strip()
