"""Writing big tables fast: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

The city and province demos write millions of rows (members, meetings, attendance,
payments), and the kept findings of a whole province are millions of rows a night.
``bulk_create`` builds one multi-row INSERT per batch through the ORM's compiler (about
10 µs per value), limited on SQLite to 999 parameters; these helpers hand rows in database
form to the database's fastest path instead:

- ``insert_rows(model, columns, rows)`` — rows already in database form (tuples in
  ``columns`` order), streamed from any iterable;
- ``upsert_rows(model, columns, unique, rows)`` — the same, a row whose ``unique`` columns
  exist already updating it (``INSERT … ON CONFLICT … DO UPDATE``, both databases; on
  PostgreSQL from a temporary table filled by ``COPY``); safe beside other writers, the
  ids left to the database;
- ``update_column(model, column, pairs)`` — one column of many rows, by id;
- ``bulk_insert(model, objs)`` — model instances: ids are allocated here (one more than the
  table's highest: the demo loads into an empty database inside one transaction, so only
  the demo may use it) and set on the objects, so later steps can point at them;
  ``auto_now`` fields are stamped. A caller that needs ids before writing (a tree path)
  allocates them from ``next_id`` itself.

Computing: ``gc_paused()`` pauses Python's cyclic garbage collector around a computation
that builds hundreds of thousands of objects without cycles (the findings of an
evaluation): each full collection walks every object alive, and a city's evaluation spent
a quarter of its time in them.

Reading: ``plain_rows(qs)`` fetches the rows of a ``values_list`` query through the cursor
at once (the ORM fetches 100 rows at a time and passes each through its converters), for
queries of integer, text and boolean columns, whose database values are the Python ones.

``bulk_insert`` resets the table's id sequence afterwards (PostgreSQL), so rows created
later by the services get fresh ids; a caller of ``insert_rows`` that writes ids calls
``reset_sequences`` itself. No signals, no ``save()``, no validation: the caller's values
are what is written (``db_values`` converts model values).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

BATCH = 5000
# Field classes (exactly these, not subclasses) whose Python value is what the database
# adapters take; any other field goes through its own ``get_db_prep_save``.
_PLAIN = {
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.BooleanField,
    models.ForeignKey,
    models.OneToOneField,
    models.AutoField,
    models.BigAutoField,
}


@contextmanager
def gc_paused():
    """No cyclic garbage collection inside the block (reference counting still frees
    what it can); collection resumes after it, where it was. Nesting is harmless. The
    switch is the process's: in a threaded server another request's block may end the
    pause early or the collector stays off a little longer; it is on once none runs."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def plain_rows(qs) -> list[tuple]:
    """The rows of ``qs`` (a ``values_list`` query of plain columns: integers, text)
    as the cursor returns them, in one fetch."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def next_id(model) -> int:
    """One more than the highest id in ``model``'s table."""
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def reset_sequences(*models_: type[models.Model]) -> None:
    """Point each table's id sequence past its highest id (PostgreSQL; no-op on SQLite)."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models_)):
            cursor.execute(statement)


def insert_rows(model, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write ``rows`` (database-ready values in ``columns`` order) into ``model``'s table;
    return how many. Callers that give ids reset the sequence (``reset_sequences``)."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = ", ".join(qn(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
            for chunk in _chunks(rows, BATCH):
                cursor.executemany(sql, chunk)
                count += len(chunk)
    return count


def upsert_rows(
    model, columns: Sequence[str], unique: Sequence[str], rows: Iterable[Sequence]
) -> int:
    """Write ``rows`` like ``insert_rows``; a row whose ``unique`` columns (a unique
    constraint of the table) match an existing row updates that row's other columns (of
    rows repeating a key, the last one). PostgreSQL: the rows are copied into a temporary
    table and written with one ``INSERT … SELECT … ON CONFLICT`` (a city's 222,000 kept
    findings: 17 s, against 48 s as one pipelined statement per row); SQLite: one prepared
    statement run with ``executemany``."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = ", ".join(qn(c) for c in columns)
    keys = ", ".join(qn(c) for c in unique)
    changes = ", ".join(f"{qn(c)} = EXCLUDED.{qn(c)}" for c in columns if c not in unique)
    count = 0
    if connection.vendor == "postgresql":
        stage = qn(f"stage_{model._meta.db_table}")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE {stage} AS SELECT {names} FROM {table} WITH NO DATA")
            with cursor.copy(f"COPY {stage} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT DISTINCT ON ({keys}) {names} "
                f"FROM {stage} ORDER BY {keys}, ctid DESC "
                f"ON CONFLICT ({keys}) DO UPDATE SET {changes}"
            )
            cursor.execute(f"DROP TABLE {stage}")
        return count
    marks = ", ".join(["%s"] * len(columns))
    sql = (
        f"INSERT INTO {table} ({names}) VALUES ({marks}) "
        f"ON CONFLICT ({keys}) DO UPDATE SET {changes}"
    )
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, BATCH):
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def db_values(model, attnames: Sequence[str]):
    """A function turning a tuple of model values (for ``attnames``) into database form, as
    ``insert_rows`` and ``upsert_rows`` take them: dates, times and JSON converted, plain
    values (text, numbers, ids) passed as they are."""
    fields = [model._meta.get_field(name) for name in attnames]
    converters = _converters(fields)

    def convert(values: Sequence) -> tuple:
        return tuple(
            c(v) if c is not None and v is not None else v
            for c, v in zip(converters, values, strict=True)
        )

    return convert


