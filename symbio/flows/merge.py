"""Variants: ``extends: base.yaml`` plus overrides.

Maps deep-merge; lists of records merge by their key (``id``, or ``resource`` for supplies
and demands): a record with a new key is added, one with a known key is merged into the
base record, and ``remove: true`` deletes it. Other lists are replaced whole.
"""

from __future__ import annotations

from symbio.flows.yamlsource import item_segment, record_key


def _is_record_list(items: object, key: str) -> bool:
    return isinstance(items, list) and all(
        isinstance(i, dict) and isinstance(i.get(key), str | int) and not isinstance(i[key], bool)
        for i in items
    )


def deep_merge(
    base: object,
    over: object,
    name: str = "",
    *,
    path: tuple[str, ...] = (),
    unmatched: list[tuple[str, ...]] | None = None,
) -> object:
    """Return ``over`` merged onto ``base`` (neither is modified).

    Parameters
    ----------
    base, over
        Plain YAML data of the base file and of the file that extends it.
    name
        Field name of the values (selects the record key of a list of records).
    path
        Field path of the values, used to report ``unmatched`` removals.
    unmatched
        When given, the path of every ``remove: true`` record that names no record of
        the base is appended to it (a typo in the id would otherwise pass silently).
    """
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            sub = (*path, k)
            if k in base:
                out[k] = deep_merge(base[k], v, k, path=sub, unmatched=unmatched)
            else:
                out[k] = _strip_removed(v, k, sub, unmatched)
        return out
    key = record_key(name)
    if _is_record_list(base, key) and _is_record_list(over, key):
        merged = {i[key]: dict(i) for i in base}  # dicts keep the base order
        for n, item in enumerate(over):
            k = item[key]
            if item.get("remove") is True:
                if k not in merged and unmatched is not None:
                    unmatched.append((*path, item_segment(name, item, n)))
                merged.pop(k, None)
            elif k in merged:
                sub = (*path, item_segment(name, item, n))
                merged[k] = deep_merge(merged[k], item, name, path=sub, unmatched=unmatched)
            else:
                merged[k] = _strip_removed(item, name)
        return list(merged.values())
    return _strip_removed(over, name, path, unmatched)


def _strip_removed(
    value: object,
    name: str,
    path: tuple[str, ...] = (),
    unmatched: list[tuple[str, ...]] | None = None,
) -> object:
    """Drop ``remove: true`` records that have no base to remove from."""
    key = record_key(name)
    if isinstance(value, list) and _is_record_list(value, key):
        if unmatched is not None:
            unmatched += [
                (*path, item_segment(name, i, n))
                for n, i in enumerate(value)
                if i.get("remove") is True
            ]
        return [i for i in value if i.get("remove") is not True]
    return value
