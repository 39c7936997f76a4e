"""Which relations to load with a set of shown columns: the one rule of the lists, record pages
and exports (the models themselves load nothing eagerly).

A to-one relation shown (``customer``, ``customer.name``) is joined into the row statement, a
to-many one (``engineers``) comes in one batch. A column that is a property reads the relations
its model names in ``__list_reads__`` (``{"engineer_names": ("engineers",)}``); a related record
whose name (``__str__``) reads further relations names them in ``__str_reads__``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

LOADERS = {"joinedload": joinedload, "selectinload": selectinload}


def load_options(model: type, columns: Iterable[str], batched: bool = False) -> list:
    """Loader options for the relations `columns` of `model` show (dotted paths, properties):
    to-one joined into the row statement, to-many in one batch; all in batches when `batched`
    (a streamed export: a joined load cannot be streamed)."""
    found: dict[tuple[str, ...], object] = {}
    for name in columns:
        _add_path(model, name.split("."), (), None, found, 0, batched)
    return list(found.values())


def _add_path(model, parts: Sequence[str], key: tuple, loader, found: dict, depth: int, batched: bool) -> None:
    if not parts or depth > 4:  # a loop of __str_reads__ stops here
        return
    head, rest = parts[0], parts[1:]
    relation = sa.inspect(model).relationships.get(head)
    if relation is None:
        # a property (or a plain column) of this model: the relations it declares it reads
        for read in (getattr(model, "__list_reads__", None) or {}).get(head, ()):
            _add_path(model, read.split("."), key, loader, found, depth + 1, batched)
        return
    attr = getattr(model, head)
    how = "selectinload" if relation.uselist or batched else "joinedload"
    loader = getattr(loader, how)(attr) if loader is not None else LOADERS[how](attr)
    key = (*key, head)
    found.setdefault(key, loader)
    related = relation.mapper.class_
    if rest:
        _add_path(related, rest, key, loader, found, depth + 1, batched)
    else:  # the related record is shown by its name: what that name reads
        for read in getattr(related, "__str_reads__", ()):
            _add_path(related, read.split("."), key, loader, found, depth + 1, batched)
