"""Variants: ``extends: base.yaml`` plus overrides.

Maps deep-merge; lists of records merge by their key (``id``, or ``resource`` for supplies
and demands): a record with a new key is added, one with a known key is merged into the
base record, and ``remove: true`` deletes it. Other lists are replaced whole.
"""

from __future__ import annotations

from symbio.flows.yamlsource import record_key


def _is_record_list(items: object, key: str) -> bool:
    return isinstance(items, list) and all(isinstance(i, dict) and key in i for i in items)


def deep_merge(base: object, over: object, name: str = "") -> object:
    """Return ``over`` merged onto ``base`` (neither is modified)."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = deep_merge(base[k], v, k) if k in base else _strip_removed(v, k)
        return out
    key = record_key(name)
    if _is_record_list(base, key) and _is_record_list(over, key):
        merged = {i[key]: dict(i) for i in base}  # dicts keep the base order
        for item in over:
            k = item[key]
            if item.get("remove") is True:
                merged.pop(k, None)
            elif k in merged:
                merged[k] = deep_merge(merged[k], item, name)
            else:
                merged[k] = _strip_removed(item, name)
        return list(merged.values())
    return _strip_removed(over, name)


def _strip_removed(value: object, name: str) -> object:
    """Drop ``remove: true`` records that have no base to remove from."""
    key = record_key(name)
    if _is_record_list(value, key):
        return [i for i in value if i.get("remove") is not True]
    return value