def update_column(model, column: str, pairs: Iterable[tuple]) -> int:
    """Set ``column`` of the rows given as ``(id, value)`` pairs, one prepared UPDATE run
    with ``executemany`` (pipelined on PostgreSQL); ``bulk_update``'s one ``CASE`` of
    thousands of branches per statement is quadratic in the batch size."""
    qn = connection.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    sql = f"UPDATE {table} SET {qn(column)} = %s WHERE {pk} = %s"
    count = 0
    with connection.cursor() as cursor:
        for chunk in _chunks(((value, pk_) for pk_, value in pairs), BATCH):
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def _converters(fields: list) -> list:
    ops = connection.ops
    out = []
    for f in fields:
        if type(f) is models.DateTimeField:
            out.append(ops.adapt_datetimefield_value)
        elif type(f) is models.DateField:
            out.append(ops.adapt_datefield_value)
        elif type(f) in _PLAIN:
            out.append(None)
        elif type(f) is models.JSONField:
            out.append(lambda value, f=f: ops.adapt_json_value(value, f.encoder))
        else:
            out.append(lambda value, f=f: f.get_db_prep_save(value, connection))
    return out


def bulk_insert(model, objs: Iterable[models.Model]) -> int:
    """Write ``objs`` (unsaved instances of ``model``) with ids allocated here and set on
    them; return how many. ``objs`` may be a generator: rows are written as they come."""
    fields = list(model._meta.concrete_fields)
    always = [f.attname for f in fields if getattr(f, "auto_now", False)]
    unless_set = [f.attname for f in fields if getattr(f, "auto_now_add", False)]
    attnames = [f.attname for f in fields]
    converters = list(zip(attnames, _converters(fields), strict=True))
    now = timezone.now()
    pk_name = model._meta.pk.attname
    start = next_id(model)
    alias = connection.alias

    def rows() -> Iterator[tuple]:
        nonlocal start
        for obj in objs:
            for name in always:
                setattr(obj, name, now)
            for name in unless_set:
                if getattr(obj, name) is None:
                    setattr(obj, name, now)
            if getattr(obj, pk_name) is None:
                setattr(obj, pk_name, start)
                start += 1
            obj._state.adding = False
            obj._state.db = alias
            yield tuple(
                convert(value) if convert and value is not None else value
                for name, convert in converters
                for value in (getattr(obj, name),)
            )

    count = insert_rows(model, [f.column for f in fields], rows())
    reset_sequences(model)
    return count
