"""Declared parameter constraints for the engine's estimators, checked at ``fit``.

An estimator lists its allowed values in a ``_parameter_constraints`` class attribute, as
scikit-learn estimators do; :func:`validate_params` checks the values stored by
``__init__`` and names the parameter, the rule and the bad value when one breaks it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, cast


@dataclass(frozen=True)
class Interval:
    """Numbers of ``kind`` (``Integral`` or ``Real``) from ``left`` to ``right`` (None: open)."""

    kind: type
    left: float | None
    right: float | None
    closed: str = "both"  # "both", "left", "right" or "neither"

    def accepts(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, self.kind):
            return False
        v = float(cast(float, value))
        if math.isnan(v):
            return False
        if self.left is not None and not (
            v >= self.left if self.closed in ("both", "left") else v > self.left
        ):
            return False
        return self.right is None or (
            v <= self.right if self.closed in ("both", "right") else v < self.right
        )

    def __str__(self) -> str:
        name = "an int" if self.kind is Integral else "a float"
        lb = "[" if self.closed in ("both", "left") and self.left is not None else "("
        rb = "]" if self.closed in ("both", "right") and self.right is not None else ")"
        low = "-inf" if self.left is None else f"{self.left:g}"
        high = "inf" if self.right is None else f"{self.right:g}"
        return f"{name} in the range {lb}{low}, {high}{rb}"


Constraint = Interval | None  # None: the value None is allowed


def validate_params(estimator: object) -> None:
    """Raise ``ValueError`` for the first parameter that no constraint accepts."""
    constraints: dict[str, list[Constraint]] = type(estimator)._parameter_constraints  # type: ignore[attr-defined]
    for name, allowed in constraints.items():
        value = getattr(estimator, name)
        if any(value is None if c is None else c.accepts(value) for c in allowed):
            continue
        rules = " or ".join("None" if c is None else str(c) for c in allowed)
        raise ValueError(
            f"The {name!r} parameter of {type(estimator).__name__} must be {rules}, got {value!r}."
        )


__all__ = ["Integral", "Interval", "Real", "validate_params"]
