"""Bounded input types for the API schemas: a number the database cannot store, a year no
plan covers or a page past any list is a 422 naming the field, before any query runs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field

# The largest value of an integer column (PositiveIntegerField) and of a BigAutoField id.
MAX_INT = 2**31 - 1
MAX_ID = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID, description="编号")]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Page = Annotated[int, Field(ge=1, le=1_000_000, description="页码（从 1 起）")]
PageSize = Annotated[int, Field(ge=1, le=500, description="每页条数（1–500）")]
Year = Annotated[int, Field(ge=2000, le=2100, description="年度")]
Months = Annotated[int, Field(ge=1, le=120, description="月数")]


def _naive(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise ValueError("应为不带时区的本地时间（北京时间），如 09:30")
    return value


# A wall-clock time in Asia/Shanghai: "09:30", never "09:30+08:00".
LocalTime = Annotated[dt.time, AfterValidator(_naive)]
